"""Stored mentions that a query matches: a database prefilter, then the exact matcher.

The prefilter (the veille.search app: an FTS5 table on SQLite, a tsvector under a GIN
index on PostgreSQL) only narrows the candidates; every candidate is then read by the
same matcher as the pipeline, so a search and a watch find the same mentions. At most
MAX_CANDIDATES (setting VEILLE_SEARCH_MAX_CANDIDATES) of the newest candidates are read;
`capped` says when there were more. A query with nothing safe to require in the title and
text (only NOT, or only fields such as lang: or site:) cannot be prefiltered: then the
newest mentions are the candidates, within the same bound.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from veille.core.models import Mention
from veille.query import Document, Match, QueryIndex
from veille.query.parser import Query

MAX_CANDIDATES = 5_000
_FIELDS = (
    "id",
    "title",
    "text",
    "url",
    "language",
    "kind",
    "author__handle",
    "author__display_name",
    "author__platform",
    "source__kind",
)


@dataclass
class SearchResult:
    ids: list[int]  # the matching mentions, newest first
    capped: bool  # more candidates than were read
    max_candidates: int = MAX_CANDIDATES  # how many candidates were read at most
    documents: dict[int, Document] = field(default_factory=dict)


def _document(row: dict[str, Any]) -> Document:
    return Document(
        text=row["text"],
        title=row["title"],
        author=row["author__handle"] or "",
        author_name=row["author__display_name"] or "",
        url=row["url"],
        lang=row["language"],
        platform=row["author__platform"] or row["source__kind"] or "",
        kind=row["kind"],
    )


def max_candidates() -> int:
    """How many candidates a search reads at most (setting VEILLE_SEARCH_MAX_CANDIDATES)."""
    return int(settings.VEILLE_SEARCH_MAX_CANDIDATES)


def prefilter(mentions: QuerySet[Mention], query: Query) -> QuerySet[Mention]:
    """Mentions that may match: those whose indexed words satisfy the query's clauses."""
    if not apps.is_installed("veille.search"):
        return mentions
    from veille.search import index

    if connection.vendor == "sqlite":
        expression, statement = index.fts_expression(query), index.MATCHING_IDS_SQL
    elif connection.vendor == "postgresql":
        expression, statement = index.tsquery_text(query), index.PG_MATCHING_IDS_SQL
        if expression is not None:
            index.refresh_words()  # stale rows stay candidates; this only narrows further
    else:
        return mentions
    if expression is None:
        return mentions
    # A constant statement; the expression is passed as a parameter.
    matching = RawSQL(statement, (expression,))  # noqa: S611
    return mentions.filter(id__in=matching)


def search(mentions: QuerySet[Mention], query: Query, limit: int | None = None) -> SearchResult:
    """The mentions of the query set that the query matches, newest first.

    `limit` stops after that many matches (a preview); otherwise all are listed.
    """
    bound = max_candidates()
    candidates = prefilter(mentions, query).order_by("-published_at", "-id")
    rows = list(candidates.values(*_FIELDS)[: bound + 1])
    capped = len(rows) > bound
    index = QueryIndex({0: query})
    result = SearchResult([], capped, bound)
    for row in rows[:bound]:
        document = _document(row)
        if index.terms(document):
            result.ids.append(row["id"])
            result.documents[row["id"]] = document
            if limit is not None and len(result.ids) >= limit:
                break
    return result


def spans_of(query: Query, documents: Iterable[tuple[int, Document]]) -> dict[int, Match]:
    """Where the query matched each document: for highlighting the shown ones only."""
    index = QueryIndex({0: query})
    found = {}
    for key, document in documents:
        match = index.match(document).get(0)
        if match is not None:
            found[key] = match
    return found


def highlight(text: str, match: Match | None, name: str, limit: int | None = None) -> SafeString:
    """The text of a field, escaped, with the matched spans in <mark>.

    Every piece of text goes through escape(); only the <mark> tags are ours. With a
    limit the text is cut there, as truncatechars does.
    """
    cut = limit is not None and len(text) > limit
    shown = text[: max(limit - 1, 0)] if cut and limit is not None else text
    found = match.spans if match else ()
    spans = sorted((span.start, span.end) for span in found if span.field == name)
    pieces: list[str] = []
    cursor = 0
    for start, end in spans:
        start, end = max(start, cursor), min(end, len(shown))
        if start >= end:
            continue
        pieces.append(escape(shown[cursor:start]))
        pieces.append(f"<mark>{escape(shown[start:end])}</mark>")
        cursor = end
    pieces.append(escape(shown[cursor:]))
    if cut:
        pieces.append("…")
    return mark_safe("".join(pieces))  # noqa: S308 - each piece is escaped above
