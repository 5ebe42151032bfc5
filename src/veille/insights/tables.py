"""Every table of the dashboard as headers and rows, for CSV and XLSX downloads."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from veille.insights.dashboard import Dashboard

Table = tuple[list[str], list[list[object]]]


def _minutes(value) -> float | None:
    return None if value is None else round(value.total_seconds() / 60, 1)


def _volume(board: Dashboard) -> Table:
    headers = [_("period start"), _("mentions"), _("positive"), _("negative"), _("net sentiment")]
    rows = [
        [bucket.date().isoformat(), t.mentions, t.positive, t.negative, t.net_sentiment]
        for bucket, t in board.series
    ]
    return headers, rows


def _peaks(board: Dashboard) -> Table:
    headers = [
        _("first day"),
        _("last day"),
        _("mentions"),
        _("new authors"),
        _("back within 3 months"),
        _("still there after 3 months"),
    ]
    rows = [
        [
            s.first_day.date().isoformat(),
            s.last_day.date().isoformat(),
            s.mentions,
            s.aftermath.newcomers,
            s.aftermath.back_within_3_months,
            s.aftermath.still_there_after_3_months,
        ]
        for s in board.spikes
    ]
    return headers, rows


def _voice(board: Dashboard) -> Table:
    headers = [
        _("watch"),
        _("kind"),
        _("mentions"),
        pgettext("share of voice", "share"),
        _("net sentiment"),
    ]
    rows = [
        [name, kind, t.mentions, share, t.net_sentiment] for name, kind, t, share in board.voice
    ]
    return headers, rows


def _places(board: Dashboard) -> Table:
    headers = [
        _("platform or site"),
        _("mentions"),
        _("previous period"),
        _("growth"),
        _("net sentiment"),
    ]
    rows = [
        [p.name, p.tally.mentions, p.previous, p.growth, p.tally.net_sentiment]
        for p in board.places
    ]
    return headers, rows


def _media(board: Dashboard) -> Table:
    headers = [_("media"), _("mentions"), _("net sentiment")]
    return headers, [[name, t.mentions, t.net_sentiment] for name, t in board.media.items()]


def _cohorts(board: Dashboard) -> Table:
    width = max((len(shares) for shares in board.cohorts.values()), default=0)
    headers = [_("first month")] + [f"+{k}" for k in range(width)]
    return headers, [[month, *shares] for month, shares in board.cohorts.items()]


def _people(board: Dashboard) -> Table:
    headers = [_("list"), _("name"), _("platform"), _("mentions"), _("influence"), _("community")]
    rows = [
        [title, p.name, p.platform, p.mentions, p.influence, p.community]
        for title, people in (
            (_("influence"), board.influencers),
            (_("ambassador"), board.ambassadors),
            (_("detractor"), board.detractors),
        )
        for p in people
    ]
    return headers, rows


def _outcomes(board: Dashboard) -> Table:
    headers = [_("figure"), _("days"), _("lag (days)"), _("correlation")]
    rows = [
        [found.metric, found.days, lag, r]
        for found in board.outcomes
        for lag, r in found.by_lag.items()
    ]
    return headers, rows


def _team(board: Dashboard) -> Table:
    headers = [
        _("agent"),
        _("cases"),
        _("answered"),
        _("response rate"),
        _("median first response (min)"),
        _("p90 first response (min)"),
        _("SLA breaches"),
    ]
    everyone = [("", board.team)] if board.team else []
    rows = [
        [
            agent or _("whole team"),
            r.cases,
            r.answered,
            r.response_rate,
            _minutes(r.median_first_response),
            _minutes(r.p90_first_response),
            r.sla_breaches,
        ]
        for agent, r in [*everyone, *board.agents.items()]
    ]
    return headers, rows


TABLES: dict[str, Callable[[Dashboard], Table]] = {
    "volume": _volume,
    "peaks": _peaks,
    "voice": _voice,
    "places": _places,
    "media": _media,
    "cohorts": _cohorts,
    "people": _people,
    "outcomes": _outcomes,
    "team": _team,
}


def _safe_cell(value: object) -> object:
    """Spreadsheets run cells that start with = + - @ as formulas: neutralise text ones."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return "" if value is None else value


def to_csv(table: Table) -> str:
    headers, rows = table
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows([_safe_cell(cell) for cell in row] for row in rows)
    return buffer.getvalue()


def to_xlsx(tables: dict[str, Table]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for name, (headers, rows) in tables.items():
        sheet = book.create_sheet(title=name[:31])
        sheet.append(headers)
        for row in rows:
            sheet.append([_safe_cell(cell) for cell in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
