"""The pipeline's evaluator: which terms of a query a document holds, without spans.

The pipeline stores the matched terms of each watch, not where they are; character
offsets are worked out afterwards (compiled.py) for the few matches that are shown. So a
document is cut here into folded keys and positions only: an ASCII text without hashtags
is lowered and split in one regular-expression call, and a single word is a dictionary
look-up. Tokens are exactly those of normalise.tokens(); the tests hold both to that.
"""

from __future__ import annotations

from collections.abc import Callable

from veille.query.ast import CONTENT, And, FieldValue, Near, Node, Not, Or, Term, Word, leaves
from veille.query.document import GAP, STREAM_FIELDS, Document, field_values
from veille.query.normalise import SIGNS, TOKEN_PATTERN, WORD_PATTERN, fold_word, tagged_keys

Interval = tuple[int, int]  # first and last position of a token or passage in its stream
Labels = frozenset[str]


class Stream:
    """The keys of a stream (content, title, author, url) and where each one starts.

    Most texts have no hashtag or handle: their keys are kept in order, and filed by
    position only when a phrase, a NEAR or a prefix asks. `spans` holds the last position
    of the rare tokens that cover several positions (hashtags split on case); every other
    token starts and ends at the same position.
    """

    __slots__ = ("_by_key", "_fields", "_prefixed", "keys", "spans")

    def __init__(self, texts: tuple[str, ...]) -> None:
        self.spans: dict[tuple[str, int], int] = {}
        self._prefixed: dict[int, dict[str, list[str]]] = {}
        self._by_key: dict[str, list[int]] | None = None
        self._fields: list[list[str]] = []
        self.keys: set[str] | dict[str, list[int]]
        for text in texts:
            if "#" in text or "@" in text:
                by_key = self.keys = self._by_key = {}
                position = 0
                for text in texts:
                    if text:
                        position = _add_tagged(text, position, by_key, self.spans) + GAP
                return
        fields = self._fields
        for text in texts:
            if text:
                fields.append(_words(text))
        self.keys = set(fields[0]) if len(fields) == 1 else set().union(*fields)

    @property
    def by_key(self) -> dict[str, list[int]]:
        """Each key and the positions where it starts; fields are GAP positions apart."""
        by_key = self._by_key
        if by_key is None:
            by_key = self._by_key = {}
            position = 0
            for words in self._fields:
                for key in words:
                    found = by_key.get(key)
                    if found is None:
                        by_key[key] = [position]
                    else:
                        found.append(position)
                    position += 1
                position += GAP
        return by_key

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
        spans, by_key = self.spans, self.by_key
        return [
            (first, spans.get((key, first), first) if spans else first)
            for key in self.keys_for(word)
            for first in by_key[key]
        ]


def _words(text: str) -> list[str]:
    """The keys of a text without hashtags or handles, in order.

    Whitespace never lies inside a token, so the text is split on it first and only the
    pieces that are not a plain word (punctuation, apostrophes, emoji) meet the regex.
    Lowering the whole text at once leaves only the accented words to fold, unless
    lowering changes its length (« İ »): then each word is folded as written.
    """
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = text
    words: list[str] = []
    for piece in lowered.split():
        if piece.isalnum():
            words.append(piece if piece.isascii() else fold_word(piece))
        else:
            words.extend(map(fold_word, WORD_PATTERN.findall(piece)))
    return words


def _add_tagged(
    text: str, position: int, by_key: dict[str, list[int]], spans: dict[tuple[str, int], int]
) -> int:
    """File the tokens of a text that may hold hashtags and handles; the next position."""
    for raw in TOKEN_PATTERN.findall(text):
        if raw[0] not in SIGNS:
            by_key.setdefault(fold_word(raw), []).append(position)
            position += 1
            continue
        signed, whole, parts = tagged_keys(raw)
        last = position + max(len(parts), 1) - 1
        for key in (signed, whole):
            by_key.setdefault(key, []).append(position)
            if last != position:
                spans[key, position] = last
        if len(parts) > 1:
            for offset, (part, _, _) in enumerate(parts):
                by_key.setdefault(part, []).append(position + offset)
        position = last + 1
    return position


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
                found.update(f"{name}:{value}" for value in self.values(name))
        return found


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
        return lambda analysis: labels if analysis.stream(name).keys_for(word) else None
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
