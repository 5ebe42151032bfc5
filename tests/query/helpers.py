"""Shared by the query tests: match one query against one document, both ways."""

from __future__ import annotations

from veille.query import Document, Match, QueryIndex, parse
from veille.query.reference import evaluate


def find(query: str, text: str = "", **fields: str) -> Match | None:
    """The indexed matcher's answer, checked against the reference evaluator."""
    document = Document(text=text, **fields)
    parsed = parse(query)
    index = QueryIndex({0: parsed})
    fast = index.match(document).get(0)
    assert fast == evaluate(parsed.root, document)
    assert index.terms(document).get(0) == (fast.terms if fast else None)
    return fast


def found(query: str, text: str = "", **fields: str) -> bool:
    return find(query, text, **fields) is not None
