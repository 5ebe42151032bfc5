"""{% publish_state case user as state %}: what the case page's post button can do."""

from __future__ import annotations

from dataclasses import dataclass

from django import template

from veille.core.models import Case
from veille.inbox import workflow
from veille.publish.models import Platform, PlatformAccount
from veille.publish.service import MAX_TEXT, answered_mention, platform_of

register = template.Library()


@dataclass(slots=True)
class PublishState:
    platform: str | None  # None: veille cannot post on this mention's platform
    platform_label: str
    has_account: bool
    can_act: bool
    blocked_reason: str | None
    max_length: int


@register.simple_tag
def publish_state(case: Case, user: object) -> PublishState:
    from veille.alerts.approval import reply_blocked_reason

    platform = platform_of(answered_mention(case))
    return PublishState(
        platform=platform,
        platform_label=Platform(platform).label if platform else "",
        has_account=bool(platform)
        and PlatformAccount.objects.filter(
            workspace_id=case.workspace_id, platform=platform
        ).exists(),
        can_act=workflow.may_act(user, case.workspace),
        blocked_reason=reply_blocked_reason(case, user) if platform else None,
        max_length=MAX_TEXT[Platform(platform)] if platform else 0,
    )
