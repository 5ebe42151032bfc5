"""The watch index: each way a mention can bring a watch, with the reference agreeing.

One index holds every query, as in the pipeline, so a document is looked up by its
pieces among all the others' keys, and the same pieces come back from one document to
the next (remembered by the index).
"""

from __future__ import annotations

import pytest

from veille.query import Document, QueryIndex, parse
from veille.query.fast import Stream
from veille.query.reference import evaluate
from veille.query.requirements import excluded_words

QUERIES = {
    "hashtag only": "#MediasSociaux",
    "hashtag words": '"médias sociaux" AND demain',
    "elided": "entreprise AND recrutement",
    "elided phrase": '"l\'été" NEAR/2 festival',
    "prefix": "torréf* AND (café OR expresso)",
    "accented prefix": "bréz*",
    "title": 'title:"Brûlerie Azur"',
    "author": "author:claire AND azur",
    "site": "site:example.org AND azur",
    "lang": "(azur OR moka) lang:fr",
    "near": "azur NEAR/2 livraison",
    "onear": "livraison ONEAR/1 retard",
    "not": "azur NOT emploi",
    "glued": "brulerieazur OR @brulerieazur",
}

# (text, other fields, the queries it must match exactly)
CASES = [
    ("Les #MediasSociaux demain", {}, {"hashtag only", "hashtag words"}),
    ("les médias sociaux demain", {}, {"hashtag words"}),
    ("Les #MédiasSociaux", {}, {"hashtag only"}),
    ("L’ENTREPRISE d’Azur fait du recrutement", {}, {"elided", "lang", "not"}),
    ("Le festival de l’été", {}, {"elided phrase"}),
    ("L'ÉTÉ 🔥 … festival", {}, {"elided phrase"}),
    ("l’été, puis un autre festival", {}, set()),
    ("La torréfaction du café", {}, {"prefix"}),
    ("torréfacteur, expresso", {}, {"prefix"}),
    ("torréfaction sans boisson", {}, set()),
    ("un brézil", {}, {"accented prefix"}),
    ("BREZOU", {}, {"accented prefix"}),
    ("rien", {"title": "La Brûlerie… Azur"}, {"title", "lang", "not"}),
    ("Brûlerie Azur", {"title": "autre"}, {"lang", "not"}),
    ("azur", {"author": "@claire_m", "lang": "en"}, {"author", "not"}),
    ("azur", {"url": "https://blog.example.org/1", "lang": "en"}, {"site", "not"}),
    ("azur", {"url": "https://notexample.org/1", "lang": "en"}, {"not"}),
    ("azur ☕ 😍 livraison", {"lang": "fr-FR"}, {"lang", "near", "not"}),
    ("azur un deux trois livraison", {"lang": "en"}, {"not"}),
    ("livraison retard", {}, {"onear"}),
    ("retard livraison", {}, set()),
    ("azur emploi", {}, {"lang"}),
    ("Merci @BrulerieAzur !", {}, {"glued", "lang", "not"}),
    ("brulerieazur", {}, {"glued"}),
    ("", {}, set()),
]


@pytest.fixture(scope="module")
def index() -> QueryIndex[str]:
    return QueryIndex({name: parse(text) for name, text in QUERIES.items()})


def _reference(document: Document) -> dict[str, tuple[str, ...]]:
    return {
        name: found.terms
        for name, text in QUERIES.items()
        if (found := evaluate(parse(text).root, document)) is not None
    }


@pytest.mark.parametrize(("text", "fields", "expected"), CASES)
def test_each_way_a_mention_brings_a_watch(index, text, fields, expected):
    fields = {"lang": "fr", **fields}
    document = Document(text=text, **fields)
    reference = _reference(document)
    assert set(reference) == expected
    assert index.terms(document) == reference
    assert {name: found.terms for name, found in index.match(document).items()} == reference


def test_the_same_pieces_again_give_the_same_answers(index):
    """The second time round every piece is remembered: nothing changes."""
    documents = [Document(text=text, **{"lang": "fr", **fields}) for text, fields, _ in CASES]
    first = [index.terms(document) for document in documents]
    assert [index.terms(document) for document in documents] == first
    assert first == [_reference(document) for document in documents]


def test_forgetting_in_the_middle_of_a_mention_loses_nothing(monkeypatch):
    """Pieces, namespaced keys and values are forgotten apart; no match is lost."""
    monkeypatch.setattr("veille.query.index.SEEN_KEYS", 2)
    monkeypatch.setattr("veille.query.index.VALUE_MEMORY", 1)
    monkeypatch.setattr("veille.query.fast.PIECE_CACHE_SIZE", 2)
    queries = {name: parse(QUERIES[name]) for name in ("author", "site", "elided phrase")}
    index = QueryIndex(queries)
    documents = [
        Document(text="azur et l’été", author="@claire", url="https://example.org/"),
        Document(text="L’été, un festival à l’azur", author="@claire_b", url="http://x.fr/"),
        Document(text="azur", url="https://www.example.org/a"),
    ]
    for document in documents * 2:
        expected = {
            name: found.terms
            for name, query in queries.items()
            if (found := evaluate(query.root, document)) is not None
        }
        assert expected
        assert index.terms(document) == expected


def test_a_stream_keeps_the_keys_it_was_read_with(monkeypatch):
    """Positions are worked out later, even after the piece memory started afresh."""
    monkeypatch.setattr("veille.query.fast.PIECE_CACHE_SIZE", 2)
    stream = Stream(("L’été à Paris 🔥",))
    Stream(("d’autres mots accentués ici",))  # overflows the memory: it starts afresh
    assert stream.keys == {"l", "ete", "a", "paris"}
    assert [first for first, _ in stream.intervals(parse("paris").root.words[0])] == [3]


def _terms_agree(queries: dict[str, str], document: Document) -> dict[str, tuple[str, ...]]:
    """The index's terms for the document, checked against the reference evaluator."""
    parsed = {name: parse(text) for name, text in queries.items()}
    index = QueryIndex(parsed)
    expected = {
        name: found.terms
        for name, query in parsed.items()
        if (found := evaluate(query.root, document)) is not None
    }
    found = index.terms(document)
    assert found == expected
    assert {name: match.terms for name, match in index.match(document).items()} == expected
    return found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("azur et son café", {"excluded": ("azur",)}),
        ("azur recrute : un emploi", {}),
        ("Azur, CONCOURS !", {}),
        ("azur et l’emploi du temps", {}),
    ],
)
def test_a_mention_with_an_excluded_word_is_ruled_out_before_evaluation(text, expected):
    document = Document(text=text)
    assert _terms_agree({"excluded": "azur NOT (emploi OR concours)"}, document) == expected


def test_a_content_prefix_does_not_meet_the_site_or_lang_keys():
    """« site* » is a word of the text, not the site: filter of the mention."""
    queries = {"prefix": "site* OR lang*", "site": "site:example.org"}
    document = Document(text="rien à voir", url="https://example.org/a", lang="fr")
    assert _terms_agree(queries, document) == {"site": ("site:example.org",)}
    document = Document(text="un site en langue", url="https://example.org/a", lang="fr")
    assert _terms_agree(queries, document) == {
        "prefix": ("site*", "lang*"),
        "site": ("site:example.org",),
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("un moka et un café, livraison en retard", ("moka", "café", "Café", "retard")),
        ("expresso : livraison en retard", ("expresso", "retard")),
        ("moka, livraison", None),
        ("retard de livraison", None),
    ],
)
def test_single_words_of_one_stream_are_checked_together(text, expected):
    """Words of an OR (any) or of an AND (all) are settled by one set operation."""
    query = "(moka OR expresso OR café OR Café) AND livraison AND (retard OR title:retard)"
    found = _terms_agree({"group": query}, Document(text=text))
    assert found.get("group") == (
        None if expected is None else (*expected[:-1], "livraison", expected[-1])
    )


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("azur NOT (emploi OR concours)", {"emploi", "concours"}),
        ("azur NOT Emploi NOT #Azur", {"emploi", "#azur"}),
        ('azur NOT "emploi fictif"', set()),
        ("azur NOT emplo*", set()),
        ("azur NOT title:emploi", set()),
        ("azur NOT (emploi OR title:concours)", set()),
        ("azur OR (moka NOT emploi)", set()),
    ],
)
def test_only_words_whose_presence_alone_rules_a_query_out_are_excluded(query, words):
    assert excluded_words(parse(query).root) == words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("torréfaction du café, un expresso", ("café", "expresso", "torréf*")),
        ("torréfacteur et CAFE", ("café", "torréf*")),
        ("café et expresso, sans le mot", None),
        ("torréfaction sans boisson", None),
        ("Torréfié ☕ #Expresso", ("expresso", "torréf*")),  # a hashtag's words count
    ],
)
def test_a_prefix_and_words_are_settled_in_one_call(text, expected):
    """`(words) AND stem*`, either way round, as the reference evaluator has it."""
    queries = {
        "after": "(café OR expresso) AND torréf*",
        "before": "torréf* AND (café OR expresso)",
    }
    found = _terms_agree(queries, Document(text=text))
    assert found.get("after") == expected
    labels = None if expected is None else ("torréf*", *expected[:-1])
    assert found.get("before") == labels
