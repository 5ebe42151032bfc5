"""What a match says: the terms that were found and where, for highlighting."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from veille.query.ast import Node, leaves

_FIELD_ORDER = {"title": 0, "text": 1, "author": 2, "author_name": 3, "url": 4}


class Occurrence(NamedTuple):
    """Where a term, or a group of terms close to each other, was found."""

    field: str
    first: int  # positions in its stream
    last: int
    start: int  # characters in the field's original text
    end: int
    terms: frozenset[str]


class Span(NamedTuple):
    """Characters start..end of a field of the document (title, text, author, url…)."""

    field: str
    start: int
    end: int


class Match(NamedTuple):
    terms: tuple[str, ...]  # as written in the query, in its order
    spans: tuple[Span, ...]  # sorted, without duplicates


def make_match(root: Node, occurrences: Iterable[Occurrence], labels: Iterable[str]) -> Match:
    found = set(labels)
    spans: set[Span] = set()
    for occurrence in occurrences:
        found |= occurrence.terms
        spans.add(Span(occurrence.field, occurrence.start, occurrence.end))
    ordered = dict.fromkeys(leaf.label for leaf in leaves(root) if leaf.label in found)
    return Match(
        tuple(ordered),
        tuple(sorted(spans, key=lambda span: (_FIELD_ORDER.get(span.field, 9), span[1:]))),
    )
