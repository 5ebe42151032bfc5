"""Quick paths of the page reader against the plain queries they stand for."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from tests.support import SHARED_FIXTURES
from veille.collect.dates import parse_date
from veille.collect.pages import (
    _BODY_CONTAINERS,
    _RECIPE_CARDS,
    _decode,
    _page_parts,
    _theme_containers,
    decode_html,
    extract_page,
)

PAGES = sorted((SHARED_FIXTURES / "pages").glob("*.html"))
# Hand-made pages for what the fixtures lack: recipe cards on a <meta> or a JSON-LD block,
# a `type` written in capitals, theme classes on an <article>, both classes on one node,
# in quirks mode (no doctype) and in standards mode.
MADE_UP = [
    '<meta name="a" content="1"><meta class="tasty-recipes" name="b" content="2">'
    '<script type="Application/LD+JSON">{"@type": "Article"}</script>'
    '<script type="application/ld+json" class="wprm-recipe-container">{}</script>'
    '<div class="mv-create-card">card</div>',
    '<!DOCTYPE html><html><head><meta name="x"></head><body>'
    '<article class="entry-content post-body">a</article><div class="post-body">b</div>'
    '<section itemtype="https://schema.org/Recipe">r</section></body></html>',
    '<article class="entry-content">a</article><p class="entry-content post-body">b</p>'
    "<article>c</article>",
]


def _ids(nodes: list) -> list[int]:
    return [node.mem_id for node in nodes]


def _trees() -> list[tuple[str, LexborHTMLParser]]:
    pages = [(page.name, LexborHTMLParser(page.read_text("utf-8", "replace"))) for page in PAGES]
    return pages + [(f"made-up {n}", LexborHTMLParser(html)) for n, html in enumerate(MADE_UP)]


def test_fixture_pages_are_there() -> None:
    assert len(PAGES) >= 18


@pytest.mark.parametrize(("name", "tree"), _trees(), ids=lambda value: str(value)[:40])
def test_page_parts_are_what_their_own_queries_find(name: str, tree: LexborHTMLParser) -> None:
    parts = _page_parts(tree)
    assert parts.metas == [node.attributes for node in tree.css("meta")], name
    assert _ids(parts.scripts) == _ids(tree.css('script[type="application/ld+json"]')), name
    card = tree.css_first(_RECIPE_CARDS)
    assert (parts.recipe.mem_id if parts.recipe else None) == (card.mem_id if card else None)


@pytest.mark.parametrize(("name", "tree"), _trees(), ids=lambda value: str(value)[:40])
def test_theme_containers_are_what_a_query_each_finds(name: str, tree: LexborHTMLParser) -> None:
    found = _theme_containers(tree)
    assert found is not None, name
    for selector in _BODY_CONTAINERS:
        assert _ids(found[selector]) == _ids(tree.css(selector)), (name, selector)


def test_made_up_pages_hold_every_case() -> None:
    parts = _page_parts(LexborHTMLParser(MADE_UP[0]))
    assert [attributes.get("name") for attributes in parts.metas] == ["a", "b"]
    assert len(parts.scripts) == 2  # the capitalised type too, as lexbor compares it
    assert parts.recipe is not None and parts.recipe.tag == "meta"
    found = _theme_containers(LexborHTMLParser(MADE_UP[2]))
    assert found is not None
    assert [len(found[selector]) for selector in _BODY_CONTAINERS] == [2, 1, 2]


@pytest.mark.parametrize("doctype", ["", "<!DOCTYPE html>"])
def test_theme_classes_in_another_case_go_to_a_query_each(doctype: str) -> None:
    # In quirks mode lexbor matches class names regardless of case: such a node, which
    # holds neither class as written, sends the reader back to a query per selector.
    tree = LexborHTMLParser(f'{doctype}<div class="Entry-Content">a</div><article>b</article>')
    found = _theme_containers(tree)
    if found is None:
        assert tree.css(".entry-content")
    else:
        for selector in _BODY_CONTAINERS:
            assert _ids(found[selector]) == _ids(tree.css(selector)), selector


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jean Dupont", None),
        ("le mardi", None),
        ("Stéphane Müller", None),
        ("le 1er mars 2024 à 9h", "2024-03-01T09:00:00+00:00"),
        ("12 mars", None),  # no year and no reference
    ],
)
def test_text_without_a_digit_holds_no_date(text: str, expected: str | None) -> None:
    found = parse_date(text)
    assert (found.isoformat() if found else None) == expected


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name[:40])
def test_a_utf8_page_parsed_from_its_bytes_reads_as_its_text(page: Path) -> None:
    content = page.read_bytes()
    text = decode_html(content)
    when = datetime(2025, 1, 1, tzinfo=UTC)
    url = "https://blog.example/2019/05/06/article"
    from_bytes = extract_page(content, url, fetched_at=when)
    from_text = extract_page(text, url, fetched_at=when)
    assert from_bytes.mentions == from_text.mentions
    assert from_bytes.warnings == from_text.warnings


def test_most_fixture_pages_are_parsed_from_their_bytes() -> None:
    handed = [page.name for page in PAGES if _decode(page.read_bytes())[1] is not None]
    assert len(handed) >= len(PAGES) // 2, handed


def test_only_utf8_bytes_are_handed_to_lexbor() -> None:
    latin = '<meta charset="iso-8859-1"><p>café</p>'.encode("latin-1")
    assert _decode(latin) == ('<meta charset="iso-8859-1"><p>café</p>', None)
    utf8 = "<p>café</p>".encode()
    assert _decode(utf8) == ("<p>café</p>", utf8)
    assert _decode(b"\xef\xbb\xbf<p>x</p>") == ("<p>x</p>", None)
    assert _decode(b"<p>\xe9t\xe9</p>") == ("<p>été</p>", None)  # Windows-1252 fallback
