"""The prefilter's tables of folded keys: FTS5 on SQLite, a tsvector on PostgreSQL.

SQLite's own tokenizers do not fold the way the query language does (« cœur » is found
by `coeur`, « #MediasSociaux » by "médias sociaux"), so the triggers store what veille
itself reads in a mention: every token key of the title and the text, folded, computed
by a Python function registered on each Django connection. A key then is found in the
table exactly when the matcher could find it in the mention, and the prefilter never
drops a mention that the query matches.

PostgreSQL cannot call Python from a trigger, and its `to_tsvector` neither folds accents
nor splits hashtags the way the matcher does, so there the keys live in a side table,
`search_mention_words`, one row a mention: a `tsvector` built from the same keys with
`array_to_tsvector` (taken as they are, no parser in between) under a GIN index. Triggers
on `core_mention` only mark a row stale (`words` NULL, `version` + 1) when a mention is
added or its title or text changes; refresh_words() computes the keys of stale rows in
Python, in batches, before each search. A row whose `words` is NULL (stale, or too big to
index) is always a candidate, so the prefilter never drops a mention the query matches,
even before its keys are computed.
"""

from __future__ import annotations

from typing import Any

from django.db import connection as default_connection
from django.db import transaction

from veille.query.fast import Stream
from veille.query.parser import Query
from veille.query.requirements import PREFIX_MARK

TABLE = "search_mention_fts"
FUNCTION = "veille_search_keys"
MATCHING_IDS_SQL = "SELECT rowid FROM search_mention_fts WHERE search_mention_fts MATCH %s"


def search_keys(title: str | None, text: str | None) -> str:
    """The token keys of a mention's title and text, space-separated, each once."""
    return " ".join(sorted(Stream((title or "", text or "")).keys))


def install_functions(sender: Any, connection: Any, **kwargs: Any) -> None:
    """Give a new SQLite connection the function that the triggers call."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(FUNCTION, 2, search_keys, deterministic=True)


def _term(key: str) -> str:
    prefix = key.endswith(PREFIX_MARK)
    word = key[:-1] if prefix else key
    quoted = '"' + word.replace('"', '""') + '"'
    return quoted + ("*" if prefix else "")


def fts_expression(query: Query) -> str | None:
    """An FTS5 MATCH expression that every mention the query matches satisfies.

    Only the clauses over the title and text take part (field keys such as `site:` are
    left to the exact matcher); None when no clause does.
    """
    parts = []
    for clause in query.clauses:
        if any(":" in key for key in clause):
            continue
        terms = [_term(key) for key in sorted(clause)]
        parts.append(terms[0] if len(terms) == 1 else "(" + " OR ".join(terms) + ")")
    return " AND ".join(parts) if parts else None


# PostgreSQL.
PG_TABLE = "search_mention_words"
PG_MATCHING_IDS_SQL = (
    "SELECT mention_id FROM search_mention_words WHERE words IS NULL OR words @@ %s::tsquery"
)
# tsvector limits: a lexeme under 2 KiB, the whole vector under 1 MiB. A mention beyond
# them keeps `words` NULL: always a candidate, never lost.
MAX_LEXEME_BYTES = 2_046
MAX_VECTOR_BYTES = 512 * 1024
REFRESH_BATCH = 2_000


def pg_lexemes(title: str | None, text: str | None) -> list[str] | None:
    """The keys of a mention as tsvector lexemes, or None when they cannot all be stored."""
    keys = sorted(key for key in Stream((title or "", text or "")).keys if key)
    total = 0
    for key in keys:
        size = len(key.encode())
        if size > MAX_LEXEME_BYTES:
            return None
        total += size + 8
    return None if total > MAX_VECTOR_BYTES else keys


def refresh_words(limit: int = REFRESH_BATCH, using: Any = None) -> int:
    """Compute the keys of up to `limit` stale mentions; how many were stored.

    A row is written only if its mention did not change meanwhile (same `version`), so a
    concurrent edit leaves it stale rather than wrong.
    """
    connection = using or default_connection
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT w.mention_id, w.version, m.title, m.text FROM search_mention_words w "
            "JOIN core_mention m ON m.id = w.mention_id WHERE w.stale LIMIT %s",
            [limit],
        )
        rows = cursor.fetchall()
    if not rows:
        return 0
    updates = [
        (pg_lexemes(title, text), mention_id, version) for mention_id, version, title, text in rows
    ]
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.executemany(
            "UPDATE search_mention_words SET words = array_to_tsvector(%s::text[]), "
            "stale = false WHERE mention_id = %s AND version = %s",
            updates,
        )
    return len(updates)


def _lexeme(key: str) -> str:
    """A key as a tsquery operand, quoted so that PostgreSQL takes it as it is."""
    prefix = key.endswith(PREFIX_MARK)
    word = key[:-1] if prefix else key
    quoted = "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"
    return quoted + (":*" if prefix else "")


def tsquery_text(query: Query) -> str | None:
    """A tsquery (in its input syntax) that every mention the query matches satisfies.

    The same clauses as fts_expression(): each is a set of keys of which a matching
    mention holds at least one, so their conjunction never drops a match. None when no
    clause is over the title and text (only NOT, or only fields): then there is nothing
    safe to require, and the search reads the newest candidates instead.
    """
    parts = []
    for clause in query.clauses:
        # Field keys are the exact matcher's; an empty word cannot be a lexeme.
        if any(":" in key or not key.rstrip(PREFIX_MARK) for key in clause):
            continue
        terms = [_lexeme(key) for key in sorted(clause)]
        parts.append(terms[0] if len(terms) == 1 else "( " + " | ".join(terms) + " )")
    return " & ".join(parts) if parts else None
