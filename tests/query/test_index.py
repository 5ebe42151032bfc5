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
