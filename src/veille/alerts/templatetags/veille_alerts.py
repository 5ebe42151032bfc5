"""{% active_banners workspace as banners %}: the alerts to show at the top of the inbox."""

from __future__ import annotations

from django import template

from veille.alerts.models import Alert
from veille.core.models import Workspace

register = template.Library()


@register.simple_tag
def active_banners(workspace: Workspace | None) -> list[Alert]:
    if workspace is None:
        return []
    return list(
        Alert.objects.filter(
            workspace=workspace, resolved_at__isnull=True, playbook__show_banner=True
        )
        .select_related("playbook")
        .order_by("started_at", "pk")
    )
