"""The fast evaluator: a query compiled once into closures over an analysed document.

A document is analysed once for all the watches that look at it: each stream is tokenised
on first use and indexed by key and by position, so a phrase costs a few dictionary
look-ups instead of scans. Same meaning as the reference evaluator.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from veille.query.ast import And, FieldValue, Near, Node, Not, Or, Term
from veille.query.document import Document, field_values, stream_tokens
from veille.query.normalise import Token
from veille.query.result import Match, Occurrence, make_match

# None: no match. Otherwise the evidence: occurrences (spans) and labels of value filters.
Evidence = list[Any] | None


class _StreamIndex:
    __slots__ = ("by_first", "by_key")

    def __init__(self, tokens: list[Token]) -> None:
        self.by_key: dict[str, list[Token]] = {}
        self.by_first: dict[int, list[Token]] = {}
        for token in tokens:
            self.by_key.setdefault(token.key, []).append(token)
            self.by_first.setdefault(token.first, []).append(token)


class Analysis:
    """One document, tokenised lazily, stream by stream, for any number of queries."""

    __slots__ = ("_streams", "_values", "document")

    def __init__(self, document: Document) -> None:
        self.document = document
        self._streams: dict[str, _StreamIndex] = {}
        self._values: dict[str, frozenset[str]] = {}

    def stream(self, name: str) -> _StreamIndex:
        index = self._streams.get(name)
        if index is None:
            index = self._streams[name] = _StreamIndex(stream_tokens(self.document, name))
        return index

    def values(self, name: str) -> frozenset[str]:
        found = self._values.get(name)
        if found is None:
            found = self._values[name] = field_values(self.document, name)
        return found


Finder = Callable[[Analysis], list[Occurrence]]
Matcher = Callable[[Analysis], Evidence]


def _term_finder(term: Term) -> Finder:
    stream_name, label = term.stream, frozenset({term.label})
    head, rest = term.words[0], term.words[1:]

    def starts(index: _StreamIndex) -> list[Token]:
        if not head.prefix:
            return index.by_key.get(head.key, [])
        return [
            token
            for key, tokens in index.by_key.items()
            if key.startswith(head.key)
            for token in tokens
        ]

    def find(analysis: Analysis) -> list[Occurrence]:
        index = analysis.stream(stream_name)
        found = []
        for first in starts(index):
            lasts = [first]
            for word in rest:
                lasts = [
                    token
                    for previous in lasts
                    for token in index.by_first.get(previous.last + 1, ())
                    if word.matches(token.key)
                ]
                if not lasts:
                    break
            for last in lasts:
                found.append(
                    Occurrence(first.field, first.first, last.last, first.start, last.end, label)
                )
        return found

    return find


def _pairs(near: Near) -> Callable[[Analysis], list[tuple[Occurrence, Occurrence]]]:
    find_left, find_right = _finder(near.left), _finder(near.right)
    distance, ordered = near.distance, near.ordered

    def pairs(analysis: Analysis) -> list[tuple[Occurrence, Occurrence]]:
        lefts = find_left(analysis)
        if not lefts:
            return []
        rights = find_right(analysis)
        return [
            (left, right)
            for left in lefts
            for right in rights
            if 1 <= right.first - left.last <= distance
            or (not ordered and 1 <= left.first - right.last <= distance)
        ]

    return pairs


def _finder(node: Node) -> Finder:
    if isinstance(node, Term):
        return _term_finder(node)
    if isinstance(node, Or):
        finders = [_finder(child) for child in node.children]
        return lambda analysis: [found for find in finders for found in find(analysis)]
    assert isinstance(node, Near)
    pairs = _pairs(node)

    def passages(analysis: Analysis) -> list[Occurrence]:
        return [
            Occurrence(
                left.field,
                min(left.first, right.first),
                max(left.last, right.last),
                min(left.start, right.start),
                max(left.end, right.end),
                left.terms | right.terms,
            )
            for left, right in pairs(analysis)
        ]

    return passages


def _matcher(node: Node) -> Matcher:
    if isinstance(node, Term):
        find = _term_finder(node)
        return lambda analysis: find(analysis) or None
    if isinstance(node, FieldValue):
        name, value, labels = node.name, node.value, [node.label]
        return lambda analysis: labels if value in analysis.values(name) else None
    if isinstance(node, Not):
        child = _matcher(node.child)
        return lambda analysis: [] if child(analysis) is None else None
    if isinstance(node, Near):
        pairs = _pairs(node)
        return lambda analysis: [side for pair in pairs(analysis) for side in pair] or None
    children = [_matcher(child) for child in node.children]
    if isinstance(node, And):

        def all_of(analysis: Analysis) -> Evidence:
            evidence: list[Any] = []
            for child in children:
                found = child(analysis)
                if found is None:
                    return None
                evidence += found
            return evidence

        return all_of

    def any_of(analysis: Analysis) -> Evidence:
        evidence: list[Any] | None = None
        for child in children:
            found = child(analysis)
            if found is not None:
                evidence = found if evidence is None else evidence + found
        return evidence

    return any_of


class CompiledQuery:
    """A query's tree, compiled once; match() it against as many documents as needed."""

    __slots__ = ("_match", "root")

    def __init__(self, root: Node) -> None:
        self.root = root
        self._match = _matcher(root)

    def matches(self, analysis: Analysis) -> bool:
        return self._match(analysis) is not None

    def match(self, analysis: Analysis) -> Match | None:
        evidence = self._match(analysis)
        if evidence is None:
            return None
        occurrences = [item for item in evidence if isinstance(item, Occurrence)]
        labels = [item for item in evidence if isinstance(item, str)]
        return make_match(self.root, occurrences, labels)
