"""Who else is on a case: a heartbeat from each open case page, forgotten after a while.

A page sends its state (viewing, or drafting while its answer box has focus or text)
every few seconds; rows older than PRESENCE_TTL are ignored, so nothing needs to be
cleaned when a tab closes. Leaving a page says so explicitly when the browser lets it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from veille.core.models import Case
from veille.inbox.models import Presence, PresenceState

PRESENCE_TTL = timedelta(seconds=15)


@dataclass(frozen=True, slots=True)
class Present:
    """Someone on the case, as the case page shows them."""

    username: str
    state: str

    @property
    def drafting(self) -> bool:
        return self.state == PresenceState.DRAFTING


def heartbeat(
    case: Case, user: AbstractBaseUser, state: str, now: datetime | None = None
) -> Presence:
    """Record that the user has the case open; an unknown state counts as viewing."""
    if state not in PresenceState.values:
        state = PresenceState.VIEWING
    presence, _created = Presence.objects.update_or_create(
        case=case, user=user, defaults={"state": state, "seen_at": now or timezone.now()}
    )
    return presence


def leave(case: Case, user: AbstractBaseUser) -> None:
    Presence.objects.filter(case=case, user=user).delete()


def others_on(case: Case, user: AbstractBaseUser, now: datetime | None = None) -> list[Present]:
    """Everyone else seen on the case within PRESENCE_TTL, drafters first, then by name."""
    since = (now or timezone.now()) - PRESENCE_TTL
    rows = (
        Presence.objects.filter(case=case, seen_at__gte=since)
        .exclude(user=user)
        .select_related("user")
    )
    present = [Present(row.user.get_username(), row.state) for row in rows]
    return sorted(present, key=lambda p: (not p.drafting, p.username))
