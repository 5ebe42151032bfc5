"""The indexed, compiled matcher agrees with the reference evaluator on random input."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from veille.query import Document, QueryIndex, QuerySyntaxError, parse
from veille.query.ast import Word
from veille.query.document import GAP, stream_tokens
from veille.query.fast import FastAnalysis
from veille.query.reference import evaluate

QUERY_WORDS = [
    "café",
    "cafe",
    "média*",
    "sociaux",
    "l'été",
    "d’azur",
    "#MédiasSociaux",
    "@azur",
    "ete",
    "CAFÉ",
    "bio",
]
TEXT_WORDS = [
    "café",
    "Cafe",
    "CAFÉ",
    "médias",
    "medias",
    "sociaux",
    "l'été",
    "L’ÉTÉ",
    "d’azur",
    "azur",
    "#MediasSociaux",
    "#cafe_bio",
    "@Azur",
    "bio",
    "🙂",
    "—",
    "!",
    "e\u0301te\u0301",
    "mediatheque",
    "œuvre",
]


def _term() -> st.SearchStrategy[str]:
    word = st.sampled_from(QUERY_WORDS)
    phrase = st.lists(word, min_size=2, max_size=3).map(lambda words: '"' + " ".join(words) + '"')
    field = st.sampled_from(["title:", "author:", ""])
    return st.tuples(field, st.one_of(word, phrase)).map("".join)


def _combine(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    pair = st.tuples(children, children)
    near = st.tuples(
        st.sampled_from(QUERY_WORDS),
        st.sampled_from(["NEAR", "ONEAR"]),
        st.integers(1, 4),
        st.sampled_from(QUERY_WORDS),
    ).map(lambda parts: f'"{parts[0]}" {parts[1]}/{parts[2]} "{parts[3]}"')
    return st.one_of(
        pair.map(lambda p: f"({p[0]} AND {p[1]})"),
        pair.map(lambda p: f"({p[0]} OR {p[1]})"),
        pair.map(lambda p: f"({p[0]} NOT {p[1]})"),
        near,
        st.sampled_from(["lang:fr", "kind:comment", "site:example.org"]),
    )


QUERIES = st.recursive(_term(), _combine, max_leaves=6)
TEXTS = st.lists(st.sampled_from(TEXT_WORDS), max_size=12).map(" ".join)
DOCUMENTS = st.builds(
    Document,
    text=TEXTS,
    title=TEXTS,
    author=st.sampled_from(["", "@azur", "@cafe_bio"]),
    url=st.sampled_from(["", "https://blog.example.org/azur", "https://example.com/"]),
    lang=st.sampled_from(["", "fr", "en"]),
    kind=st.sampled_from(["post", "comment"]),
)


@settings(max_examples=300, deadline=None)
@given(queries=st.lists(QUERIES, min_size=1, max_size=6), documents=st.lists(DOCUMENTS, max_size=4))
def test_indexed_matcher_agrees_with_the_reference(queries, documents):
    parsed = {}
    for number, text in enumerate(queries):
        try:
            parsed[number] = parse(text)
        except QuerySyntaxError:
            continue  # e.g. a query that only excludes: refused, nothing to compare
    index = QueryIndex(parsed)
    for document in documents:
        expected = {
            number: found
            for number, query in parsed.items()
            if (found := evaluate(query.root, document)) is not None
        }
        assert index.match(document) == expected
        assert index.terms(document) == {number: found.terms for number, found in expected.items()}


@settings(max_examples=300, deadline=None)
@given(texts=st.lists(TEXTS, max_size=3), author=st.sampled_from(["", "@Azur_Bio", "@a"]))
def test_the_fast_tokens_are_the_tokens_of_normalise(texts, author):
    document = Document(text=" ".join(texts), title=texts[0] if texts else "", author=author)
    analysis = FastAnalysis(document)
    for stream in ("content", "title", "author"):
        expected: dict[str, list[tuple[int, int]]] = {}
        origin = None
        for token in stream_tokens(document, stream):
            origin = token.first if origin is None else origin
            expected.setdefault(token.key, []).append((token.first, token.last))
        fast = analysis.stream(stream)
        assert set(fast.by_key) == set(expected)
        for key, places in expected.items():
            got = [(first, fast.spans.get((key, first), first)) for first in fast.by_key[key]]
            # Positions may be numbered from another origin per field: compare the shapes.
            assert [last - first for first, last in got] == [last - first for first, last in places]


# Any text, with what makes cutting into words hard: signs, underscores, apostrophes,
# combining accents, non-breaking spaces, emoji, letters whose case or fold changes length.
ODD_TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("aZé É#@_'’-.:/ \u00a0\u202f\u0301ßİﬁ½²œŒ🙂\t\nK")),
        st.characters(codec="utf-8"),
    ),
    max_size=40,
)


@settings(max_examples=400, deadline=None)
@given(title=ODD_TEXT, text=ODD_TEXT)
def test_the_fast_keys_and_positions_are_those_of_normalise_on_any_text(title, text):
    document = Document(text=text, title=title)
    fast = FastAnalysis(document).stream("content")
    expected: dict[str, list[tuple[int, int]]] = {}
    for token in stream_tokens(document, "content"):
        expected.setdefault(token.key, []).append((token.first, token.last))
    assert fast.keys == set(expected)
    for key, places in expected.items():
        got = sorted(fast.intervals(Word(key)))
        places.sort()
        assert [last - first for first, last in got] == [last - first for first, last in places]
        # Fields may be numbered from another origin: compare the steps, up to GAP.
        assert _steps(got) == _steps(places)


def _steps(places: list[tuple[int, int]]) -> list[int]:
    return [min(after[0] - before[0], GAP) for before, after in pairwise(places)]


def test_the_index_forgets_and_relearns_without_losing_a_match(monkeypatch):
    """Remembered words and pieces are bounded; starting afresh loses no candidate."""
    monkeypatch.setattr("veille.query.index.SEEN_KEYS", 3)
    monkeypatch.setattr("veille.query.fast.PIECE_CACHE_SIZE", 3)
    queries = {0: parse('"médias sociaux" AND café'), 1: parse("azur*")}
    index = QueryIndex(queries)
    texts = ["Les médias sociaux et le café", "Un café, l’azuréen, les médias sociaux"]
    for text in texts * 3:
        document = Document(text=text)
        expected = {
            number: found.terms
            for number, query in queries.items()
            if (found := evaluate(query.root, document)) is not None
        }
        assert expected and index.terms(document) == expected
