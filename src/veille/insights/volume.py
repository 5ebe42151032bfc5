"""Volume and state of mind over time, share of voice, and earned / owned / paid.

Every figure is computed by the database (one grouped query per panel), with periods cut
in the workspace's time zone, so that "Monday" and "March" mean what the team means.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import (
    TruncDay,
    TruncHour,
    TruncMonth,
    TruncQuarter,
    TruncWeek,
)

from veille.core.models import Mention, MentionMatch, Workspace

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


def tally_between(workspace: Workspace, start: datetime, end: datetime) -> Tally:
    """The whole period's tally, in one aggregate query."""
    found = mentions_between(workspace, start, end).aggregate(**_TALLY)
    return Tally(found["mentions"], found["positive"], found["negative"])


def volume_over_time(
    workspace: Workspace, start: datetime, end: datetime, period: str = "day"
) -> list[tuple[datetime, Tally]]:
    """One tally per period that has mentions, oldest first, periods in the workspace zone."""
    try:
        truncate = TRUNCATIONS[period]
    except KeyError:
        known = ", ".join(TRUNCATIONS)
        raise ValueError(f"unknown period {period!r}: use one of {known}") from None
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


def by_media_category(workspace: Workspace, start: datetime, end: datetime) -> dict[str, Tally]:
    """Earned, owned and paid: volume and sentiment of each."""
    rows = (
        mentions_between(workspace, start, end)
        .values("media_category")
        .annotate(**_TALLY)
        .order_by("media_category")
    )
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
