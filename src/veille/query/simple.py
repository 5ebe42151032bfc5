"""A simple matcher: the terms of a watch, found case- and accent-insensitively.

A query here is a list of terms or "quoted phrases" separated by OR (or commas); each
term is found as whole words. Superseded by the boolean query language (parser, index);
kept for the demo generator's tests, which check its feeds with it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from veille.query.normalise import fold

_SEPARATOR = re.compile(r"\s+OR\s+|,", re.IGNORECASE)


def parse_terms(query: str) -> list[str]:
    """The terms of a query, in order, without quotes or empty parts."""
    terms = []
    for part in _SEPARATOR.split(query):
        term = part.strip().strip('"').strip()
        if term:
            terms.append(term)
    return terms


@dataclass(frozen=True, slots=True)
class CompiledWatch:
    watch_id: int
    terms: tuple[str, ...]
    pattern: re.Pattern[str]


def compile_watch(watch_id: int, query: str) -> CompiledWatch:
    terms = tuple(parse_terms(query))
    if not terms:
        raise ValueError(f"watch {watch_id}: the query {query!r} has no term")
    alternatives = "|".join(
        r"\s+".join(re.escape(word) for word in fold(term).split()) for term in terms
    )
    pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")
    return CompiledWatch(watch_id, terms, pattern)


class SimpleMatcher:
    """Finds which watches a text mentions, and through which terms."""

    def __init__(self, watches: dict[int, str]) -> None:
        self._watches = [compile_watch(watch_id, query) for watch_id, query in watches.items()]

    def match(self, text: str) -> dict[int, list[str]]:
        folded = fold(text)
        found: dict[int, list[str]] = {}
        for watch in self._watches:
            hits = {" ".join(hit.split()) for hit in watch.pattern.findall(folded)}
            if hits:
                found[watch.watch_id] = [
                    term for term in watch.terms if " ".join(fold(term).split()) in hits
                ]
        return found
