"""Where people talk: platforms and sites ranked by volume, with sentiment and growth."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q

from veille.core.models import Workspace
from veille.insights.volume import SUMS, Tally, daily_volume, mentions_between, rolled_days


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    tally: Tally
    previous: int  # mentions in the comparison period

    @property
    def growth(self) -> float | None:
        """Relative change against the comparison period; None when it had nothing."""
        return None if self.previous == 0 else (self.tally.mentions - self.previous) / self.previous


def _counts(workspace: Workspace, start: datetime, end: datetime) -> dict[str, Tally]:
    days = rolled_days(workspace, start, end)
    if days is not None:
        rolled = daily_volume(workspace, days).values("platform").annotate(**SUMS)
        return {
            row["platform"]: Tally(row["mentions"], row["positive"], row["negative"])
            for row in rolled
        }
    rows = (
        mentions_between(workspace, start, end)
        .values("author__platform")
        .annotate(
            mentions=Count("id"),
            positive=Count("id", filter=Q(sentiment="positive")),
            negative=Count("id", filter=Q(sentiment="negative")),
        )
    )
    return {
        row["author__platform"] or "": Tally(row["mentions"], row["positive"], row["negative"])
        for row in rows
    }


def where_people_talk(
    workspace: Workspace,
    start: datetime,
    end: datetime,
    previous_start: datetime,
    previous_end: datetime,
    limit: int = 20,
) -> list[Place]:
    """The busiest places of the period, busiest first, each against the previous period."""
    now = _counts(workspace, start, end)
    before = _counts(workspace, previous_start, previous_end)
    places = [
        Place(name or "?", tally, before.get(name, Tally(0, 0, 0)).mentions)
        for name, tally in now.items()
    ]
    places.sort(key=lambda place: (-place.tally.mentions, place.name))
    return places[:limit]
