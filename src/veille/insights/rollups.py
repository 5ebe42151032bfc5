"""Daily roll-ups of the mentions, which the dashboard reads instead of the mentions.

A day is a calendar day in the workspace's time zone: the panels cut their periods there,
so a period from one local midnight to another is a whole number of roll-up days, and
weeks, months and quarters are unions of days. The tables (see models.py):

- DailyVolume: day × platform × media category × sentiment → mentions
- DailyWatchVolume: day × watch × sentiment → mentions
- AuthorDay: author × day → mentions, positive, negative (and the day's month)
- AuthorMonth, AuthorFirst: the months an author was active, and their first day
- MonthlyCohort: first month × month → authors of that first month active that month
- DailyEdge: day × author × target ("site:<host>" or "author:<id>") → weight
- MonthlyAuthor: author × month → mentions, positive, negative, and replies received from
  other authors ("answered"), computed from AuthorDay and DailyEdge

`refresh_rollups(workspace_id, days)` recomputes exactly those days (and the months and
first days they change) in one transaction; running it twice gives the same rows. The
store stage calls `refresh_for_mentions` after each batch, corrections and re-enrichment
after they change sentiments, and saving a mention or a match one at a time (the admin,
tests, fixtures) refreshes its day through a signal. Deleting mentions does not: call
`rebuild_rollups(workspace_id)` after a purge. `rebuild_rollups()` recomputes everything.
"""

from __future__ import annotations

import zoneinfo
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connection, models, transaction
from django.db.models import Count, F, Min, Q, QuerySet, Value
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear, TruncDate

from veille.core.models import Mention, MentionMatch, Workspace
from veille.insights.models import (
    AuthorDay,
    AuthorFirst,
    AuthorMonth,
    DailyEdge,
    DailyVolume,
    DailyWatchVolume,
    MonthlyAuthor,
    MonthlyCohort,
)

# Network edges are computed in Python (a site is the URL's host, as urlsplit reads it);
# mentions are read this many days at a time.
_EDGE_DAYS = 31
_CHUNK = 500


def zone_of(workspace: Workspace | int) -> zoneinfo.ZoneInfo:
    if isinstance(workspace, Workspace):
        return zoneinfo.ZoneInfo(workspace.time_zone)
    return zoneinfo.ZoneInfo(
        Workspace.objects.values_list("time_zone", flat=True).get(pk=workspace)
    )


def local_midnight(day: date, zone: zoneinfo.ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=zone)


_READ_MENTIONS: ContextVar[bool] = ContextVar("read_mentions", default=False)


@contextmanager
def reading_mentions() -> Iterator[None]:
    """Within this block the panels read the mentions, not the roll-ups (to compare)."""
    token = _READ_MENTIONS.set(True)
    try:
        yield
    finally:
        _READ_MENTIONS.reset(token)


def whole_days(start: datetime, end: datetime, zone: zoneinfo.ZoneInfo) -> tuple[date, date] | None:
    """[first day, day after the last) when [start, end) runs from a local midnight to
    another, else None: such a range cannot be read from daily roll-ups."""
    if _READ_MENTIONS.get():
        return None
    local_start, local_end = start.astimezone(zone), end.astimezone(zone)
    if local_start.time() != time.min or local_end.time() != time.min:
        return None
    first, after = local_start.date(), local_end.date()
    if local_midnight(first, zone) != start or local_midnight(after, zone) != end:
        return None  # a skipped or repeated local midnight (no such zone today, but safe)
    return first, after


def month_number(day: date) -> int:
    return day.year * 12 + day.month - 1


def _insert_select(model: type[models.Model], columns: dict[str, str], queryset: QuerySet) -> None:
    """INSERT INTO model (fields) SELECT annotations of queryset, with no round trip.

    `columns` maps each field of the model to the annotation of the queryset that fills it;
    they are picked from a subquery so that their order is the one given here.
    """
    sql, params = queryset.query.sql_with_params()
    quote = connection.ops.quote_name
    targets = ", ".join(quote(model._meta.get_field(name).column) for name in columns)
    picked = ", ".join(f"rollup.{quote(alias)}" for alias in columns.values())
    with connection.cursor() as cursor:
        # Table and column names come from the models, values are parameters.
        statement = f"INSERT INTO {quote(model._meta.db_table)} ({targets}) SELECT {picked} "
        cursor.execute(statement + f"FROM ({sql}) rollup", params)


def _day_runs(days: Iterable[date]) -> Iterator[tuple[date, date]]:
    """Sorted days as [first, after) runs of consecutive days."""
    run: list[date] = []
    for day in sorted(set(days)):
        if run and day != run[-1] + timedelta(days=1):
            yield run[0], run[-1] + timedelta(days=1)
            run = []
        run.append(day)
    if run:
        yield run[0], run[-1] + timedelta(days=1)


def _mentions(
    workspace_id: int, zone: zoneinfo.ZoneInfo, first: date | None, after: date | None
) -> QuerySet[Mention]:
    mentions = Mention.objects.filter(workspace_id=workspace_id)
    if first is not None and after is not None:
        mentions = mentions.filter(
            published_at__gte=local_midnight(first, zone),
            published_at__lt=local_midnight(after, zone),
        )
    return mentions.order_by()


def _in_days(queryset: QuerySet, first: date | None, after: date | None, field: str = "day"):
    if first is None or after is None:
        return queryset
    return queryset.filter(**{f"{field}__gte": first, f"{field}__lt": after})


def _refresh_volume(ws: int, zone: zoneinfo.ZoneInfo, first: date | None, after: date | None):
    _in_days(DailyVolume.objects.filter(workspace_id=ws), first, after).delete()
    rows = (
        _mentions(ws, zone, first, after)
        .annotate(
            w=F("workspace_id"),
            d=TruncDate("published_at", tzinfo=zone),
            p=Coalesce(F("author__platform"), Value("")),
            c=F("media_category"),
            s=F("sentiment"),
        )
        .values("w", "d", "p", "c", "s")
        .annotate(n=Count("id"))
    )
    _insert_select(
        DailyVolume,
        {
            "workspace": "w",
            "day": "d",
            "platform": "p",
            "media_category": "c",
            "sentiment": "s",
            "number": "n",
        },
        rows,
    )


def _refresh_watches(ws: int, zone: zoneinfo.ZoneInfo, first: date | None, after: date | None):
    _in_days(DailyWatchVolume.objects.filter(workspace_id=ws), first, after).delete()
    matches = MentionMatch.objects.filter(mention__workspace_id=ws).order_by()
    if first is not None and after is not None:
        matches = matches.filter(
            mention__published_at__gte=local_midnight(first, zone),
            mention__published_at__lt=local_midnight(after, zone),
        )
    rows = (
        matches.annotate(
            w=F("mention__workspace_id"),
            d=TruncDate("mention__published_at", tzinfo=zone),
            x=F("watch_id"),
            s=F("mention__sentiment"),
        )
        .values("w", "d", "x", "s")
        .annotate(n=Count("id"))
    )
    _insert_select(
        DailyWatchVolume,
        {"workspace": "w", "day": "d", "watch": "x", "sentiment": "s", "number": "n"},
        rows,
    )


def _refresh_author_days(
    ws: int, zone: zoneinfo.ZoneInfo, first: date | None, after: date | None
) -> None:
    _in_days(AuthorDay.objects.filter(workspace_id=ws), first, after).delete()
    rows = (
        _mentions(ws, zone, first, after)
        .filter(author__isnull=False)
        .annotate(
            w=F("workspace_id"),
            a=F("author_id"),
            d=TruncDate("published_at", tzinfo=zone),
            m=models.ExpressionWrapper(
                ExtractYear("published_at", tzinfo=zone) * 12
                + ExtractMonth("published_at", tzinfo=zone)
                - 1,
                output_field=models.IntegerField(),
            ),
        )
        .values("w", "a", "d", "m")
        .annotate(
            n=Count("id"),
            pos=Count("id", filter=Q(sentiment="positive")),
            neg=Count("id", filter=Q(sentiment="negative")),
        )
    )
    _insert_select(
        AuthorDay,
        {
            "workspace": "w",
            "author": "a",
            "day": "d",
            "month": "m",
            "mentions": "n",
            "positive": "pos",
            "negative": "neg",
        },
        rows,
    )


def _refresh_author_months(ws: int, first: date | None, after: date | None) -> None:
    months = AuthorMonth.objects.filter(workspace_id=ws)
    days = AuthorDay.objects.filter(workspace_id=ws).order_by()
    if first is not None and after is not None:
        low, high = month_number(first), month_number(after - timedelta(days=1))
        months = months.filter(month__gte=low, month__lte=high)
        days = days.filter(month__gte=low, month__lte=high)
    months.delete()
    rows = days.annotate(w=F("workspace_id"), a=F("author_id"), m=F("month")).values("w", "a", "m")
    _insert_select(AuthorMonth, {"workspace": "w", "author": "a", "month": "m"}, rows.distinct())


def _refresh_author_firsts(ws: int, first: date | None, after: date | None) -> set[int] | None:
    """Recompute the first days of the authors these days touch; returns the first months
    an author left or joined (their cohorts changed beyond the refreshed months), or None
    for all of them."""
    changed: set[int] = set()
    if first is None or after is None:
        AuthorFirst.objects.filter(workspace_id=ws).delete()
        batches: list[list[int] | None] = [None]
    else:
        touched = set(
            _in_days(AuthorDay.objects.filter(workspace_id=ws), first, after).values_list(
                "author_id", flat=True
            )
        ) | set(
            _in_days(
                AuthorFirst.objects.filter(workspace_id=ws), first, after, "first_day"
            ).values_list("author_id", flat=True)
        )
        ordered = sorted(touched)
        batches = [ordered[i : i + _CHUNK] for i in range(0, len(ordered), _CHUNK)]
    for batch in batches:
        days = AuthorDay.objects.filter(workspace_id=ws).order_by()
        before: dict[int, int] = {}
        if batch is not None:
            previous = AuthorFirst.objects.filter(workspace_id=ws, author_id__in=batch)
            before = dict(previous.values_list("author_id", "first_month"))
            previous.delete()
            days = days.filter(author_id__in=batch)
        rows = (
            days.annotate(w=F("workspace_id"), a=F("author_id"))
            .values("w", "a")
            .annotate(d=Min("day"), m=Min("month"))
        )
        _insert_select(
            AuthorFirst,
            {"workspace": "w", "author": "a", "first_day": "d", "first_month": "m"},
            rows,
        )
        if batch is not None:
            after_refresh = dict(
                AuthorFirst.objects.filter(workspace_id=ws, author_id__in=batch).values_list(
                    "author_id", "first_month"
                )
            )
            for author in before.keys() | after_refresh.keys():
                if before.get(author) != after_refresh.get(author):
                    changed.update({before.get(author), after_refresh.get(author)} - {None})
    return None if first is None or after is None else changed


def _refresh_cohorts(
    ws: int, first: date | None, after: date | None, first_months: set[int] | None
) -> None:
    """Recompute the cohort rows of the refreshed months, and every row of the first
    months in `first_months` (all rows when either is None)."""
    rows = MonthlyCohort.objects.filter(workspace_id=ws)
    where, params = "", []
    if first is not None and after is not None and first_months is not None:
        low, high = month_number(first), month_number(after - timedelta(days=1))
        picked = sorted(first_months)
        rows = rows.filter(Q(month__gte=low, month__lte=high) | Q(first_month__in=picked))
        where = " AND (m.month >= %s AND m.month <= %s"
        params = [low, high]
        if picked:
            where += f" OR f.first_month IN ({', '.join(['%s'] * len(picked))})"
            params += picked
        where += ")"
    rows.delete()
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        # Table names come from the models, values are parameters.
        cursor.execute(
            f"INSERT INTO {quote(MonthlyCohort._meta.db_table)}"  # noqa: S608
            " (workspace_id, first_month, month, authors)"
            " SELECT m.workspace_id, f.first_month, m.month, COUNT(*)"
            f" FROM {quote(AuthorMonth._meta.db_table)} m"
            f" JOIN {quote(AuthorFirst._meta.db_table)} f"
            " ON f.workspace_id = m.workspace_id AND f.author_id = m.author_id"
            f" WHERE m.workspace_id = %s{where} GROUP BY m.workspace_id, f.first_month, m.month",
            [ws, *params],
        )


def _each_workspace(workspace_id: int | None, refresh: Callable[[int], None]) -> None:
    """refresh(pk) for one workspace, or for all, in one transaction."""
    spaces = (
        [workspace_id]
        if workspace_id is not None
        else list(Workspace.objects.values_list("pk", flat=True))
    )
    with transaction.atomic():
        for pk in spaces:
            refresh(pk)


def rebuild_cohorts(workspace_id: int | None = None) -> None:
    """Recompute MonthlyCohort from AuthorMonth and AuthorFirst alone (no mention read)."""
    _each_workspace(workspace_id, lambda pk: _refresh_cohorts(pk, None, None, None))


def site_of(url: str) -> str:
    from veille.insights.network import site_of as host

    return host(url)


# PostgreSQL reads the host as urlsplit().hostname does for the URLs mentions have
# (scheme://[user@]host[:port]/…, IPv6 in brackets), then drops "www.".
_PG_HOST = (
    "regexp_replace(lower(substring(m.url from "
    "'^[A-Za-z][A-Za-z0-9+.-]*://(?:[^/?#]*@)?(\\[[^]/?#]*\\]|[^:/?#]*)')), "
    "'^\\[|\\]$|^www\\.', '', 'g')"
)


def _refresh_edges_postgresql(
    ws: int, zone: zoneinfo.ZoneInfo, first: date | None, after: date | None
) -> None:
    """The same rows as _refresh_edges, computed by PostgreSQL in one statement."""
    where, params = "m.workspace_id = %s", [ws]
    if first is not None and after is not None:
        where += " AND m.published_at >= %s AND m.published_at < %s"
        params += [local_midnight(first, zone), local_midnight(after, zone)]
    day = "(m.published_at AT TIME ZONE %s)::date"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {DailyEdge._meta.db_table} (workspace_id, day, author_id, target, weight)"  # noqa: S608
            " SELECT %s, day, author_id, target, COUNT(*) FROM ("
            f" SELECT {day} AS day, m.author_id, 'site:' || {_PG_HOST} AS target"
            f" FROM core_mention m WHERE {where}"
            " UNION ALL"
            f" SELECT {day} AS day, m.author_id, 'author:' || p.author_id AS target"
            " FROM core_mention m JOIN core_mention p ON p.id = m.parent_id"
            f" WHERE {where} AND m.author_id IS NOT NULL AND p.author_id IS NOT NULL"
            " AND p.author_id <> m.author_id"
            ") edges WHERE target <> 'site:' GROUP BY day, author_id, target",
            [ws, str(zone), *params, str(zone), *params],
        )


def _refresh_edges(ws: int, zone: zoneinfo.ZoneInfo, first: date | None, after: date | None):
    _in_days(DailyEdge.objects.filter(workspace_id=ws), first, after).delete()
    if connection.vendor == "postgresql":
        _refresh_edges_postgresql(ws, zone, first, after)
        return
    if first is None or after is None:
        span = _mentions(ws, zone, None, None).aggregate(
            low=models.Min("published_at"), high=models.Max("published_at")
        )
        if span["low"] is None:
            return
        first = span["low"].astimezone(zone).date()
        after = span["high"].astimezone(zone).date() + timedelta(days=1)
    low = first
    while low < after:
        high = min(after, low + timedelta(days=_EDGE_DAYS))
        weights: Counter[tuple[date, int | None, str]] = Counter()
        rows = _mentions(ws, zone, low, high).values_list(
            "published_at", "author_id", "url", "parent__author_id"
        )
        for published, author, url, parent_author in rows.iterator(chunk_size=20_000):
            day = published.astimezone(zone).date()
            site = site_of(url)
            if site:
                weights[day, author, f"site:{site}"] += 1
            if author is not None and parent_author is not None and parent_author != author:
                weights[day, author, f"author:{parent_author}"] += 1
        DailyEdge.objects.bulk_create(
            (
                DailyEdge(workspace_id=ws, day=day, author_id=author, target=target, weight=n)
                for (day, author, target), n in weights.items()
            ),
            batch_size=5000,
        )
        low = high


def month_start(month: int) -> date:
    """The first day of a month numbered as month_number does."""
    year, index = divmod(month, 12)
    return date(year, index + 1, 1)


def _edge_month_sql() -> str:
    """SQL for the month number (as month_number) of a DailyEdge row's day."""
    if connection.vendor == "postgresql":
        return "(EXTRACT(YEAR FROM day)::integer * 12 + EXTRACT(MONTH FROM day)::integer - 1)"
    return (
        "(CAST(strftime('%%Y', day) AS INTEGER) * 12 + CAST(strftime('%%m', day) AS INTEGER) - 1)"
    )


def _refresh_monthly_authors(ws: int, first: date | None, after: date | None) -> None:
    """Recompute MonthlyAuthor for the months that [first, after) touches (every month when
    None), from AuthorDay (mentions) and DailyEdge (replies received), which are already
    refreshed: whole months of daily rows, no mention read."""
    rows = MonthlyAuthor.objects.filter(workspace_id=ws)
    where, params = "", []
    if first is not None and after is not None:
        low, high = month_number(first), month_number(after - timedelta(days=1))
        rows = rows.filter(month__gte=low, month__lte=high)
        where = " AND day >= %s AND day < %s"
        params = [month_start(low), month_start(high + 1)]
    rows.delete()
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        # Table names come from the models, values are parameters.
        cursor.execute(
            f"INSERT INTO {quote(MonthlyAuthor._meta.db_table)}"  # noqa: S608
            " (workspace_id, author_id, month, mentions, positive, negative, answered)"
            " SELECT %s, author_id, month, SUM(n), SUM(pos), SUM(neg), SUM(received) FROM ("
            " SELECT author_id, month, mentions AS n, positive AS pos, negative AS neg,"
            f" 0 AS received FROM {quote(AuthorDay._meta.db_table)}"
            f" WHERE workspace_id = %s{where}"
            " UNION ALL"
            f" SELECT CAST(SUBSTR(target, 8) AS INTEGER), {_edge_month_sql()}, 0, 0, 0, weight"
            f" FROM {quote(DailyEdge._meta.db_table)} WHERE workspace_id = %s{where}"
            " AND author_id IS NOT NULL AND target LIKE 'author:%%'"
            ") parts GROUP BY author_id, month",
            [ws, ws, *params, ws, *params],
        )


def rebuild_monthly_authors(workspace_id: int | None = None) -> None:
    """Recompute MonthlyAuthor from AuthorDay and DailyEdge alone (no mention read)."""
    _each_workspace(workspace_id, lambda pk: _refresh_monthly_authors(pk, None, None))


def _refresh(
    workspace_id: int, first: date | None, after: date | None, cohorts: bool = True
) -> None:
    zone = zone_of(workspace_id)
    _refresh_volume(workspace_id, zone, first, after)
    _refresh_watches(workspace_id, zone, first, after)
    _refresh_author_days(workspace_id, zone, first, after)
    _refresh_author_months(workspace_id, first, after)
    first_months = _refresh_author_firsts(workspace_id, first, after)
    if cohorts:
        _refresh_cohorts(workspace_id, first, after, first_months)
    _refresh_edges(workspace_id, zone, first, after)
    if cohorts:
        _refresh_monthly_authors(workspace_id, first, after)


def refresh_rollups(workspace_id: int, days: Iterable[date]) -> None:
    """Recompute the roll-ups of these days of the workspace (local days), atomically."""
    runs = list(_day_runs(days))
    if not runs:
        return
    with transaction.atomic():
        for first, after in runs:
            _refresh(workspace_id, first, after)


def refresh_for_mentions(mention_ids: Iterable[int]) -> None:
    """Refresh the days of these mentions, and of the replies to them (their edges)."""
    ids = list(mention_ids)
    if not ids:
        return
    by_workspace: dict[int, set[datetime]] = {}
    for i in range(0, len(ids), _CHUNK):
        batch = ids[i : i + _CHUNK]
        rows = Mention.objects.filter(Q(pk__in=batch) | Q(parent_id__in=batch)).values_list(
            "workspace_id", "published_at"
        )
        for workspace_id, published in rows:
            by_workspace.setdefault(workspace_id, set()).add(published)
    with transaction.atomic():
        for workspace_id, moments in by_workspace.items():
            zone = zone_of(workspace_id)
            refresh_rollups(workspace_id, {moment.astimezone(zone).date() for moment in moments})


def rebuild_rollups(workspace_id: int | None = None, *, cohorts: bool = True) -> dict[str, int]:
    """Recompute every roll-up of one workspace, or of all; returns the rows per table.

    cohorts=False leaves out the tables that later migrations create, MonthlyCohort and
    MonthlyAuthor (migration 0003 runs before they exist; 0004 fills the first with
    rebuild_cohorts, 0005 the second with rebuild_monthly_authors)."""
    tables = [
        DailyVolume,
        DailyWatchVolume,
        AuthorDay,
        AuthorMonth,
        AuthorFirst,
        *([MonthlyCohort] if cohorts else []),
        DailyEdge,
        *([MonthlyAuthor] if cohorts else []),
    ]
    spaces = (
        [workspace_id]
        if workspace_id is not None
        else list(Workspace.objects.values_list("pk", flat=True))
    )
    with transaction.atomic():
        if workspace_id is None:
            for model in tables:
                model.objects.all().delete()
        for pk in spaces:
            _refresh(pk, None, None, cohorts)
    found = {}
    for model in tables:
        rows = (
            model.objects.all()
            if workspace_id is None
            else model.objects.filter(workspace_id=workspace_id)
        )
        found[model.__name__] = rows.count()
    return found


def _on_mention_saved(sender: Any, instance: Mention, raw: bool = False, **kwargs: Any) -> None:
    if not raw and instance.pk is not None:
        refresh_for_mentions([instance.pk])


def _on_match_saved(sender: Any, instance: MentionMatch, raw: bool = False, **kwargs: Any):
    if not raw:
        refresh_for_mentions([instance.mention_id])


def connect_signals() -> None:
    """Saving one mention or one match refreshes its day (bulk writes call refresh_*)."""
    models.signals.post_save.connect(
        _on_mention_saved, sender=Mention, dispatch_uid="insights_rollup_mention"
    )
    models.signals.post_save.connect(
        _on_match_saved, sender=MentionMatch, dispatch_uid="insights_rollup_match"
    )
