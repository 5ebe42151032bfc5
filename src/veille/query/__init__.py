"""The boolean query language of watches: parse, evaluate, and index many watches.

>>> from veille.query import Document, parse, match_one
>>> match_one(parse('"médias sociaux" NOT emploi'), Document(text="Les #MediasSociaux"))
"""

from __future__ import annotations

from veille.query.compiled import Analysis, CompiledQuery
from veille.query.document import Document
from veille.query.errors import QuerySyntaxError
from veille.query.index import QueryIndex
from veille.query.normalise import fold
from veille.query.parser import Query, parse
from veille.query.result import Match, Span

__all__ = [
    "Document",
    "Match",
    "Query",
    "QueryIndex",
    "QuerySyntaxError",
    "Span",
    "fold",
    "match_one",
    "parse",
]


def match_one(query: Query, document: Document) -> Match | None:
    """One query against one document (for many, build a QueryIndex)."""
    return CompiledQuery(query.root).match(Analysis(document))
