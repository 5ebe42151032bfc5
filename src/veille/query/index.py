"""Many queries against a stream of documents: each document only meets its candidates.

Every query requires at least one key of each of its clauses (see requirements). The
index files each query under one clause, the one likely to be the rarest in mentions,
and checks the others with set look-ups before evaluating it. A key that many watches
share (a topic word such as « recrutement ») is taken to be common in mentions too, so a
query is filed under its own words rather than under the words it shares.

A mention is looked up by its *pieces* (fast.text_pieces: its text cut on whitespace and
ASCII punctuation, before any folding), and the index remembers, for every piece it has
met, the queries filed under the keys of that piece or under a prefix of them. Finding a
mention's candidates is then a set difference (the pieces not met yet) and a set
intersection (the pieces that bring queries); only the pieces never met are read (and
folded). A mention that brings no query is done there; only the others get their keys,
the checks of the other clauses and an evaluation.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Mapping
from operator import attrgetter
from typing import Generic, TypeVar

from veille.query.ast import CONTENT, VALUE_FIELDS
from veille.query.compiled import Analysis, CompiledQuery
from veille.query.document import STREAM_FIELDS, Document, named_values, url_authority
from veille.query.fast import FastAnalysis, Stream, TermsQuery, piece_keys, text_pieces
from veille.query.parser import Query
from veille.query.requirements import PREFIX_MARK, clause_cost, excluded_words
from veille.query.result import Match

Id = TypeVar("Id", bound=Hashable)
SEEN_KEYS = 200_000  # pieces and keys remembered per index before starting afresh
VALUE_MEMORY = 65_536  # value combinations (site, lang…) remembered before starting afresh


def _filed_clause(query: Query, sharing: Counter[str]) -> frozenset[str]:
    """The clause to file a query under: cheap words that few other queries use."""

    def cost(clause: frozenset[str]) -> float:
        return clause_cost(clause) * max(sharing[key] for key in clause)

    return min(query.clauses, key=cost)


_NONE: frozenset[str] = frozenset()


class _Memory:
    """Items met so far (pieces of text, or namespaced keys) and what they bring.

    `hits`: the queries filed under an item's keys, for the items that bring some;
    `odd`: the keys of the items that are not their own one key (« café », « l’été »).
    """

    __slots__ = ("hit_items", "hits", "odd", "odd_items", "seen")

    def __init__(self) -> None:
        self.forget()

    def forget(self) -> None:
        # New objects rather than clear(): a stream keeps the `odd` it was read with.
        self.seen: set[str] = set()
        self.hits: dict[str, tuple[int, ...]] = {}
        self.hit_items: set[str] = set()  # the keys of hits, as a set to intersect
        self.odd: dict[str, tuple[str, ...]] = {}
        self.odd_items: set[str] = set()


def _own_keys(keys: set[str]) -> dict[str, tuple[str, ...]]:
    """Namespaced keys are their own key."""
    return {key: (key,) for key in keys}


class QueryIndex(Generic[Id]):
    """Parsed queries by id, indexed by the keys they require."""

    def __init__(self, queries: Mapping[Id, Query]) -> None:
        self._ids: list[Id] = list(queries)
        parsed = list(queries.values())
        self._terms = [TermsQuery(query.root) for query in parsed]
        self._terms_of = [query.terms for query in self._terms]  # bound once
        self._compiled: list[CompiledQuery | None] = [None] * len(parsed)
        self._roots = [query.root for query in parsed]
        self._by_key: dict[str, list[int]] = {}
        self._by_prefix: dict[str, list[int]] = {}
        # The other clauses without prefix, checked with set look-ups before evaluating.
        self._checks: list[tuple[frozenset[str], ...]] = []
        # Content words that a query excludes outright (`… NOT (emploi OR concours)`): a
        # mention with one of them cannot match, and is not evaluated.
        self._excluded: dict[int, frozenset[str]] = {}
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
            excluded = excluded_words(query.root)
            if excluded:
                self._excluded[position] = excluded
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
        self._token_names = tuple(name for name in ("author", "url") if name in self._namespaces)
        # The value fields (site, lang…) some query uses: the site is read from the URL's
        # authority, the others are the field itself. Each combination of sources met is
        # remembered with its keys and the queries filed under them.
        names = [name for name in VALUE_FIELDS if name in self._namespaces]
        self._site = "site" in names
        self._plain_names = tuple(name for name in names if name != "site")
        self._plain: Callable[[Document], object] | None = (
            attrgetter(*self._plain_names) if self._plain_names else None
        )
        self._values: dict[tuple[str, object], tuple[frozenset[str], tuple[int, ...]]] = {}
        # Pieces of text met so far, and apart namespaced keys (author:jean…).
        self._pieces = _Memory()
        self._keys = _Memory()

    def __len__(self) -> int:
        return len(self._ids)

    def _filed(self, keys: tuple[str, ...] | frozenset[str]) -> tuple[int, ...]:
        """The queries filed under the keys or under a prefix of one of them."""
        by_key, by_prefix, lengths = self._by_key, self._by_prefix, self._prefix_lengths
        found: list[int] = []
        for key in keys:
            filed = by_key.get(key)
            if filed is not None:
                found += filed
            for length in lengths:
                # A key shorter than `length` is its own slice: it only meets a shorter
                # prefix, which that prefix's own length finds too.
                filed = by_prefix.get(key[:length])
                if filed is not None:
                    found += filed
        return tuple(set(found)) if found else ()

    def _hits(
        self,
        memory: _Memory,
        items: set[str] | frozenset[str],
        read: Callable[[set[str]], dict[str, tuple[str, ...]]],
        found: set[int],
    ) -> None:
        """Add to `found` the queries filed under the keys of the items (see _Memory)."""
        new = items - memory.seen
        if new:
            if len(memory.seen) + len(new) > SEEN_KEYS:
                memory.forget()
                new = set(items)
            filed, odd, odd_items = self._filed, memory.odd, memory.odd_items
            hits, hit_items = memory.hits, memory.hit_items
            for item, keys in read(new).items():
                if keys != (item,):
                    odd[item] = keys
                    odd_items.add(item)
                brought = filed(keys)
                if brought:
                    hits[item] = brought
                    hit_items.add(item)
            memory.seen |= new
        found.update(*map(memory.hits.__getitem__, items & memory.hit_items))

    def _learn_values(self, sources: tuple[str, object]) -> tuple[frozenset[str], tuple[int, ...]]:
        """The value fields' keys read from their sources, and the queries filed under them.

        `sources`: the URL's authority (or "" without site:), then the plain field (a
        value, or a tuple of values when several plain fields are used, or None).
        """
        memory = self._values
        if len(memory) >= VALUE_MEMORY:
            memory.clear()
        site, plain = sources
        found: set[str] = set()
        if self._site:
            found |= named_values("site", site)
        if self._plain_names:
            values = (plain,) if len(self._plain_names) == 1 else plain
            assert isinstance(values, tuple)
            for name, source in zip(self._plain_names, values, strict=True):
                found |= named_values(name, source)
        keys = frozenset(found)
        # A value is compared whole (no site:exa*), and a prefix of the content must not
        # meet « site:… » or « lang:… »: only whole keys bring queries here.
        by_key = self._by_key
        filed = {position for key in keys for position in by_key.get(key, ())}
        known = memory[sources] = (keys, tuple(filed))
        return known

    def _checked(self, found: set[int], keys: set[str], others: frozenset[str]) -> list[int]:
        """The positions whose other clauses each have a key among `keys` or `others`."""
        checks, excluded = self._checks, self._excluded
        kept = []
        for position in found:
            if excluded:
                words = excluded.get(position)
                if words is not None and not words.isdisjoint(keys):
                    continue
            for clause in checks[position]:
                if clause.isdisjoint(keys) and clause.isdisjoint(others):
                    break
            else:
                kept.append(position)
        kept.sort()
        return kept

    def _matching(self, document: Document) -> list[tuple[int, tuple[str, ...]]]:
        title, text = document.title, document.text
        fields: list[list[str]]
        pieces: set[str]
        if title:
            fields = []
            tagged = False
            for value in (title, text):
                if value:
                    cut, tagged_value = text_pieces(value)
                    fields.append(cut)
                    tagged |= tagged_value
            pieces = set().union(*fields)
        elif text:
            cut, tagged = text_pieces(text)
            fields, pieces = [cut], set(cut)
        else:
            fields, pieces, tagged = [], set(), False
        found: set[int] = set()
        memory = self._pieces
        self._hits(memory, pieces, piece_keys, found)
        streams: dict[str, Stream] = {}
        namespaced: list[frozenset[str]] = []
        for name in self._token_names:
            stream = streams[name] = Stream(
                tuple(getattr(document, field) for field in STREAM_FIELDS[name])
            )
            keys = frozenset(f"{name}:{key}" for key in stream.keys)
            if keys:
                self._hits(self._keys, keys, _own_keys, found)
                namespaced.append(keys)
        plain = self._plain
        if plain is not None or self._site:
            url = document.url
            sources = (
                url_authority(url) if url and self._site else "",
                plain(document) if plain is not None else None,
            )
            known = self._values.get(sources)
            if known is None:
                known = self._learn_values(sources)
            if known[1]:
                found.update(known[1])
            if known[0]:
                namespaced.append(known[0])
        if not found:
            return []
        # The content's keys: the pieces that are their own key, and the keys of the others.
        odd = pieces & memory.odd_items
        keys = pieces  # `pieces` is not needed any more: changed in place
        if odd:
            keys.difference_update(odd)
            keys.update(*map(memory.odd.__getitem__, odd))
        if not namespaced:
            others = _NONE
        elif len(namespaced) == 1:
            others = namespaced[0]
        else:
            others = frozenset().union(*namespaced)
        positions = self._checked(found, keys, others)
        if not positions:
            return []
        streams[CONTENT] = Stream.of_keys(fields, tagged, keys, memory.odd)
        analysis = FastAnalysis(document, streams)
        terms_of = self._terms_of
        matching = []
        for position in positions:
            terms = terms_of[position](analysis)
            if terms is not None:
                matching.append((position, terms))
        return matching

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
