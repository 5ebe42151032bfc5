"""The page connector on real pages (../shared/fixtures/pages) and on hand-made markup."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.support import SHARED_FIXTURES
from veille.collect.base import CollectError
from veille.collect.dates import parse_date
from veille.collect.pages import PageExtraction, collect_page, extract_page

PAGES_DIR = SHARED_FIXTURES / "pages"
EXPECTED: dict[str, dict] = json.loads((PAGES_DIR / "expected.json").read_text("utf-8"))


def _output(extraction: PageExtraction) -> str:
    parts = []
    for mention in extraction.mentions:
        parts += [mention.title, mention.text, mention.author_name]
    return "\n".join(parts)


# Snippets of expected.json that this extractor does not deliver, each with why. Each is
# checked below to still be what it says, so that the list cannot hide a regression.
FIXTURE_MISTAKES = {
    # The comment was loaded by JavaScript: its text is nowhere in the recorded HTML.
    (
        "tdg.ch.chlorothalonil.html",
        "Un effet immédiat pour un effet long terme du poison",
    ): "absent from the page",
    # The publisher's disclosure closes the article itself; no comment says it.
    ("plentylife.blogspot.pamela-reif.html", "Vielen Dank an den den Verlag"): "in the article",
}
# Snippets the extractor is known to miss (none at the moment: L'Opinion's lead paragraph,
# which trafilatura drops as boilerplate, comes out since the page's single <article> is
# read directly).
KNOWN_MISSES: set[tuple[str, str]] = set()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_real_page_matches_expected_snippets(name: str) -> None:
    expected = EXPECTED[name]
    raw = (PAGES_DIR / name).read_bytes()
    page = extract_page(raw, expected["url"])
    comment_texts = [c.text for c in page.comments]
    everything = _output(page)
    problems = []
    for snippet in expected["with"]:
        found = snippet in page.article.text
        if (name, snippet) in KNOWN_MISSES:
            assert not found, f"{snippet!r} is found now: remove it from KNOWN_MISSES"
        elif not found:
            problems.append(f"article lacks {snippet!r}")
    for snippet in expected["comments"]:
        mistake = FIXTURE_MISTAKES.get((name, snippet))
        if mistake == "absent from the page":
            assert snippet not in raw.decode("utf-8", "replace")
        elif mistake == "in the article":
            assert snippet in page.article.text
        elif not any(snippet in text for text in comment_texts):
            problems.append(f"no comment contains {snippet!r}")
    problems += [f"output contains {s!r}" for s in expected["without"] if s in everything]
    assert not problems, f"{name}: " + "; ".join(problems)


def test_recipe_cards_belong_to_the_article() -> None:
    name = "flawlessfood.co.uk.olive.html"
    page = extract_page((PAGES_DIR / name).read_bytes(), EXPECTED[name]["url"])
    assert "Carbohydrates: 31g" in page.article.text
    assert not any("Carbohydrates" in comment.text for comment in page.comments)


def test_wordpress_thread_has_parents_and_children() -> None:
    name = "californiaglobe.com.amazon.html"
    page = extract_page((PAGES_DIR / name).read_bytes(), EXPECTED[name]["url"])
    by_url = {c.url: c for c in page.comments}
    replies = [c for c in page.comments if c.kind == "reply"]
    assert replies
    for reply in replies:
        assert reply.in_reply_to_url in by_url
        assert by_url[reply.in_reply_to_url].kind in ("comment", "reply")
    shopify = next(c for c in page.comments if "Shopify only helps" in c.text)
    assert shopify.author_name == "Librarian"
    assert shopify.in_reply_to_url.endswith("#comment-18681")
    top = by_url[shopify.in_reply_to_url]
    assert top.kind == "comment" and top.in_reply_to_url == EXPECTED[name]["url"]
    assert top.author_name == "chris"
    assert top.published_at == datetime(2020, 8, 15, 23, 7, 27, tzinfo=UTC)


def test_spip_thread_counts_match_the_page() -> None:
    name = "la-bas.org.porte.html"
    page = extract_page((PAGES_DIR / name).read_bytes(), EXPECTED[name]["url"])
    assert len(page.comments) == EXPECTED[name]["comment_count"]
    assert sum(c.kind == "reply" for c in page.comments) == EXPECTED[name]["reply_count"]


def test_recent_comments_widget_is_not_the_thread() -> None:
    name = "readability-wordpress.html"
    page = extract_page((PAGES_DIR / name).read_bytes(), EXPECTED[name]["url"])
    assert len(page.comments) == EXPECTED[name]["comment_count"]
    assert len({c.external_id for c in page.comments}) == len(page.comments)


def test_pingbacks_are_trackbacks() -> None:
    name = "californiaglobe.com.amazon.html"
    page = extract_page((PAGES_DIR / name).read_bytes(), EXPECTED[name]["url"])
    trackbacks = [c for c in page.comments if c.kind == "trackback"]
    assert trackbacks and all(t.text.startswith("Pingback:") for t in trackbacks)
    assert all(t.in_reply_to_url == EXPECTED[name]["url"] for t in trackbacks)


ARTICLE = """<html><head><title>Le café de Marseille</title></head><body>
<nav><ul><li class="comment"><p>Menu: commentaires récents</p></li></ul></nav>
<article><h1>Le café de Marseille</h1>
<p>La Brûlerie Azur torréfie son café au cœur de Marseille depuis trente ans, et ses
clients en parlent volontiers à leurs amis comme à leurs voisins de quartier.</p>
<p>Chaque semaine, de nouvelles origines arrivent sur les étagères de la boutique du
Vieux-Port, et les habitués viennent les goûter avant tout le monde.</p>
</article>
{thread}
<aside class="widget"><ul id="recentcomments"><li class="comment">Widget text</li></ul></aside>
<form id="commentform"><textarea>form text</textarea></form>
</body></html>"""

THREAD = """<div id="comments"><ol class="commentlist">
<li class="comment" id="comment-1"><div class="comment-body">
  <div class="comment-author vcard">
    <cite class="fn"><a href="https://claire.example/">Claire</a></cite> dit :</div>
  <div class="comment-metadata"><a href="#comment-1"><time>12 mars 2024 à 14 h 05</time></a></div>
  <div class="comment-content"><p>Super café !<script>alert(1)</script></p>
  <img src="x" onerror="alert(2)"><style>p{color:red}</style></div>
  <div class="reply"><a class="comment-reply-link" href="#">Répondre</a></div></div>
  <ol class="children">
    <li class="comment" id="comment-2"><div class="comment-body">
      <div class="comment-author"><span class="fn">Brûlerie Azur</span> says:</div>
      <div class="comment-metadata"><a href="#comment-2">March 12, 2024 at 2:05 pm</a></div>
      <div class="comment-content"><p>Merci Claire !</p></div></div></li>
  </ol></li>
<li class="pingback" id="comment-3"><div class="comment-body">
  Pingback: <a href="https://other.example/">Un autre blog</a></div></li>
</ol></div>"""


def test_threading_dates_and_trackbacks_on_markup() -> None:
    url = "https://blog.example/cafe"
    page = extract_page(ARTICLE.format(thread=THREAD), url)
    first, answer, ping = page.comments
    assert (first.kind, first.author_name, first.author_url) == (
        "comment",
        "Claire",
        "https://claire.example/",
    )
    assert first.url == first.external_id == "https://blog.example/cafe#comment-1"
    assert first.in_reply_to_url == url
    assert first.published_at == datetime(2024, 3, 12, 14, 5, tzinfo=UTC)
    assert (answer.kind, answer.author_name) == ("reply", "Brûlerie Azur")
    assert answer.in_reply_to_url == first.url
    assert answer.published_at == datetime(2024, 3, 12, 14, 5, tzinfo=UTC)
    assert answer.text == "Merci Claire !"
    assert ping.kind == "trackback"
    assert "Widget text" not in _output(page) and "form text" not in _output(page)
    assert "Menu" not in _output(page)


def test_hostile_html_never_reaches_the_text() -> None:
    page = extract_page(ARTICLE.format(thread=THREAD), "https://blog.example/cafe")
    out = _output(page)
    for bad in ("alert", "<script", "onerror", "color:red", "<img"):
        assert bad not in out
    assert page.comments[0].text == "Super café !"


def test_page_without_comments() -> None:
    page = extract_page(ARTICLE.format(thread=""), "https://blog.example/cafe")
    assert page.comments == []
    assert page.article.kind == "post"
    assert "trente ans" in page.article.text
    assert page.article.title == "Le café de Marseille"


def test_comment_without_anchor_gets_a_stable_id() -> None:
    thread = (
        '<div class="comments"><div class="comment"><span class="author">Paul</span>'
        "<p>Un avis sans ancre.</p></div></div>"
    )
    html = ARTICLE.format(thread=thread)
    first = extract_page(html, "https://blog.example/cafe").comments
    again = extract_page(html, "https://blog.example/cafe").comments
    assert len(first) == 1 and first[0].external_id == again[0].external_id
    assert first[0].author_name == "Paul" and first[0].text == "Un avis sans ancre."


def test_page_over_the_size_limit_is_refused() -> None:
    with pytest.raises(CollectError, match="too large"):
        extract_page(b"<html>" + b"x" * 2000 + b"</html>", "https://blog.example/", max_bytes=1000)


def test_fetched_page_over_the_size_limit_is_an_error(http_server, settings) -> None:
    settings.VEILLE_MAX_FEED_BYTES = 10_000
    http_server.add("/big", b"<html>" + b"a" * 20_000 + b"</html>", content_type="text/html")
    source = type("S", (), {"url": http_server.url("/big"), "cursor": {}, "pk": 1})()
    with pytest.raises(CollectError):
        collect_page(source)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12 mars 2024 à 14 h 05", datetime(2024, 3, 12, 14, 5, tzinfo=UTC)),
        ("le 1er février 2024, 9h30", datetime(2024, 2, 1, 9, 30, tzinfo=UTC)),
        ("mercredi 15 mai 2019 à 08h07", datetime(2019, 5, 15, 8, 7, tzinfo=UTC)),
        ("March 12, 2024 at 2:05 pm", datetime(2024, 3, 12, 14, 5, tzinfo=UTC)),
        ("12 March 2024 at 12:30 am", datetime(2024, 3, 12, 0, 30, tzinfo=UTC)),
        ("2020-08-15T16:53:21-07:00", datetime(2020, 8, 15, 23, 53, 21, tzinfo=UTC)),
        ("18/02/2020 à 16:42", datetime(2020, 2, 18, 16, 42, tzinfo=UTC)),
        ("5. Januar 2020 um 14:05", datetime(2020, 1, 5, 14, 5, tzinfo=UTC)),
        ("31/02/2026", None),
        ("pas de date ici", None),
    ],
)
def test_dates_in_french_and_english(text: str, expected: datetime | None) -> None:
    assert parse_date(text) == expected


def test_dates_without_a_year_take_the_article_year() -> None:
    reference = datetime(2019, 6, 19, tzinfo=UTC)
    assert parse_date("Jun 20th at 12:50 pm", reference=reference) == datetime(
        2019, 6, 20, 12, 50, tzinfo=UTC
    )
    assert parse_date("le 3 janvier à 10:00", reference=reference) == datetime(
        2020, 1, 3, 10, 0, tzinfo=UTC
    )


def test_pages_dir_is_complete() -> None:
    assert sorted(p.name for p in Path(PAGES_DIR).glob("*.html")) == sorted(EXPECTED)


BLOG_POST = """<html><head><title>Brûlerie Azur | Le blog</title>
<meta property="og:title" content="Pas celui-ci">
<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [
 {"@type": "WebSite", "name": "Le blog"},
 {"@type": ["BlogPosting"], "headline": "Nouvelle torréfaction &amp; nouveaux cafés",
  "author": [{"@type": "Person", "name": "Claire Martin"}],
  "datePublished": "2024-03-12T09:30:00+01:00"}
]}</script></head><body>
<nav class="menu"><a href="/">Accueil</a></nav>
<div class="post"><h1 class="entry-title">Nouvelle torréfaction</h1>
<div class="entry-content">
<p>{para}</p><p>{para}</p><p>{para}</p>
<div class="sharedaddy"><h3>Partager :</h3><a href="#">Facebook</a></div>
<div class="jp-relatedposts"><p>Articles similaires : le café du lundi</p></div>
</div></div>
{thread}
</body></html>"""
PARAGRAPH = (
    "La Brûlerie Azur a changé de torréfacteur cette année, et ses clients marseillais "
    "goûtent depuis mars des cafés plus doux, venus d'Éthiopie et du Guatemala."
)


def test_theme_container_and_structured_metadata_are_read_directly() -> None:
    html = BLOG_POST.replace("{para}", PARAGRAPH).replace("{thread}", THREAD)
    page = extract_page(html, "https://blog.example/torrefaction")
    article = page.article
    assert article.title == "Nouvelle torréfaction & nouveaux cafés"
    assert article.author_name == "Claire Martin"
    assert article.published_at == datetime(2024, 3, 12, 8, 30, tzinfo=UTC)
    assert article.text == "\n\n".join([PARAGRAPH] * 3)
    out = _output(page)
    for noise in ("Partager", "Facebook", "Articles similaires", "Accueil"):
        assert noise not in out
    # The thread is read from the same parsed page, with its dates and nesting.
    assert [c.kind for c in page.comments] == ["comment", "reply", "trackback"]
    assert page.comments[0].published_at == datetime(2024, 3, 12, 14, 5, tzinfo=UTC)


def test_a_short_theme_container_is_left_to_trafilatura() -> None:
    # A teaser in the container: too little text to be the article, so the page goes to
    # trafilatura, which reads the <article> further down.
    head = "<html><head><title>Le café de Marseille</title></head><body>"
    teaser = '<div class="entry-content"><p>Un extrait.</p></div>'
    html = head + teaser + ARTICLE.format(thread="").split("<body>", 1)[1]
    page = extract_page(html, "https://blog.example/cafe")
    assert "trente ans" in page.article.text


def test_broken_or_hostile_json_ld_is_ignored() -> None:
    head = (
        '<script type="application/ld+json">{"@type": "BlogPosting", "headline": </script>'
        '<script type="application/ld+json">' + "[" * 100_000 + "]" * 100_000 + "</script>"
        '<script type="application/ld+json">{"@type": "Article", "headline": 12,'
        ' "author": {"name": ["x"]}, "datePublished": "pas une date"}</script>'
    )
    html = ARTICLE.format(thread=THREAD).replace("</head>", head + "</head>")
    page = extract_page(html, "https://blog.example/cafe")
    assert page.article.title == "Le café de Marseille"
    assert "trente ans" in page.article.text
    assert len(page.comments) == 3


TEASER = (
    '<article class="entry"><h2><a href="/autre">Un autre article</a></h2><p>{para}</p></article>'
)


def test_the_article_with_the_headline_is_read_among_teasers(monkeypatch) -> None:
    """News pages list teasers, each an <article>, around the one the page is about."""
    import veille.collect.pages as pages

    teasers = "".join(TEASER.format(para=f"Résumé {n}, sans rapport, court.") for n in range(6))
    html = (
        "<html><head><title>Un café</title></head><body><h1>Le site</h1>"
        f"<ul>{teasers}</ul>"
        "<article><header><h1>Le café de Marseille</h1><p>Le 3 mars 2024, par Claire</p>"
        "</header><div class='main'>" + f"<p>{PARAGRAPH}</p>" * 3 + "</div>"
        "<footer><p>montage : Léa, son : Paul, crédits de la page</p></footer></article>"
        f"<ul>{teasers}</ul></body></html>"
    )
    monkeypatch.setattr(pages, "_read_article", lambda markup, url: "trafilatura was asked")
    page = extract_page(html, "https://blog.example/cafe")
    assert page.article.text == "\n\n".join([PARAGRAPH] * 3)


def test_two_articles_with_a_headline_are_left_to_trafilatura(monkeypatch) -> None:
    import veille.collect.pages as pages

    body = "<article><h1>Titre {n}</h1><p>" + PARAGRAPH * 3 + "</p></article>"
    html = f"<html><body>{body.format(n=1)}<div>{body.format(n=2)}</div></body></html>"
    monkeypatch.setattr(pages, "_read_article", lambda markup, url: "trafilatura was asked")
    assert extract_page(html, "https://blog.example/cafe").article.text == "trafilatura was asked"


def test_camel_case_class_names_mark_related_links_and_comment_forms() -> None:
    from selectolax.lexbor import LexborHTMLParser

    from veille.collect.pages import _aside

    tree = LexborHTMLParser(
        "<body><div id='mainContent'><p id='a'>x</p></div>"
        "<div class='relatedArticle'><p id='b'>x</p></div>"
        "<div class='commentsBox left'><p id='c'>x</p></div>"
        "<div class='hasSidebar'><p id='d'>x</p></div></body>"
    )
    verdicts = {key: _aside(tree.css_first(f"#{key}")) for key in "abcd"}
    assert verdicts == {"a": False, "b": True, "c": True, "d": False}


def test_table_rows_of_an_article_are_separate_lines() -> None:
    rows = "".join(f"<tr><td>{n}.03.</td> <td>Étape {n}</td></tr>" for n in (13, 20, 27))
    html = (
        "<html><body><div class='entry-content'>"
        + f"<p>{PARAGRAPH}</p>" * 3
        + f"<table>{rows}</table></div></body></html>"
    )
    text = extract_page(html, "https://blog.example/plan").article.text
    assert text.endswith("13.03. Étape 13\n\n20.03. Étape 20\n\n27.03. Étape 27")
