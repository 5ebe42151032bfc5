"""The plain evaluator: the meaning of a query, written to be read rather than to be fast.

It walks the tree for one document, scanning token lists. The fast matcher (compiled and
index) must give the same answers; the property tests hold it to that.
"""

from __future__ import annotations

from veille.query.ast import And, FieldValue, Near, Node, Not, Or, Term
from veille.query.document import Document, field_values, stream_tokens
from veille.query.result import Match, Occurrence, make_match


def term_occurrences(term: Term, document: Document) -> list[Occurrence]:
    """Every place where the term's words follow each other in its stream."""
    stream = stream_tokens(document, term.stream)
    found: list[Occurrence] = []
    for first in stream:
        if not term.words[0].matches(first.key):
            continue
        lasts = [first]
        for word in term.words[1:]:
            lasts = [
                token
                for previous in lasts
                for token in stream
                if token.first == previous.last + 1 and word.matches(token.key)
            ]
        for last in lasts:
            found.append(
                Occurrence(
                    first.field,
                    first.first,
                    last.last,
                    first.start,
                    last.end,
                    frozenset({term.label}),
                )
            )
    return found


def near_pairs(near: Near, document: Document) -> list[tuple[Occurrence, Occurrence]]:
    """The pairs of occurrences of both sides that are close enough (and in order)."""
    pairs = []
    for left in occurrences(near.left, document):
        for right in occurrences(near.right, document):
            after = 1 <= right.first - left.last <= near.distance
            before = 1 <= left.first - right.last <= near.distance
            if after or (before and not near.ordered):
                pairs.append((left, right))
    return pairs


def occurrences(node: Node, document: Document) -> list[Occurrence]:
    """Occurrences of a NEAR operand: a term, an OR of operands, or a NEAR (whole passage)."""
    if isinstance(node, Term):
        return term_occurrences(node, document)
    if isinstance(node, Or):
        return [found for child in node.children for found in occurrences(child, document)]
    assert isinstance(node, Near)
    return [
        Occurrence(
            left.field,
            min(left.first, right.first),
            max(left.last, right.last),
            min(left.start, right.start),
            max(left.end, right.end),
            left.terms | right.terms,
        )
        for left, right in near_pairs(node, document)
    ]


def _evaluate(node: Node, document: Document) -> tuple[bool, list[Occurrence], list[str]]:
    if isinstance(node, Term):
        found = term_occurrences(node, document)
        return bool(found), found, []
    if isinstance(node, FieldValue):
        matched = node.value in field_values(document, node.name)
        return matched, [], [node.label] if matched else []
    if isinstance(node, Not):
        return not _evaluate(node.child, document)[0], [], []
    if isinstance(node, Near):
        pairs = near_pairs(node, document)
        return bool(pairs), [side for pair in pairs for side in pair], []
    results = [_evaluate(child, document) for child in node.children]
    matched = all(r[0] for r in results) if isinstance(node, And) else any(r[0] for r in results)
    if not matched:
        return False, [], []
    return (
        True,
        [found for r in results if r[0] for found in r[1]],
        [label for r in results if r[0] for label in r[2]],
    )


def evaluate(root: Node, document: Document) -> Match | None:
    """The match of a query's tree on a document, or None when it does not match."""
    matched, found, labels = _evaluate(root, document)
    return make_match(root, found, labels) if matched else None
