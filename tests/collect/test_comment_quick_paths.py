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
    _META_TOKEN,
    _candidates,
    _inside,
    _is_meta,
    _own_nodes,
    _permalinks,
    _tokens,
    clean_text,
)
from veille.collect.feeds import squeeze_spaces

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
