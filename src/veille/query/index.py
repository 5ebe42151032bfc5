"""Many queries against a stream of documents: each document only meets its candidates.

Every query requires at least one key of each of its clauses (see requirements). The
index files each query under one clause, the one likely to be the rarest in mentions,
and checks the others with set look-ups before evaluating it. A key that many watches
share (a topic word such as « recrutement ») is taken to be common in mentions too, so a
query is filed under its own words rather than under the words it shares.

The index remembers, for every key it has met in mentions, the queries filed under it or
under a prefix of it: a mention's candidates are then a set intersection of its keys with
the keys that have queries, and a mention that holds none costs no position at all.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping
from operator import itemgetter
from typing import Generic, TypeVar

from veille.query.compiled import Analysis, CompiledQuery
from veille.query.document import Document
from veille.query.fast import FastAnalysis, TermsQuery
from veille.query.parser import Query
from veille.query.requirements import PREFIX_MARK, clause_cost
from veille.query.result import Match

Id = TypeVar("Id", bound=Hashable)
SEEN_KEYS = 200_000  # keys remembered per index before starting afresh


def _filed_clause(query: Query, sharing: Counter[str]) -> frozenset[str]:
    """The clause to file a query under: cheap words that few other queries use."""

    def cost(clause: frozenset[str]) -> float:
        return clause_cost(clause) * max(sharing[key] for key in clause)

    return min(query.clauses, key=cost)


class QueryIndex(Generic[Id]):
    """Parsed queries by id, indexed by the keys they require."""

    def __init__(self, queries: Mapping[Id, Query]) -> None:
        self._ids: list[Id] = list(queries)
        parsed = list(queries.values())
        self._terms = [TermsQuery(query.root) for query in parsed]
        self._compiled: list[CompiledQuery | None] = [None] * len(parsed)
        self._roots = [query.root for query in parsed]
        self._by_key: dict[str, list[int]] = {}
        self._by_prefix: dict[str, list[int]] = {}
        # The other clauses without prefix, checked with set look-ups before evaluating.
        self._checks: list[tuple[frozenset[str], ...]] = []
        sharing = Counter(key for query in parsed for clause in query.clauses for key in clause)
        for position, query in enumerate(parsed):
            filed = _filed_clause(query, sharing)
            self._checks.append(
                tuple(
                    clause
                    for clause in query.clauses
                    if clause != filed and not any(k.endswith(PREFIX_MARK) for k in clause)
                )
            )
            for key in filed:
                if key.endswith(PREFIX_MARK):
                    self._by_prefix.setdefault(key[:-1], []).append(position)
                else:
                    self._by_key.setdefault(key, []).append(position)
        self._prefix_lengths = sorted({len(prefix) for prefix in self._by_prefix})
        self._namespaces = frozenset(
            key.split(":", 1)[0]
            for query in parsed
            for clause in query.clauses
            for key in clause
            if ":" in key
        )
        # Keys met so far, and the queries filed under those that have some.
        self._seen: set[str] = set()
        self._hits: dict[str, tuple[int, ...]] = {}
        self._hit_keys: set[str] = set()  # the keys of _hits, as a set to intersect

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
            for length in self._prefix_lengths:
                # A key shorter than `length` is its own slice: it only meets a shorter
                # prefix, which that prefix's own length finds too.
                for start in set(map(itemgetter(slice(length)), keys)) & by_prefix.keys():
                    found.update(by_prefix[start])
        return self._checked(found, keys)

    def _checked(self, found: set[int], keys: set[str]) -> list[int]:
        """The positions whose other clauses each have a key among `keys`, in order."""
        checks = self._checks
        kept = []
        for position in found:
            for clause in checks[position]:
                if clause.isdisjoint(keys):
                    break
            else:
                kept.append(position)
        kept.sort()
        return kept

    def _learn(self, keys: set[str], needed: set[str]) -> None:
        """File new keys: the queries filed under each one or under a prefix of it.

        When the memory is full it starts afresh, with the `needed` keys.
        """
        if len(self._seen) + len(keys) > SEEN_KEYS:
            self._seen.clear()
            self._hits.clear()
            self._hit_keys.clear()
            keys = needed
        by_key, by_prefix, lengths = self._by_key, self._by_prefix, self._prefix_lengths
        for key in keys:
            found = set(by_key.get(key, ()))
            for length in lengths:
                filed = by_prefix.get(key[:length])
                if filed is not None:
                    found.update(filed)
            if found:
                self._hits[key] = tuple(found)
                self._hit_keys.add(key)
        self._seen |= keys

    def _candidates(self, keys: set[str]) -> list[int]:
        """candidates(keys), with what each key brings remembered from one call to the next.

        A mention's keys are mostly the same words again: after the first few thousand
        mentions, finding its candidates is two set operations and a look-up per key
        that some query is filed under.
        """
        new = keys - self._seen
        if new:
            self._learn(new, keys)
        hits = self._hits
        found: set[int] = set()
        for key in keys & self._hit_keys:
            found.update(hits[key])
        if not found:
            return []
        return self._checked(found, keys)

    def _matching(self, document: Document) -> list[tuple[int, tuple[str, ...]]]:
        analysis = FastAnalysis(document)
        positions = self._candidates(analysis.keys(self._namespaces))
        found = []
        for position in positions:
            terms = self._terms[position].terms(analysis)
            if terms is not None:
                found.append((position, terms))
        return found

    def terms(self, document: Document) -> dict[Id, tuple[str, ...]]:
        """The queries that match the document, with the terms found: the pipeline's path."""
        ids = self._ids
        return {ids[position]: terms for position, terms in self._matching(document)}

    def match(self, document: Document) -> dict[Id, Match]:
        """The queries that match the document, with their terms and spans (to highlight)."""
        found: dict[Id, Match] = {}
        matching = self._matching(document)
        if not matching:
            return found
        analysis = Analysis(document)
        for position, _ in matching:
            compiled = self._compiled[position]
            if compiled is None:
                compiled = self._compiled[position] = CompiledQuery(self._roots[position])
            result = compiled.match(analysis)
            if result is not None:  # always, as the agreement tests check
                found[self._ids[position]] = result
        return found
