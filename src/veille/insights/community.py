"""Community quality, not just quantity: who comes back, and what a spike leaves behind.

An author is "active" on a day when they published at least one mention of the workspace
that day (in the workspace's time zone). Several comments in one afternoon are one visit.
"""

from __future__ import annotations

import zoneinfo
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models.functions import TruncDate

from veille.core.models import Mention, Workspace


def _active_days(workspace: Workspace, **filters: object) -> dict[int, set[date]]:
    """Author id -> the days they were active, from one query of distinct pairs."""
    zone = zoneinfo.ZoneInfo(workspace.time_zone)
    pairs = (
        Mention.objects.filter(workspace=workspace, author__isnull=False, **filters)
        .annotate(day=TruncDate("published_at", tzinfo=zone))
        .values_list("author_id", "day")
        .distinct()
    )
    days: dict[int, set[date]] = defaultdict(set)
    for author_id, day in pairs:
        days[author_id].add(day)
    return days


@dataclass(frozen=True, slots=True)
class Loyalty:
    authors: int
    returning: int  # active on two days or more in the period
    one_shot: int  # active on a single day

    @property
    def returning_share(self) -> float | None:
        return None if self.authors == 0 else self.returning / self.authors


def returning_and_one_shot(workspace: Workspace, start: datetime, end: datetime) -> Loyalty:
    days = _active_days(workspace, published_at__gte=start, published_at__lt=end)
    returning = sum(1 for active in days.values() if len(active) >= 2)
    return Loyalty(authors=len(days), returning=returning, one_shot=len(days) - returning)


def _month(day: date) -> tuple[int, int]:
    return day.year, day.month


def _months_between(first: tuple[int, int], later: tuple[int, int]) -> int:
    return (later[0] - first[0]) * 12 + later[1] - first[1]


def monthly_cohorts(workspace: Workspace, horizon: int = 12) -> dict[str, list[float]]:
    """For each month's newcomers ("2026-01"), the share active 0, 1, 2, … months later.

    A cohort is the set of authors whose first mention in the workspace falls in that
    month; entry k is the share of them active in the k-th month after it (entry 0 is 1.0).
    Months that have not happened yet in the data are left out of the list.
    """
    days = _active_days(workspace)
    if not days:
        return {}
    last_month = max(_month(max(active)) for active in days.values())
    members: dict[tuple[int, int], list[set[int]]] = {}
    for active in days.values():
        months = {_month(day) for day in active}
        first = min(months)
        offsets = {_months_between(first, month) for month in months}
        members.setdefault(first, []).append(offsets)
    cohorts = {}
    for first in sorted(members):
        span = min(horizon, _months_between(first, last_month))
        authors = members[first]
        cohorts[f"{first[0]:04d}-{first[1]:02d}"] = [
            sum(1 for offsets in authors if k in offsets) / len(authors) for k in range(span + 1)
        ]
    return cohorts


@dataclass(frozen=True, slots=True)
class SpikeAftermath:
    newcomers: int  # authors whose first mention is in the spike
    back_within_3_months: int  # active again in the 90 days after the spike
    still_there_after_3_months: int  # active more than 90 days after the spike

    @property
    def retention(self) -> float | None:
        if self.newcomers == 0:
            return None
        return self.still_there_after_3_months / self.newcomers


def spike_aftermath(workspace: Workspace, start: datetime, end: datetime) -> SpikeAftermath:
    """What a spike (a contest, a crisis) brought: the newcomers, and how many stayed."""
    zone = zoneinfo.ZoneInfo(workspace.time_zone)
    spike_end = end.astimezone(zone).date()
    spike_start = start.astimezone(zone).date()
    three_months = spike_end + timedelta(days=90)
    newcomers = back = still = 0
    for active in _active_days(workspace).values():
        if not spike_start <= min(active) < spike_end:
            continue
        newcomers += 1
        back += any(spike_end <= day < three_months for day in active)
        still += any(day >= three_months for day in active)
    return SpikeAftermath(newcomers, back, still)
