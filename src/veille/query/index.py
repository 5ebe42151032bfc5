"""Many queries against a stream of documents: each document only meets its candidates.

Every query requires at least one of a few keys (see requirements). The index maps each
key to the queries that require it, and each prefix (`market*`) likewise, so that a
document's keys, looked up in two dictionaries, name the few queries worth evaluating.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Generic, TypeVar

from veille.query.compiled import Analysis, CompiledQuery
from veille.query.document import Document, candidate_keys
from veille.query.parser import Query
from veille.query.requirements import PREFIX_MARK
from veille.query.result import Match

Id = TypeVar("Id", bound=Hashable)


class QueryIndex(Generic[Id]):
    """Parsed queries by id, indexed by the keys they require."""

    def __init__(self, queries: Mapping[Id, Query]) -> None:
        self._ids: list[Id] = list(queries)
        self._compiled = [CompiledQuery(query.root) for query in queries.values()]
        self._by_key: dict[str, list[int]] = {}
        self._by_prefix: dict[str, list[int]] = {}
        # The other clauses without prefix, checked with set look-ups before evaluating.
        self._checks: list[tuple[frozenset[str], ...]] = []
        for position, query in enumerate(queries.values()):
            indexed = query.required
            self._checks.append(
                tuple(
                    clause
                    for clause in query.clauses
                    if clause != indexed and not any(k.endswith(PREFIX_MARK) for k in clause)
                )
            )
            for key in indexed:
                if key.endswith(PREFIX_MARK):
                    self._by_prefix.setdefault(key[:-1], []).append(position)
                else:
                    self._by_key.setdefault(key, []).append(position)
        self._prefix_lengths = sorted({len(prefix) for prefix in self._by_prefix})
        self._namespaces = frozenset(
            key.split(":", 1)[0]
            for query in queries.values()
            for clause in query.clauses
            for key in clause
            if ":" in key
        )

    def __len__(self) -> int:
        return len(self._ids)

    def candidates(self, keys: set[str]) -> list[int]:
        """Positions of the queries that may match a document with these keys, in order."""
        found: set[int] = set()
        by_key = self._by_key
        for key in keys & by_key.keys():
            found.update(by_key[key])
        if self._prefix_lengths:
            by_prefix = self._by_prefix
            for key in keys:
                for length in self._prefix_lengths:
                    if length > len(key):
                        break
                    hits = by_prefix.get(key[:length])
                    if hits:
                        found.update(hits)
        checks = self._checks
        return sorted(
            position
            for position in found
            if all(not clause.isdisjoint(keys) for clause in checks[position])
        )

    def match(self, document: Document) -> dict[Id, Match]:
        """The queries that match the document, with their terms and spans."""
        positions = self.candidates(candidate_keys(document, self._namespaces))
        if not positions:
            return {}
        analysis = Analysis(document)
        found: dict[Id, Match] = {}
        for position in positions:
            result = self._compiled[position].match(analysis)
            if result is not None:
                found[self._ids[position]] = result
        return found
