"""The pipeline's evaluator: which terms of a query a document holds, without spans.

The pipeline stores the matched terms of each watch, not where they are; character
offsets are worked out afterwards (compiled.py) for the few matches that are shown. So a
document is cut here into folded keys and positions only, with as little Python per
mention as possible:

- a text is encoded to UTF-8 once, its ASCII letters lowered and its ASCII punctuation
  turned into spaces by one C-level byte translation, decoded back and split on
  whitespace into *pieces*: no token ever spans two pieces, and a piece of ASCII letters
  and digits is its own key (« azur », « 2025 »);
- only the other pieces (« café », « l’entreprise », a piece with an emoji) are read,
  once per distinct piece, and remembered, since the same pieces come back in every
  mention: folded at once when the piece is one word, by normalise.tokens otherwise;
  the watch index (index.py) remembers the same for its own pieces;
- positions are only numbered when a phrase or a NEAR asks, and a phrase is first looked
  for among the pieces themselves.

A text with a # or an @ keeps its case (hashtags split on it) and its underscores, and
each of its pieces is read by normalise.tokens (remembered too). Tokens are exactly
those of normalise.tokens(); the tests hold both to that.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import chain, compress, filterfalse

from veille.query.ast import CONTENT, And, FieldValue, Near, Node, Not, Or, Term, Word, leaves
from veille.query.document import GAP, STREAM_FIELDS, Document, field_values
from veille.query.normalise import fold, tokens

Interval = tuple[int, int]  # first and last position of a token or passage in its stream
Labels = frozenset[str]
# A piece's distinct keys, its tokens (key, first, last, relative to the piece), its width.
PieceInfo = tuple[frozenset[str], tuple[tuple[str, int, int], ...], int]

# ASCII punctuation, symbols and controls to spaces; letters, digits and non-ASCII bytes
# (every byte of a multi-byte character) kept. Underscores and signs are kept only in a
# text with hashtags or handles, where they may belong to a token.
# _PLAIN also lowers ASCII letters (as bytes.lower(), in the same pass).
_PLAIN = bytes(
    (ord(chr(byte).lower()) if byte < 128 else byte) if chr(byte).isalnum() or byte > 127 else 32
    for byte in range(256)
)
_TAGGED = bytes(
    byte if chr(byte).isalnum() or chr(byte) in "_#@" or byte > 127 else 32 for byte in range(256)
)
PIECE_CACHE_SIZE = 200_000
ORDERED_MEMORY = 64  # sets of labels remembered in query order, per query
# Every piece met: its token keys in order (an ASCII word is its own one key). _KNOWN
# holds the same pieces as a set, for C-level differences.
_EXPANDED: dict[str, tuple[str, ...]] = {}
_KNOWN: set[str] = set()
# Pieces of texts with hashtags or handles: their tokens with relative positions.
_TAGGED_PIECES: dict[str, PieceInfo] = {}
# Those of them that are one token at one position: their key.
_SINGLE: dict[str, str] = {}


def text_pieces(text: str) -> tuple[list[str], bool]:
    """A text cut on whitespace and ASCII punctuation, in order; whether it is tagged.

    Without # or @ the ASCII letters are lowered too (words fold to lower case anyway);
    with them (tagged), the case is kept for hashtags to split on.
    """
    raw = text.encode("utf-8", "surrogatepass")
    # On str: `b"#" in raw` would first try b"#" as an integer and clear a TypeError.
    if "#" in text or "@" in text:
        return raw.translate(_TAGGED).decode("utf-8", "surrogatepass").split(), True
    return raw.translate(_PLAIN).decode("utf-8", "surrogatepass").split(), False


def _learn(pieces: set[str], needed: set[str]) -> None:
    """Remember the token keys of new pieces.

    A piece of letters and digits only is one word: its key is folded at once. The
    others (elisions, hashtags, emoji, combining accents) are read by normalise.tokens.
    When the memory is full it starts afresh, with the `needed` pieces.
    """
    global _KNOWN, _EXPANDED
    if len(_KNOWN) + len(pieces) > PIECE_CACHE_SIZE:
        # New objects rather than clear(): a stream keeps the mapping it was read with.
        _KNOWN, _EXPANDED = set(), {}
        pieces = needed
    for piece in pieces:
        if piece.isalnum():  # exactly the characters of one word token (\w without _)
            _EXPANDED[piece] = (piece.lower() if piece.isascii() else fold(piece),)
        else:
            _EXPANDED[piece] = tuple(token.key for token in tokens(piece, ""))
    _KNOWN.update(pieces)


def piece_keys(pieces: set[str]) -> dict[str, tuple[str, ...]]:
    """The token keys of each piece (of text_pieces), in order, remembered."""
    new = pieces - _KNOWN
    if new:
        _learn(new, pieces)
    return {piece: _EXPANDED[piece] for piece in pieces}


def piece_info(piece: str) -> PieceInfo:
    """A tagged text's piece: its keys, tokens with relative positions, and width."""
    found = _TAGGED_PIECES.get(piece)
    if found is None:
        if len(_TAGGED_PIECES) >= PIECE_CACHE_SIZE:
            _TAGGED_PIECES.clear()
            _SINGLE.clear()
        if piece.isalnum():  # one word token, as in _learn
            key = piece.lower() if piece.isascii() else fold(piece)
            _SINGLE[piece] = key
            found = _TAGGED_PIECES[piece] = (frozenset({key}), ((key, 0, 0),), 1)
            return found
        read = tokens(piece, "")
        found = _TAGGED_PIECES[piece] = (
            frozenset(token.key for token in read),
            tuple((token.key, token.first, token.last) for token in read),
            read[-1].last + 1 if read else 0,
        )
        if len(read) == 1 and read[0].last == 0:
            _SINGLE[piece] = read[0].key
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
        "_joined",
        "_prefixed",
        "_read",
        "_spans",
        "_starts",
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
        found: set[str] = set(fields[0]) if len(fields) == 1 else set().union(*fields)
        self._setup(fields, tagged, found)

    @classmethod
    def of_keys(
        cls,
        fields: list[list[str]],
        tagged: bool,
        keys: set[str],
        read: dict[str, tuple[str, ...]],
    ) -> Stream:
        """The stream of texts already cut by text_pieces and read (by the watch index).

        `keys` are the stream's keys; `read` holds the keys of at least every piece that
        is not its own one key (see _expand).
        """
        stream = cls.__new__(cls)
        stream._start(fields, tagged, keys, read)
        return stream

    def _setup(self, fields: list[list[str]], tagged: bool, found: set[str]) -> None:
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
            found.update(*map(_EXPANDED.__getitem__, odd))
        self._start(fields, tagged, found, _EXPANDED)

    def _start(
        self,
        fields: list[list[str]],
        tagged: bool,
        keys: set[str],
        read: dict[str, tuple[str, ...]],
    ) -> None:
        self._fields = fields
        self._tagged = tagged
        self._read = read
        self.keys: set[str] = keys
        self._words: list[str] | None = None
        self._starts: tuple[int, ...] = ()
        self._by_key: dict[str, list[int]] | None = None
        self._spans: dict[tuple[str, int], int] = {}
        self._prefixed: dict[int, dict[str, list[str]]] = {}
        self._joined: str | None = None

    def _expand(self, pieces: list[str]) -> list[str]:
        """The keys of pieces in order: a piece's own, or those read from an odd one."""
        read = self._read
        # Where the read pieces are (a few), found at C level; the others are their key.
        odd = list(compress(range(len(pieces)), map(read.__contains__, pieces)))
        if not odd:
            return pieces
        words = list(pieces)
        for index in reversed(odd):  # from the end: the indices before stay right
            words[index : index + 1] = read[pieces[index]]
        return words

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
            single = _SINGLE
            for pieces in self._fields:
                for piece, key in zip(pieces, map(single.get, pieces), strict=True):
                    if key is not None:  # most pieces: one key at one position
                        found = by_key.get(key)
                        if found is None:
                            by_key[key] = [position]
                        else:
                            found.append(position)
                        position += 1
                        continue
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

    @property
    def tagged(self) -> bool:
        """Whether a text of the stream has hashtags or handles (tokens over positions)."""
        return self._tagged

    def has_sequence(self, keys: tuple[str, ...]) -> bool:
        """Whether the keys follow each other in one field of an untagged stream.

        Pieces that are their own key and follow each other are tokens that follow each
        other: the pieces are searched first, the keys in order only when that fails.
        """
        head, rest = keys[0], list(keys[1:])
        for pieces in self._fields:
            if _follow(pieces, head, rest):
                return True
        if self._words is None and self._read.keys().isdisjoint(chain(*self._fields)):
            return False  # no piece read: each is its own key, the pieces are the keys
        words = self._flat()
        width = len(keys)
        starts = self._starts
        index = -1
        try:
            while True:
                index = words.index(head, index + 1)
                if words[index + 1 : index + width] == rest and not any(
                    index < start < index + width for start in starts
                ):
                    return True
        except ValueError:
            return False

    def has_prefix(self, word: Word) -> bool:
        """Whether some key begins with the (prefix) word: one substring search.

        The keys are joined once, each after a NUL (no key holds one, while a few folded
        letters hold a space), so a key that begins with the prefix is the prefix after a
        NUL.
        """
        return "\0" + word.key in self.joined

    @property
    def joined(self) -> str:
        """The keys joined, each after a NUL (see has_prefix), once."""
        joined = self._joined
        if joined is None:
            joined = self._joined = "\0" + "\0".join(self.keys)
        return joined

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


def _follow(words: list[str], head: str, rest: list[str]) -> bool:
    """Whether `head` then the `rest` follow each other in `words`."""
    index = -1
    width = len(rest) + 1
    try:
        while True:
            index = words.index(head, index + 1)
            if words[index + 1 : index + width] == rest:
                return True
    except ValueError:
        return False


class FastAnalysis:
    """A document cut into streams of keys, on first use, for any number of queries.

    `streams`, when given, are streams already cut (by the watch index), by name. The
    content stream, which nearly every query reads, is cut at once and kept in `content`
    (its keys in `content_keys`): matchers read it without a call.
    """

    __slots__ = ("_streams", "_values", "content", "content_keys", "document")

    def __init__(self, document: Document, streams: dict[str, Stream] | None = None) -> None:
        self.document = document
        self._streams: dict[str, Stream] = {} if streams is None else streams
        self._values: dict[str, frozenset[str]] = {}
        content = self._streams.get(CONTENT)
        self.content = self.stream(CONTENT) if content is None else content
        self.content_keys = self.content.keys

    def stream(self, name: str) -> Stream:
        found = self._streams.get(name)
        if found is None:
            document = self.document
            texts = tuple(getattr(document, field) for field in STREAM_FIELDS[name])
            found = self._streams[name] = Stream(texts)
        return found

    def values(self, name: str) -> frozenset[str]:
        found = self._values.get(name)
        if found is None:
            found = self._values[name] = field_values(self.document, name)
        return found


# None: no match; otherwise the labels of the terms that count as found.
Matcher = Callable[[FastAnalysis], Labels | None]
Finder = Callable[[FastAnalysis], list[tuple[int, int, Labels]]]
_NOTHING: Labels = frozenset()


def _term_intervals(term: Term) -> Callable[[FastAnalysis], list[Interval]]:
    name, head, rest = term.stream, term.words[0], term.words[1:]
    whole_words = [word.key for word in term.words if not word.prefix]

    def find(analysis: FastAnalysis) -> list[Interval]:
        stream = analysis.content if name == CONTENT else analysis.stream(name)
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
        return _any_word(name, {word.key: labels})
    if len(term.words) == 1:  # a prefix alone: any key that begins with it, no position
        if name == CONTENT:
            return lambda analysis: labels if analysis.content.has_prefix(word) else None
        return lambda analysis: labels if analysis.stream(name).has_prefix(word) else None
    intervals = _term_intervals(term)
    if any(word.prefix for word in term.words):
        return lambda analysis: labels if intervals(analysis) else None
    keys = tuple(word.key for word in term.words)

    def phrase(analysis: FastAnalysis) -> Labels | None:
        stream = analysis.content if name == CONTENT else analysis.stream(name)
        present = stream.keys
        for key in keys:  # a missing word settles it before any position is read
            if key not in present:
                return None
        if stream._tagged:  # the attribute: no property call
            return labels if intervals(analysis) else None
        return labels if stream.has_sequence(keys) else None

    return phrase


def _costly(node: Node) -> bool:
    """Whether evaluating the node may take more than a look-up (positions, prefixes)."""
    single = isinstance(node, Term) and len(node.words) == 1 and not node.words[0].prefix
    return not (single or isinstance(node, FieldValue))


def _single_word(node: Node) -> bool:
    return isinstance(node, Term) and len(node.words) == 1 and not node.words[0].prefix


def _word_groups(children: list[Node]) -> tuple[list[tuple[str, dict[str, Labels]]], list[Node]]:
    """Single-word terms grouped by stream (key -> labels), and the other children.

    A group is then settled by one set operation rather than a call per word.
    """
    groups: dict[str, dict[str, Labels]] = {}
    others: list[Node] = []
    for child in children:
        if _single_word(child):
            assert isinstance(child, Term)
            by_key = groups.setdefault(child.stream, {})
            key = child.words[0].key
            by_key[key] = by_key.get(key, _NOTHING) | {child.label}
        else:
            others.append(child)
    return list(groups.items()), others


def _any_word(name: str, by_key: dict[str, Labels]) -> Matcher:
    """Any of the single words of one stream: their labels, or None."""
    wanted = frozenset(by_key)
    content = name == CONTENT
    if len(by_key) == 1:
        ((key, labels),) = by_key.items()
        if content:
            return lambda analysis: labels if key in analysis.content_keys else None
        return lambda analysis: labels if key in analysis.stream(name).keys else None
    every = frozenset().union(*by_key.values())

    def any_word(analysis: FastAnalysis) -> Labels | None:
        hit = wanted.intersection(analysis.content_keys if content else analysis.stream(name).keys)
        if not hit:
            return None
        if len(hit) == len(wanted):
            return every
        if len(hit) == 1:
            return by_key[next(iter(hit))]
        return frozenset().union(*map(by_key.__getitem__, hit))

    return any_word


def _all_words(name: str, by_key: dict[str, Labels]) -> Matcher:
    """All the single words of one stream: their labels, or None."""
    wanted = frozenset(by_key)
    every = frozenset().union(*by_key.values())
    if name == CONTENT:
        return lambda analysis: every if wanted.issubset(analysis.content_keys) else None
    return lambda analysis: every if wanted.issubset(analysis.stream(name).keys) else None


def _content_prefix(node: Node) -> bool:
    return (
        isinstance(node, Term)
        and node.stream == CONTENT
        and len(node.words) == 1
        and node.words[0].prefix
    )


def _prefix_and_words(node: And) -> Matcher | None:
    """`stem* AND (word OR word…)` in the content, a common watch, as one call; or None.

    The words are settled by one set intersection, then the prefix by one substring
    search, without a call per operand.
    """
    if len(node.children) != 2:
        return None
    prefix, words = node.children
    if not _content_prefix(prefix):
        prefix, words = words, prefix
    if not _content_prefix(prefix) or not isinstance(words, Or):
        return None
    groups, others = _word_groups(list(words.children))
    if others or len(groups) != 1 or groups[0][0] != CONTENT:
        return None
    assert isinstance(prefix, Term)
    by_key = groups[0][1]
    wanted = frozenset(by_key)
    stem = "\0" + prefix.words[0].key
    own = frozenset({prefix.label})
    every = own.union(*by_key.values())
    with_prefix = {key: labels | own for key, labels in by_key.items()}

    def prefix_and_words(analysis: FastAnalysis) -> Labels | None:
        hit = wanted.intersection(analysis.content_keys)
        if not hit or stem not in analysis.content.joined:
            return None
        if len(hit) == len(wanted):
            return every
        if len(hit) == 1:
            return with_prefix[next(iter(hit))]
        return own.union(*map(by_key.__getitem__, hit))

    return prefix_and_words


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
    if isinstance(node, And):
        fused = _prefix_and_words(node)
        if fused is not None:
            return fused
        # A look-up settles a word or a value: tried first, they spare positions.
        groups, others = _word_groups(list(node.children))
        children = [_all_words(name, by_key) for name, by_key in groups]
        children += [_matcher(child) for child in sorted(others, key=_costly)]
        if len(children) == 1:
            return children[0]
        if len(children) == 2:
            first, second = children

            def both(analysis: FastAnalysis) -> Labels | None:
                labels = first(analysis)
                if labels is None:
                    return None
                more = second(analysis)
                if more is None:
                    return None
                return labels | more if labels else more

            return both

        def all_of(analysis: FastAnalysis) -> Labels | None:
            found = _NOTHING
            for child in children:
                labels = child(analysis)
                if labels is None:
                    return None
                found = found | labels if found else labels
            return found

        return all_of

    groups, others = _word_groups(list(node.children))
    children = [_any_word(name, by_key) for name, by_key in groups]
    children += [_matcher(child) for child in others]
    if len(children) == 1:
        return children[0]

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

    __slots__ = ("_labels", "_match", "_ordered")

    def __init__(self, root: Node) -> None:
        self._match = _matcher(root)
        self._labels = tuple(dict.fromkeys(leaf.label for leaf in leaves(root)))
        # Labels found -> the same in the order of the query. Matchers mostly return
        # the same few frozensets (their hashes are kept), so one look-up does it.
        self._ordered: dict[Labels, tuple[str, ...]] = {}

    def terms(self, analysis: FastAnalysis) -> tuple[str, ...] | None:
        """The terms found, in the order of the query (as Match.terms), or None."""
        found = self._match(analysis)
        if found is None:
            return None
        ordered = self._ordered.get(found)
        if ordered is None:
            ordered = tuple(filter(found.__contains__, self._labels))
            if len(self._ordered) < ORDERED_MEMORY:
                self._ordered[found] = ordered
        return ordered
