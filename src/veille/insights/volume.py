"""Volume and state of mind over time, share of voice, and earned / owned / paid.

Every figure is computed by the database (one grouped query per panel), with periods cut
in the workspace's time zone, so that "Monday" and "March" mean what the team means.
Ranges from a local midnight to another (every dashboard period) are read from the daily
roll-ups (rollups.py); other ranges, and hours, from the mentions themselves.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import (
    TruncDay,
    TruncHour,
    TruncMonth,
    TruncQuarter,
    TruncWeek,
)

from veille.core.models import Mention, MentionMatch, Workspace
from veille.insights.models import DailyVolume, DailyWatchVolume
from veille.insights.rollups import local_midnight, whole_days

TRUNCATIONS = {
    "hour": TruncHour,
    "day": TruncDay,
    "week": TruncWeek,
    "month": TruncMonth,
    "quarter": TruncQuarter,
}


@dataclass(frozen=True, slots=True)
class Tally:
    """Mentions in one bucket, with their sentiment split."""

    mentions: int
    positive: int
    negative: int

    @property
    def net_sentiment(self) -> float | None:
        """(positive - negative) / (positive + negative); None when neither was seen."""
        polar = self.positive + self.negative
        return None if polar == 0 else (self.positive - self.negative) / polar

    @property
    def negative_share(self) -> float | None:
        return None if self.mentions == 0 else self.negative / self.mentions


_TALLY = {
    "mentions": Count("id", distinct=True),
    "positive": Count("id", filter=Q(sentiment="positive"), distinct=True),
    "negative": Count("id", filter=Q(sentiment="negative"), distinct=True),
}


def mentions_between(workspace: Workspace, start: datetime, end: datetime) -> QuerySet[Mention]:
    """The workspace's mentions published in [start, end)."""
    return Mention.objects.filter(
        workspace=workspace, published_at__gte=start, published_at__lt=end
    )


SUMS = {
    "mentions": Sum("number", default=0),
    "positive": Sum("number", filter=Q(sentiment="positive"), default=0),
    "negative": Sum("number", filter=Q(sentiment="negative"), default=0),
}


def zone_of(workspace: Workspace) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(workspace.time_zone)


def rolled_days(workspace: Workspace, start: datetime, end: datetime) -> tuple[date, date] | None:
    """[first, after) local days when the range can be read from the roll-ups, else None."""
    return whole_days(start, end, zone_of(workspace))


def daily_volume(workspace: Workspace, days: tuple[date, date]) -> QuerySet[DailyVolume]:
    return DailyVolume.objects.filter(workspace=workspace, day__gte=days[0], day__lt=days[1])


def tally_between(workspace: Workspace, start: datetime, end: datetime) -> Tally:
    """The whole period's tally, in one aggregate query."""
    days = rolled_days(workspace, start, end)
    if days is not None:
        found = daily_volume(workspace, days).aggregate(**SUMS)
    else:
        found = mentions_between(workspace, start, end).aggregate(**_TALLY)
    return Tally(found["mentions"], found["positive"], found["negative"])


def bucket_of(day: date, period: str) -> date:
    """The first day of the week (Monday), month or quarter that holds the day."""
    if period == "week":
        return day - timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    if period == "quarter":
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    return day


def volume_over_time(
    workspace: Workspace, start: datetime, end: datetime, period: str = "day"
) -> list[tuple[datetime, Tally]]:
    """One tally per period that has mentions, oldest first, periods in the workspace zone."""
    if period not in TRUNCATIONS:
        known = ", ".join(TRUNCATIONS)
        raise ValueError(f"unknown period {period!r}: use one of {known}")
    days = rolled_days(workspace, start, end)
    if days is None or period == "hour":
        return raw_volume_over_time(workspace, start, end, period)
    zone = zone_of(workspace)
    buckets: dict[date, list[int]] = {}
    rows = daily_volume(workspace, days).values("day").annotate(**SUMS).order_by("day")
    for row in rows:
        counts = buckets.setdefault(bucket_of(row["day"], period), [0, 0, 0])
        counts[0] += row["mentions"]
        counts[1] += row["positive"]
        counts[2] += row["negative"]
    return [
        (local_midnight(bucket, zone), Tally(*counts))
        for bucket, counts in sorted(buckets.items())
        if counts[0]
    ]


def raw_volume_over_time(
    workspace: Workspace, start: datetime, end: datetime, period: str = "day"
) -> list[tuple[datetime, Tally]]:
    """volume_over_time from the mentions themselves (any range, hours too)."""
    truncate = TRUNCATIONS[period]
    zone = zoneinfo.ZoneInfo(workspace.time_zone)
    rows = (
        mentions_between(workspace, start, end)
        .annotate(bucket=truncate("published_at", tzinfo=zone))
        .values("bucket")
        .annotate(**_TALLY)
        .order_by("bucket")
    )
    return [
        (row["bucket"], Tally(row["mentions"], row["positive"], row["negative"])) for row in rows
    ]


def share_of_voice(
    workspace: Workspace, start: datetime, end: datetime
) -> list[tuple[str, str, Tally, float]]:
    """Each brand and competitor watch: its tally and its share of their combined volume."""
    days = rolled_days(workspace, start, end)
    if days is None:
        return raw_share_of_voice(workspace, start, end)
    rows = list(
        DailyWatchVolume.objects.filter(
            workspace=workspace,
            day__gte=days[0],
            day__lt=days[1],
            watch__kind__in=["brand", "competitor"],
        )
        .values("watch__name", "watch__kind")
        .annotate(**SUMS)
        .order_by("-mentions", "watch__name")
    )
    return _shares(rows)


def _shares(rows: list[dict]) -> list[tuple[str, str, Tally, float]]:
    total = sum(row["mentions"] for row in rows)
    return [
        (
            row["watch__name"],
            row["watch__kind"],
            Tally(row["mentions"], row["positive"], row["negative"]),
            row["mentions"] / total if total else 0.0,
        )
        for row in rows
    ]


def raw_share_of_voice(
    workspace: Workspace, start: datetime, end: datetime
) -> list[tuple[str, str, Tally, float]]:
    """share_of_voice from the mentions themselves."""
    rows = (
        MentionMatch.objects.filter(
            watch__workspace=workspace,
            watch__kind__in=["brand", "competitor"],
            mention__published_at__gte=start,
            mention__published_at__lt=end,
        )
        .values("watch__name", "watch__kind")
        .annotate(
            mentions=Count("mention", distinct=True),
            positive=Count("mention", filter=Q(mention__sentiment="positive"), distinct=True),
            negative=Count("mention", filter=Q(mention__sentiment="negative"), distinct=True),
        )
        .order_by("-mentions", "watch__name")
    )
    return _shares(list(rows))


def by_media_category(workspace: Workspace, start: datetime, end: datetime) -> dict[str, Tally]:
    """Earned, owned and paid: volume and sentiment of each."""
    days = rolled_days(workspace, start, end)
    if days is not None:
        rows = daily_volume(workspace, days).values("media_category").annotate(**SUMS)
    else:
        rows = mentions_between(workspace, start, end).values("media_category").annotate(**_TALLY)
    rows = rows.order_by("media_category")
    return {
        row["media_category"]: Tally(row["mentions"], row["positive"], row["negative"])
        for row in rows
    }


def spikes(series: list[tuple[datetime, Tally]], threshold: float = 3.5) -> list[datetime]:
    """Buckets far above the usual level: robust z-score (median and MAD) over threshold.

    The median absolute deviation keeps one huge spike from hiding the others, which a mean
    and standard deviation would do.
    """
    counts = sorted(tally.mentions for _, tally in series)
    if len(counts) < 5:
        return []
    median = counts[len(counts) // 2]
    deviations = sorted(abs(count - median) for count in counts)
    spread = max(deviations[len(deviations) // 2], 1)
    return [
        bucket
        for bucket, tally in series
        if 0.6745 * (tally.mentions - median) / spread > threshold
    ]
