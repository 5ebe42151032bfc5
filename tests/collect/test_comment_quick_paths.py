"""Quick paths of the comment reader and of HTML-to-text against the plain versions they
stand for."""

from __future__ import annotations

import random
import re
from pathlib import Path
from urllib.parse import urljoin

import pytest
from selectolax.lexbor import LexborHTMLParser

from tests.support import SHARED_FIXTURES
from veille.collect.comments import (
    _AUTHOR_SELECTOR,
    _BODY_SELECTOR,
    _DATE_ATTRIBUTE_SELECTOR,
    _DATE_TEXT_SELECTOR,
    _ITEM_CLASS,
    _META_TOKEN,
    _candidates,
    _inside,
    _is_item,
    _is_meta,
    _own_nodes,
    _OwnNodes,
    _permalinks,
    _tokens,
    clean_text,
)
from veille.collect.feeds import (
    _BLOCK_NAMES,
    _BLOCK_TAG,
    _BR_TAG,
    _DROPPED_TAG,
    _DROPPED_TAGS,
    html_to_text,
    squeeze_spaces,
)
from veille.collect.pages import _container_text

_REFERENCE_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u2009\u202f]+")
_REFERENCE_BLANK_LINES = re.compile(r"\n\s*\n+")


def reference_clean_text(text: str) -> str:
    """The obvious version: each line collapsed and stripped, blank runs made one break."""
    lines = (_REFERENCE_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _REFERENCE_BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


ALPHABET = ["a", "b", "é", " ", " ", "\t", "\r", "\n", "\n", "\u00a0", "\u2009", "\u202f", "\u2028"]


@pytest.mark.parametrize("seed", range(20))
def test_clean_text_matches_the_reference(seed: int) -> None:
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    for _ in range(200):
        text = "".join(rng.choices(ALPHABET, k=rng.randint(0, 40)))
        assert clean_text(text) == reference_clean_text(text), repr(text)


def test_clean_text_keeps_paragraphs_and_drops_spaces() -> None:
    assert clean_text("  Bonjour\u00a0\u00a0à  tous \n\n\n\t\n Deuxième\tligne ") == (
        "Bonjour à tous\n\nDeuxième ligne"
    )


@pytest.mark.parametrize(
    "page_url",
    [
        "https://blog.example/2024/05/post/?p=1#top",
        "https://blog.example",
        "http://blog.example/a?",
        "https://blog.example/a/../b;params",
        "https://blog.example/post#",
    ],
)
@pytest.mark.parametrize("anchor", ["comment-12", "c_1.2", "réponse-3", "a b", "x#y", "\tc-4"])
def test_comment_permalinks_are_what_urljoin_gives(page_url: str, anchor: str) -> None:
    assert _permalinks(page_url)(anchor) == urljoin(page_url, "#" + anchor)


PAGES = sorted((SHARED_FIXTURES / "pages").glob("*.html"))


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_own_nodes_and_meta_marks_match_their_plain_versions(page: Path) -> None:
    """The walk that skips nested items, and the one search over all of a node's tokens,
    give what the per-node checks they replace give, on every real page."""
    tree = LexborHTMLParser(page.read_text("utf-8", "replace"))
    nodes = _candidates(tree)
    items = {node.mem_id for node in nodes}
    for item in nodes:
        expected = [
            node.mem_id
            for node in item.traverse(include_text=False)
            if node.mem_id != item.mem_id and _inside(node, item, items)
        ]
        assert [node.mem_id for node in _own_nodes(item, items)] == expected
    assert tree.body is not None
    for node in tree.body.traverse(include_text=False):
        if node.tag and node.tag[0] not in "-!":
            marks = [_META_TOKEN.search(token) for token in _tokens(node)]
            assert _is_meta(node) == any(marks), node.attributes


@pytest.mark.parametrize("seed", range(10))
def test_squeezed_spaces_match_the_regex(seed: int) -> None:
    """str.replace() squeezing gives what one substitution of each whitespace run gives."""
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    feed_runs = re.compile(r"[ \t\n\r\f\v]+")
    alphabet = ["a", "é", " ", " ", " ", "\t", "\n", "\r", "\f", "\v", "\u00a0", "\u2028"]
    for _ in range(300):
        text = "".join(rng.choices(alphabet, k=rng.randint(0, 60)))
        assert squeeze_spaces(text) == feed_runs.sub(" ", text), repr(text)


_THREAD_SELECTORS = [
    _BODY_SELECTOR,
    _AUTHOR_SELECTOR,
    _DATE_ATTRIBUTE_SELECTOR,
    _DATE_TEXT_SELECTOR,
    "a[href*='#']",
]


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_one_query_per_thread_gives_each_item_its_own_query(page: Path) -> None:
    """The query over the thread's region, its matches handed to the nearest item above
    them, gives each item what a query of its own, filtered by _inside(), gives (lexbor
    lists matches in page order from any starting node)."""
    tree = LexborHTMLParser(page.read_text("utf-8", "replace"))
    nodes = _candidates(tree)
    own = _OwnNodes(nodes)
    if len(nodes) >= 4:
        assert own.scope is not None  # the shared query is what this test checks
    for selector in _THREAD_SELECTORS:
        for item in nodes:
            expected = [n.mem_id for n in item.css(selector) if _inside(n, item, own.items)]
            assert [n.mem_id for n in own(item, selector)] == expected, selector


def test_a_nested_thread_shares_its_queries() -> None:
    tree = LexborHTMLParser(
        "<ol class=commentlist>"
        + "".join(
            f"<li class=comment id=comment-{n}><p class=comment-author>A{n}</p>"
            f"<div class=comment-content>Texte {n}"
            f"<ol class=children><li class=comment id=comment-{n}0>"
            f"<div class=comment-content>Réponse {n}</div></li></ol></div></li>"
            for n in range(1, 4)
        )
        + "</ol>"
    )
    nodes = _candidates(tree)
    own = _OwnNodes(nodes)
    assert len(nodes) == 6 and own.scope is not None and own.scope.tag == "ol"
    texts = [[n.text(deep=True) for n in own(item, ".comment-content")] for item in nodes]
    # A top-level comment's body holds its answer, which is an item of its own: the
    # answer's body belongs to the answer only.
    assert texts[0] == ["Texte 1Réponse 1"] and texts[1] == ["Réponse 1"]
    assert [[n.text() for n in own(item, ".comment-author")] for item in nodes][::2] == [
        ["A1"],
        ["A2"],
        ["A3"],
    ]


def test_item_classes_are_searched_once_as_each_token_was() -> None:
    classes = [
        "comment",
        "Comment even",
        "x-single-comment",
        "comments",
        "comment-author vcard",
        "a b\u00a0pingback",
        "commentaire",
        "wp-comment-card other",
        "",
    ]
    for value in classes:
        node = LexborHTMLParser(f'<div class="{value}">x</div>').css_first("div")
        assert node is not None
        expected = any(_ITEM_CLASS.match(token) for token in value.lower().split())
        assert _is_item(node) == expected, value


_CASES = ["", "x", "X", "\u0130", "\u0131", "\u017f", "\u212a"]


@pytest.mark.parametrize("seed", range(6))
def test_tag_patterns_match_what_ignorecase_matches(seed: int) -> None:
    """The case-class patterns of html_to_text() find what re.IGNORECASE finds, the
    non-ASCII letters it folds (İ ı ſ K) included."""
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    block = re.compile(rf"<(?=/?(?:{'|'.join(_BLOCK_NAMES)})\b)", re.IGNORECASE)
    line = re.compile(r"<(?=br\b)", re.IGNORECASE)
    dropped = re.compile(rf"<(?:{'|'.join(_DROPPED_TAGS)})\b", re.IGNORECASE)
    names = [*_BLOCK_NAMES, *_DROPPED_TAGS, "br", "b", "a", "span", "hgroup", "details"]
    odd = {"i": "\u0130\u0131", "k": "\u212a", "s": "\u017f"}
    for _ in range(300):
        name = rng.choice(names)
        spelled = "".join(
            rng.choice([c, c.upper(), *odd.get(c, "")]) if c.isalpha() else c for c in name
        )
        markup = f"a<{rng.choice(['', '/'])}{spelled}{rng.choice(['>', ' ', 'x', '1'])}b"
        assert _BLOCK_TAG.sub("#", markup) == block.sub("#", markup), markup
        assert _BR_TAG.sub("#", markup) == line.sub("#", markup), markup
        assert bool(_DROPPED_TAG.search(markup)) == bool(dropped.search(markup)), markup


def test_container_breaks_match_html_to_text() -> None:
    markup = (
        "<div id=post><h2>Titre</h2><p>Un<br>deux</p><hr><ul><li>a</li><li>b</li></ul>"
        "<blockquote>cité</blockquote><script>x()</script><span>fin</span></div>"
    )
    container = LexborHTMLParser(markup).css_first("#post")
    assert container is not None
    expected = "Titre\n\nUn\ndeux\n\na\n\nb\n\ncité\n\nfin"
    assert html_to_text(markup) == expected
    assert _container_text(container) == expected
