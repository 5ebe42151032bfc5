"""Outcomes beside the conversation: import daily figures, and look for a lagged link.

A correlation between mentions and visits says that they move together, not that one
causes the other; the dashboard says so next to every figure computed here.
"""

from __future__ import annotations

import csv
import io
import math
import statistics
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Sum

from veille.core.models import Workspace
from veille.insights.models import DailyVolume, Outcome

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%m/%d/%Y")
DATE_HEADERS = {"date", "day", "jour"}


class OutcomeImportError(ValueError):
    """The file cannot be imported; the message names the row and the column."""


def _parse_day(text: str, where: str) -> date:
    for layout in DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), layout).date()
        except ValueError:
            continue
    raise OutcomeImportError(f"{where}: {text!r} is not a date (use YYYY-MM-DD)")


def _parse_value(text: str, where: str) -> float:
    cleaned = text.strip().replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")  # French decimal comma
    try:
        value = float(cleaned)
    except ValueError:
        raise OutcomeImportError(f"{where}: {text!r} is not a number") from None
    if not math.isfinite(value):
        raise OutcomeImportError(f"{where}: {text!r} is not a finite number")
    return value


def import_csv(workspace: Workspace, content: str, name: str = "the file") -> dict[str, int]:
    """Rows of `date,<metric>,<metric>…`; a day already imported is replaced. All or nothing."""
    try:
        dialect = csv.Sniffer().sniff(content[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = list(csv.reader(io.StringIO(content), dialect))
    if not rows:
        raise OutcomeImportError(f"{name} is empty")
    header = [cell.strip() for cell in rows[0]]
    if not header or header[0].lower() not in DATE_HEADERS or len(header) < 2:
        raise OutcomeImportError(
            f"{name}, row 1: the first column must be 'date' followed by one column per "
            f"figure (found {', '.join(header) or 'nothing'})"
        )
    values: dict[tuple[str, date], float] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        day = _parse_day(row[0], f"{name}, row {number}, column '{header[0]}'")
        for column, metric in enumerate(header[1:], start=1):
            cell = row[column] if column < len(row) else ""
            if cell.strip():
                where = f"{name}, row {number}, column '{metric}'"
                values[metric, day] = _parse_value(cell, where)
    with transaction.atomic():
        for (metric, day), value in values.items():
            Outcome.objects.update_or_create(
                workspace=workspace, metric=metric, day=day, defaults={"value": value}
            )
    counts: dict[str, int] = {}
    for metric, _ in values:
        counts[metric] = counts.get(metric, 0) + 1
    return counts


def pearson(xs: list[float], ys: list[float]) -> float | None:
    """Pearson's r, or None when it is undefined (fewer than 3 days, or a flat series)."""
    if len(xs) < 3:
        return None
    try:
        return statistics.correlation(xs, ys)
    except statistics.StatisticsError:
        return None


@dataclass(frozen=True, slots=True)
class LaggedCorrelation:
    metric: str
    days: int  # days with both figures
    by_lag: dict[int, float | None]  # lag in days (metric after mentions) -> Pearson r

    @property
    def strongest(self) -> tuple[int, float] | None:
        known = [(lag, r) for lag, r in self.by_lag.items() if r is not None]
        return max(known, key=lambda pair: (abs(pair[1]), -abs(pair[0])), default=None)


def lagged_correlation(
    workspace: Workspace, metric: str, first: date, last: date, max_lag: int = 7
) -> LaggedCorrelation:
    """Pearson r between daily mentions and the metric `lag` days later, lag in ±max_lag."""
    counts: dict[date, int] = dict(
        DailyVolume.objects.filter(
            workspace=workspace,
            day__gte=first - timedelta(days=max_lag),
            day__lte=last + timedelta(days=max_lag),
        )
        .values("day")
        .annotate(mentions=Sum("number"))
        .values_list("day", "mentions")
    )
    outcome = dict(
        Outcome.objects.filter(
            workspace=workspace, metric=metric, day__gte=first, day__lte=last
        ).values_list("day", "value")
    )
    by_lag: dict[int, float | None] = {}
    for lag in range(-max_lag, max_lag + 1):
        pairs = [
            (float(counts.get(day - timedelta(days=lag), 0)), value)
            for day, value in outcome.items()
        ]
        by_lag[lag] = pearson([x for x, _ in pairs], [y for _, y in pairs])
    return LaggedCorrelation(metric, len(outcome), by_lag)
