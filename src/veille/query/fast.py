"""The pipeline's evaluator: which terms of a query a document holds, without spans.

The pipeline stores the matched terms of each watch, not where they are; character
offsets are worked out afterwards (compiled.py) for the few matches that are shown. So a
document is cut here into folded keys and positions only, with as little Python per
mention as possible:

- a text is encoded to UTF-8 once, its ASCII letters lowered and its ASCII punctuation
  turned into spaces by two C-level byte operations, decoded back and split on
  whitespace into *pieces*: no token ever spans two pieces, and a piece of ASCII letters
  and digits is its own key (« azur », « 2025 »);
- only the other pieces (« café », « l’entreprise », a piece with an emoji) are read by
  normalise.tokens itself, once per distinct piece, and remembered, since the same
  pieces come back in every mention;
- positions are only numbered when a phrase, a NEAR or a prefix asks.

A text with a # or an @ keeps its case (hashtags split on it) and its underscores, and
each of its pieces is read by normalise.tokens (remembered too). Tokens are exactly
those of normalise.tokens(); the tests hold both to that.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from itertools import chain, filterfalse
from operator import itemgetter

from veille.query.ast import CONTENT, And, FieldValue, Near, Node, Not, Or, Term, Word, leaves
from veille.query.document import GAP, STREAM_FIELDS, Document, field_values
from veille.query.normalise import tokens

Interval = tuple[int, int]  # first and last position of a token or passage in its stream
Labels = frozenset[str]
# A piece's distinct keys, its tokens (key, first, last, relative to the piece), its width.
PieceInfo = tuple[frozenset[str], tuple[tuple[str, int, int], ...], int]

# ASCII punctuation, symbols and controls to spaces; letters, digits and non-ASCII bytes
# (every byte of a multi-byte character) kept. Underscores and signs are kept only in a
# text with hashtags or handles, where they may belong to a token.
_PLAIN = bytes(byte if chr(byte).isalnum() or byte > 127 else 32 for byte in range(256))
_TAGGED = bytes(
    byte if chr(byte).isalnum() or chr(byte) in "_#@" or byte > 127 else 32 for byte in range(256)
)
PIECE_CACHE_SIZE = 200_000
# Every piece met: its token keys in order (an ASCII word is its own one key). _KNOWN
# holds the same pieces as a set, for C-level differences.
_EXPANDED: dict[str, tuple[str, ...]] = {}
_KNOWN: set[str] = set()
# Pieces of texts with hashtags or handles: their tokens with relative positions.
_TAGGED_PIECES: dict[str, PieceInfo] = {}


def text_pieces(text: str) -> tuple[list[str], bool]:
    """A text cut on whitespace and ASCII punctuation, in order; whether it is tagged.

    Without # or @ the ASCII letters are lowered too (words fold to lower case anyway);
    with them (tagged), the case is kept for hashtags to split on.
    """
    raw = text.encode("utf-8", "surrogatepass")
    if b"#" in raw or b"@" in raw:
        return raw.translate(_TAGGED).decode("utf-8", "surrogatepass").split(), True
    return raw.lower().translate(_PLAIN).decode("utf-8", "surrogatepass").split(), False


def _learn(pieces: set[str], needed: set[str]) -> None:
    """Remember the token keys of new pieces, read by normalise.tokens.

    When the memory is full it starts afresh, with the `needed` pieces.
    """
    if len(_KNOWN) + len(pieces) > PIECE_CACHE_SIZE:
        _KNOWN.clear()
        _EXPANDED.clear()
        pieces = needed
    for piece in pieces:
        if piece.isascii() and piece.isalnum() and piece == piece.lower():
            _EXPANDED[piece] = (piece,)
        else:
            _EXPANDED[piece] = tuple(token.key for token in tokens(piece, ""))
    _KNOWN.update(pieces)


def piece_info(piece: str) -> PieceInfo:
    """A tagged text's piece: its keys, tokens with relative positions, and width."""
    found = _TAGGED_PIECES.get(piece)
    if found is None:
        if len(_TAGGED_PIECES) >= PIECE_CACHE_SIZE:
            _TAGGED_PIECES.clear()
        read = tokens(piece, "")
        found = _TAGGED_PIECES[piece] = (
            frozenset(token.key for token in read),
            tuple((token.key, token.first, token.last) for token in read),
            read[-1].last + 1 if read else 0,
        )
    return found


class Stream:
    """The keys of a stream (content, title, author, url) and where each one starts.

    The keys are gathered at once with set and map operations over the pieces. Without
    hashtags every token covers one position: the stream keeps its keys in a flat list,
    and the positions of a key are found by list.index() when a phrase or a NEAR asks.
    With hashtags the keys are filed by position, and `spans` holds the last position of
    the tokens that cover several (hashtags split on case).
    """

    __slots__ = (
        "_by_key",
        "_fields",
        "_odd",
        "_prefixed",
        "_spans",
        "_starts",
        "_starts_of",
        "_tagged",
        "_words",
        "keys",
    )

    def __init__(self, texts: tuple[str, ...]) -> None:
        fields: list[list[str]] = []
        tagged = False
        for text in texts:
            if text:
                pieces, tagged_text = text_pieces(text)
                fields.append(pieces)
                tagged |= tagged_text
        self._fields = fields
        self._tagged = tagged
        found: set[str] = set(fields[0]) if len(fields) == 1 else set().union(*fields)
        if tagged:
            odd = found
        else:
            # Pieces of ASCII letters and digits are their own key; the others are read.
            odd = set(filterfalse(str.isascii, found))
        if odd:
            new = odd - _KNOWN
            if new:
                _learn(new, odd)
            found = set() if odd is found else found - odd
            expanded = _EXPANDED
            for piece in odd:
                found.update(expanded[piece])
        self._odd = odd
        self.keys: set[str] = found
        self._words: list[str] | None = None
        self._starts: tuple[int, ...] = ()
        self._by_key: dict[str, list[int]] | None = None
        self._spans: dict[tuple[str, int], int] = {}
        self._prefixed: dict[int, dict[str, list[str]]] = {}
        self._starts_of: dict[int, set[str]] = {}

    def _expand(self, pieces: list[str]) -> list[str]:
        """The keys of pieces in order: a piece's own, or those read from an odd one."""
        odd = self._odd
        if not odd:
            return pieces
        expanded = _EXPANDED
        read = {piece: expanded[piece] for piece in odd}
        # zip(pieces) gives each piece as a 1-tuple: the keys of an ASCII piece.
        return list(chain.from_iterable(map(read.get, pieces, zip(pieces))))

    def _flat(self) -> list[str]:
        """The keys in order, fields one after the other (untagged streams)."""
        words = self._words
        if words is None:
            if len(self._fields) == 1:
                words = self._expand(self._fields[0])
            else:
                words, starts = [], []
                for pieces in self._fields:
                    starts.append(len(words))
                    words.extend(self._expand(pieces))
                self._starts = tuple(starts[1:])
            self._words = words
        return words

    def _positions(self, key: str) -> list[int]:
        """Where a key stands in an untagged stream; fields are GAP positions apart."""
        words = self._flat()
        found = []
        index = -1
        try:
            while True:
                index = words.index(key, index + 1)
                found.append(index)
        except ValueError:
            pass
        for start in self._starts:
            found = [index + GAP if index >= start else index for index in found]
        return found

    @property
    def by_key(self) -> dict[str, list[int]]:
        """Each key and the positions where it starts; fields are GAP positions apart."""
        by_key = self._by_key
        if by_key is None:
            by_key = self._by_key = {}
            spans = self._spans
            position = 0
            for pieces in self._fields:
                for piece in pieces:
                    _, read, width = piece_info(piece)
                    for key, first, last in read:
                        found = by_key.get(key)
                        if found is None:
                            by_key[key] = [position + first]
                        else:
                            found.append(position + first)
                        if last != first:
                            spans[key, position + first] = position + last
                    position += width
                position += GAP
        return by_key

    @property
    def spans(self) -> dict[tuple[str, int], int]:
        """(key, first position) -> last position, for tokens over several positions."""
        if self._by_key is None:
            self.by_key  # noqa: B018 - filing by position fills the spans
        return self._spans

    def has_prefix(self, word: Word) -> bool:
        """Whether some key begins with the (prefix) word: a set look-up per length."""
        length = len(word.key)
        starts = self._starts_of.get(length)
        if starts is None:
            # A key shorter than the prefix is its own slice, shorter than the prefix.
            starts = self._starts_of[length] = set(map(itemgetter(slice(length)), self.keys))
        return word.key in starts

    def keys_for(self, word: Word) -> list[str]:
        """The keys of the stream that the word matches."""
        if not word.prefix:
            return [word.key] if word.key in self.keys else []
        length = len(word.key)
        starts = self._prefixed.get(length)
        if starts is None:
            # Keys grouped by their first `length` characters, once per length: each
            # prefix of that length is then one look-up rather than a scan.
            starts = self._prefixed[length] = {}
            for key in self.keys:
                if len(key) >= length:
                    starts.setdefault(key[:length], []).append(key)
        return starts.get(word.key, [])

    def intervals(self, word: Word) -> list[Interval]:
        if not self._tagged:
            return [(first, first) for key in self.keys_for(word) for first in self._positions(key)]
        by_key = self.by_key
        spans = self._spans
        return [
            (first, spans.get((key, first), first) if spans else first)
            for key in self.keys_for(word)
            for first in by_key[key]
        ]


class FastAnalysis:
    """A document cut into streams of keys, on first use, for any number of queries."""

    __slots__ = ("_streams", "_values", "document")

    def __init__(self, document: Document) -> None:
        self.document = document
        self._streams: dict[str, Stream] = {}
        self._values: dict[str, set[str] | frozenset[str]] = {}

    def stream(self, name: str) -> Stream:
        found = self._streams.get(name)
        if found is None:
            document = self.document
            texts = tuple(getattr(document, field) for field in STREAM_FIELDS[name])
            found = self._streams[name] = Stream(texts)
        return found

    def values(self, name: str) -> set[str] | frozenset[str]:
        found = self._values.get(name)
        if found is None:
            found = self._values[name] = field_values(self.document, name)
        return found

    def keys(self, namespaces: frozenset[str]) -> set[str]:
        """The keys offered to the watch index: exactly the tokens, plus field values."""
        found = set(self.stream(CONTENT).keys)
        for name in ("author", "url"):
            if name in namespaces:
                found.update(f"{name}:{key}" for key in self.stream(name).keys)
        for name in ("site", "lang", "platform", "kind"):
            if name in namespaces:
                found |= _named(name, frozenset(self.values(name)))
        return found


@lru_cache(maxsize=16_384)
def _named(name: str, values: frozenset[str]) -> frozenset[str]:
    """A field's values as index keys: site:example.org, lang:fr…"""
    return frozenset(f"{name}:{value}" for value in values)


# None: no match; otherwise the labels of the terms that count as found.
Matcher = Callable[[FastAnalysis], Labels | None]
Finder = Callable[[FastAnalysis], list[tuple[int, int, Labels]]]
_NOTHING: Labels = frozenset()


def _term_intervals(term: Term) -> Callable[[FastAnalysis], list[Interval]]:
    name, head, rest = term.stream, term.words[0], term.words[1:]
    whole_words = [word.key for word in term.words if not word.prefix]

    def find(analysis: FastAnalysis) -> list[Interval]:
        stream = analysis.stream(name)
        keys = stream.keys
        for key in whole_words:  # a missing word settles it before any position is read
            if key not in keys:
                return []
        found = stream.intervals(head)
        for word in rest:
            if not found:
                break
            following: dict[int, list[int]] = {}
            for first, last in stream.intervals(word):
                following.setdefault(first, []).append(last)
            found = [
                (first, after) for first, last in found for after in following.get(last + 1, ())
            ]
        return found

    return find


def _finder(node: Node) -> Finder:
    """Occurrences of a NEAR operand, with the labels each one brings."""
    if isinstance(node, Term):
        intervals, labels = _term_intervals(node), frozenset({node.label})
        return lambda analysis: [(first, last, labels) for first, last in intervals(analysis)]
    if isinstance(node, Or):
        finders = [_finder(child) for child in node.children]
        return lambda analysis: [found for find in finders for found in find(analysis)]
    assert isinstance(node, Near)
    pairs = _pairs(node)
    return lambda analysis: [
        (min(left[0], right[0]), max(left[1], right[1]), left[2] | right[2])
        for left, right in pairs(analysis)
    ]


def _pairs(near: Near) -> Callable[[FastAnalysis], list[tuple[tuple[int, int, Labels], ...]]]:
    find_left, find_right = _finder(near.left), _finder(near.right)
    distance, ordered = near.distance, near.ordered

    def pairs(analysis: FastAnalysis) -> list[tuple[tuple[int, int, Labels], ...]]:
        lefts = find_left(analysis)
        if not lefts:
            return []
        rights = find_right(analysis)
        return [
            (left, right)
            for left in lefts
            for right in rights
            if 1 <= right[0] - left[1] <= distance
            or (not ordered and 1 <= left[0] - right[1] <= distance)
        ]

    return pairs


def _term_matcher(term: Term) -> Matcher:
    labels = frozenset({term.label})
    word = term.words[0]
    name = term.stream
    if len(term.words) == 1 and not word.prefix:
        key = word.key
        return lambda analysis: labels if key in analysis.stream(name).keys else None
    if len(term.words) == 1:  # a prefix alone: any key that begins with it, no position
        return lambda analysis: labels if analysis.stream(name).has_prefix(word) else None
    intervals = _term_intervals(term)
    return lambda analysis: labels if intervals(analysis) else None


def _matcher(node: Node) -> Matcher:
    if isinstance(node, Term):
        return _term_matcher(node)
    if isinstance(node, FieldValue):
        name, value, labels = node.name, node.value, frozenset({node.label})
        return lambda analysis: labels if value in analysis.values(name) else None
    if isinstance(node, Not):
        child = _matcher(node.child)
        return lambda analysis: _NOTHING if child(analysis) is None else None
    if isinstance(node, Near):
        pairs = _pairs(node)

        def near(analysis: FastAnalysis) -> Labels | None:
            found = pairs(analysis)
            return frozenset().union(*(side[2] for pair in found for side in pair)) or None

        return near
    children = [_matcher(child) for child in node.children]
    if isinstance(node, And):

        def all_of(analysis: FastAnalysis) -> Labels | None:
            found = _NOTHING
            for child in children:
                labels = child(analysis)
                if labels is None:
                    return None
                found = found | labels if found else labels
            return found

        return all_of

    def any_of(analysis: FastAnalysis) -> Labels | None:
        found: Labels | None = None
        for child in children:
            labels = child(analysis)
            if labels is not None:
                found = labels if found is None else found | labels
        return found

    return any_of


class TermsQuery:
    """A query compiled for the pipeline: terms() says which of its terms a document holds."""

    __slots__ = ("_labels", "_match")

    def __init__(self, root: Node) -> None:
        self._match = _matcher(root)
        self._labels = tuple(dict.fromkeys(leaf.label for leaf in leaves(root)))

    def terms(self, analysis: FastAnalysis) -> tuple[str, ...] | None:
        """The terms found, in the order of the query (as Match.terms), or None."""
        found = self._match(analysis)
        if found is None:
            return None
        return tuple(label for label in self._labels if label in found)
