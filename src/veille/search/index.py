"""The SQLite side of the prefilter: an FTS5 table of folded keys, kept by triggers.

SQLite's own tokenizers do not fold the way the query language does (« cœur » is found
by `coeur`, « #MediasSociaux » by "médias sociaux"), so the triggers store what veille
itself reads in a mention: every token key of the title and the text, folded, computed
by a Python function registered on each Django connection. A key then is found in the
table exactly when the matcher could find it in the mention, and the prefilter never
drops a mention that the query matches.

PostgreSQL has no such table yet: there, the search evaluates the newest candidates
directly (see web/search.py), because `to_tsvector` does not fold accents or split
hashtags and would drop real matches.
"""

from __future__ import annotations

from typing import Any

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
