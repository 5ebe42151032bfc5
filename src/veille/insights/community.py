"""Community quality, not just quantity: who comes back, and what a spike leaves behind.

An author is "active" on a day when they published at least one mention of the workspace
that day (in the workspace's time zone). Several comments in one afternoon are one visit.
The figures are read from the roll-ups AuthorDay, AuthorFirst and MonthlyCohort (one SQL
query each); a range that does not run from a local midnight to another reads the mentions.
"""

from __future__ import annotations

import zoneinfo
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import connection
from django.db.models.functions import TruncDate

from veille.core.models import Mention, Workspace
from veille.insights.models import AuthorDay, AuthorFirst, AuthorMonth, MonthlyCohort
from veille.insights.rollups import whole_days


def _query(sql: str, params: list[object]) -> list[tuple]:
    """Run SQL written with {day}, {month}, {first} for the roll-up tables' names."""
    names = {
        "day": AuthorDay._meta.db_table,
        "month": AuthorMonth._meta.db_table,
        "first": AuthorFirst._meta.db_table,
        "cohort": MonthlyCohort._meta.db_table,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql.format(**names), params)
        return cursor.fetchall()


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
    span = whole_days(start, end, zoneinfo.ZoneInfo(workspace.time_zone))
    if span is None:
        return raw_returning_and_one_shot(workspace, start, end)
    ((authors, returning),) = _query(
        "SELECT COUNT(*), COALESCE(SUM(CASE WHEN active >= 2 THEN 1 ELSE 0 END), 0) FROM"
        " (SELECT author_id, COUNT(*) AS active FROM {day} WHERE workspace_id = %s"
        " AND day >= %s AND day < %s GROUP BY author_id) per_author",
        [workspace.pk, span[0], span[1]],
    )
    return Loyalty(authors=authors, returning=returning, one_shot=authors - returning)


def raw_returning_and_one_shot(workspace: Workspace, start: datetime, end: datetime) -> Loyalty:
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
    rows = _query(
        "SELECT first_month, month - first_month, authors FROM {cohort}"
        " WHERE workspace_id = %s AND month - first_month <= %s",
        [workspace.pk, horizon],
    )
    if not rows:
        return {}
    ((last_month,),) = _query(
        "SELECT MAX(month) FROM {month} WHERE workspace_id = %s", [workspace.pk]
    )
    active: dict[int, dict[int, int]] = defaultdict(dict)
    for first, later, authors in rows:
        active[first][later] = authors
    cohorts = {}
    for first in sorted(active):
        span = min(horizon, last_month - first)
        size = active[first][0]
        year, month = divmod(first, 12)
        cohorts[f"{year:04d}-{month + 1:02d}"] = [
            active[first].get(k, 0) / size for k in range(span + 1)
        ]
    return cohorts


def raw_monthly_cohorts(workspace: Workspace, horizon: int = 12) -> dict[str, list[float]]:
    """monthly_cohorts from the mentions themselves."""
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
    ((newcomers, back, still),) = _query(
        "SELECT COUNT(*), COALESCE(SUM(back), 0), COALESCE(SUM(still), 0) FROM"
        " (SELECT f.author_id,"
        " MAX(CASE WHEN d.day >= %s AND d.day < %s THEN 1 ELSE 0 END) AS back,"
        " MAX(CASE WHEN d.day >= %s THEN 1 ELSE 0 END) AS still"
        " FROM {first} f JOIN {day} d"
        " ON d.workspace_id = f.workspace_id AND d.author_id = f.author_id"
        " WHERE f.workspace_id = %s AND f.first_day >= %s AND f.first_day < %s"
        " GROUP BY f.author_id) newcomers",
        [spike_end, three_months, three_months, workspace.pk, spike_start, spike_end],
    )
    return SpikeAftermath(newcomers, back, still)


def raw_spike_aftermath(workspace: Workspace, start: datetime, end: datetime) -> SpikeAftermath:
    """spike_aftermath from the mentions themselves."""
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
