"""The feed connector against real feeds replayed by a local HTTP server."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pytest_django.fixtures import Settings

from tests.support import EDGE_DIR, FEEDS_DIR
from tests.support.http_server import LocalHTTPServer
from veille.collect.base import CollectError, RawMention
from veille.collect.feeds import collect_feed, html_to_text, parse_feed, read_feed
from veille.collect.http import FetchError

CONTENT_TYPES = {".json": "application/feed+json", ".xml": "application/xml"}


def serve(server: LocalHTTPServer, path: Path, content_type: str | None = None) -> str:
    """Serve a fixture file byte for byte; return its URL."""
    return server.add(
        f"/{path.name}",
        path.read_bytes(),
        content_type=content_type or CONTENT_TYPES[path.suffix],
        etag=f'"{path.stat().st_size}"',
    )


def collect(server: LocalHTTPServer, path: Path, content_type: str | None = None) -> list:
    return collect_feed(serve(server, path, content_type), {}).mentions


def assert_well_formed(mention: RawMention) -> None:
    assert mention.external_id
    assert mention.url.startswith(("http://", "https://"))
    assert mention.title or mention.text
    assert mention.published_at.utcoffset() == timedelta(0)
    assert mention.kind in {"post", "comment", "reply", "trackback"}
    for value in (mention.title, mention.text, mention.author_name):
        assert "<script" not in value
        assert value == value.strip()


# -- the real feeds ------------------------------------------------------------------------

MAIN_FEEDS = sorted(p.name for p in FEEDS_DIR.glob("*") if p.is_file())


def test_every_main_fixture_is_covered() -> None:
    assert len(MAIN_FEEDS) == 16


@pytest.mark.parametrize("name", MAIN_FEEDS)
def test_every_real_feed_yields_usable_mentions(
    http_server: LocalHTTPServer, feeds_dir: Path, name: str
) -> None:
    batch = collect_feed(serve(http_server, feeds_dir / name), {})
    assert batch.mentions
    for mention in batch.mentions:
        assert_well_formed(mention)
    ids = [m.external_id for m in batch.mentions]
    assert len(set(ids)) == len(ids)
    assert batch.cursor["etag"] == f'"{(feeds_dir / name).stat().st_size}"'
    assert not batch.not_modified


def test_wordpress_rss2(http_server: LocalHTTPServer, feeds_dir: Path) -> None:
    mentions = collect(http_server, feeds_dir / "wordpress-norm2782.rss2.xml")
    assert len(mentions) == 10
    first = mentions[0]
    assert first.title == "Wth… reading books?"
    assert first.external_id == "http://www.norm2782.com/?p=114"
    assert first.url == "http://www.norm2782.com/2009/03/wth-reading-books/"
    assert first.published_at == datetime(2009, 3, 2, 8, 9, 33, tzinfo=UTC)
    assert first.platform == "norm2782.com"
    assert first.author_name == "norm2782"
    assert first.kind == "post"
    assert first.text.startswith("Being in New Zealand does strange things to a person.")


def test_wordpress_atom_matches_its_rss2_twin(
    http_server: LocalHTTPServer, feeds_dir: Path
) -> None:
    rss = collect(http_server, feeds_dir / "wordpress-norm2782.rss2.xml")
    atom = collect(http_server, feeds_dir / "wordpress-norm2782.atom.xml")
    assert [m.external_id for m in atom] == [m.external_id for m in rss]
    assert [m.title for m in atom] == [m.title for m in rss]
    assert atom[0].author_url == "http://www.norm2782.com"


def test_blogger_comment_feed_gives_comments_with_their_post(
    http_server: LocalHTTPServer, feeds_dir: Path
) -> None:
    (comment,) = collect(http_server, feeds_dir / "blogger-comments-thread.atom.xml")
    assert comment.kind == "comment"
    assert comment.in_reply_to_url == "http://salmon-test.blogspot.com/2009/10/test-post.html"
    assert comment.url.startswith("http://salmon-test.blogspot.com/2009/10/test-post.html?")
    assert comment.text == "bloffo bliff by te..."
    assert comment.author_name == "John"
    assert comment.author_url == "http://www.blogger.com/profile/12344017489797258795"
    assert comment.published_at == datetime(2009, 12, 9, 0, 59, 2, tzinfo=UTC)


def test_json_feed(http_server: LocalHTTPServer, feeds_dir: Path) -> None:
    mentions = collect(http_server, feeds_dir / "npr-technology.feed.json")
    assert len(mentions) == 25
    first = mentions[0]
    assert first.external_id == "1050315385"
    assert first.title == "Keller Rinaudo: How can delivery drones save lives?"
    assert first.published_at == datetime(2021, 10, 29, 14, 26, tzinfo=UTC)
    assert first.author_name == "Manoush Zomorodi"
    assert first.platform == "npr.org"
    assert first.text.startswith("In rural areas, basic health care can be out of reach.")
    assert "<" not in first.text


def test_json_feed_is_sniffed_without_its_media_type(feeds_dir: Path) -> None:
    content = (feeds_dir / "npr-technology.feed.json").read_bytes()
    assert len(parse_feed(content, "https://feeds.npr.org/1019/feed.json")) == 25


def test_french_feeds_keep_their_typography(http_server: LocalHTTPServer, feeds_dir: Path) -> None:
    (article,) = collect(http_server, feeds_dir / "fr-reporterre-spip.rss.xml")
    assert article.title.startswith("Europe\xa0: vers un «\xa0affaiblissement historique\xa0»")
    lemonde = collect(http_server, feeds_dir / "fr-lemonde-une.rss.xml")
    assert len(lemonde) == 21
    assert lemonde[0].title == "JO d’hiver 2018 : pas de médaille pour Martin Fourcade"


def test_html_titles_are_unescaped(http_server: LocalHTTPServer, feeds_dir: Path) -> None:
    (story,) = collect(http_server, feeds_dir / "hackernews-frontpage.rss.xml")
    assert story.title == "GPTZero case study discovers it's only accurate on less than 50% of text"


def test_blank_line_before_the_declaration_is_not_an_error(
    http_server: LocalHTTPServer, feeds_dir: Path
) -> None:
    # TechCrunch's feed starts with a newline before <?xml ...?>: strictly ill-formed, but
    # nothing else is wrong with it, so it is read as the well-formed feed it is.
    path = feeds_dir / "wordpress-techcrunch.rss2.xml"
    assert path.read_bytes().startswith(b"\n<?xml")
    batch = collect_feed(serve(http_server, path), {})
    assert len(batch.mentions) == 20
    assert batch.warnings == []
    assert all(m.title and m.text and m.author_name for m in batch.mentions)


def test_recovered_entries_come_with_a_warning(
    http_server: LocalHTTPServer, feeds_dir: Path
) -> None:
    url = serve(
        http_server, feeds_dir / "edge" / "feedparser-encoding-bozo_double-encoded-html.xml"
    )
    batch = collect_feed(url, {})
    assert len(batch.mentions) == 1
    assert batch.warnings[0] == (
        f"{url}: not well-formed XML at line 9 (undefined entity); kept the 1 entry recovered"
    )


# -- malformed and hostile feeds --------------------------------------------------------

EDGE_OUTCOMES = {
    # file: number of mentions, or "error" when collecting must raise a CollectError
    "feeder-empty_slash_comment.xml": 1,
    "feedparser-encoding-bozo_bogus_encoding.xml": 0,
    "feedparser-encoding-bozo_double-encoded-html.xml": 1,
    "feedparser-encoding-bozo_encoding_mismatch_crash.xml": 1,
    "feedparser-encoding-bozo_http_i18n.xml": 0,
    "feedparser-encoding-bozo_invalid-bytes-with-bom.xml": "error",
    "feedparser-encoding-bozo_linenoise.xml": 1,
    "feedparser-encoding-demoronize-1.xml": 1,
    "feedparser-encoding-double-encoded-html.xml": 1,
    "feedparser-encoding-http_i18n.xml": 0,
    "feedparser-encoding-utf-16be-autodetect.xml": 0,
    "feedparser-encoding-utf-16le-bom.xml": 0,
    "feedparser-encoding-utf-8-bom.xml": 0,
    "feedparser-illformed-aaa_illformed.xml": "error",
    "feedparser-illformed-always_strip_doctype.xml": 0,
    "feedparser-illformed-chardet-koi8r.xml": 1,
    "feedparser-illformed-chardet-windows1255.xml": 1,
    "feedparser-illformed-rss_empty_document.xml": "error",
    "feedparser-illformed-rss_incomplete_cdata.xml": "error",  # broken, its only item empty
    "feedparser-illformed-rss_item_link_corrupted_ampersands.xml": "error",  # broken, no text
    "feedparser-illformed-undeclared_namespace.xml": "error",
    "feedparser-wellformed-base-http_item_wfw_commentRSS_base_docuri.xml": 0,
    "feedparser-wellformed-lang-item_dc_language.xml": 0,
    "feedrs-rss_2.0_invalid_1.xml": "error",
    "rssparser-feed-escape-malformed.xml": 1,
    "rssparser-feed-mismatched-html-tags.xml": 1,
    "rssparser-feed-test-malformed.xml": 1,
}
# The media type feedparser's own test server sends for these (see the files' comments).
EDGE_CONTENT_TYPES = {"feedparser-encoding-bozo_http_i18n.xml": "text/xml"}


def test_every_edge_fixture_has_an_expected_outcome() -> None:
    assert sorted(EDGE_OUTCOMES) == sorted(p.name for p in EDGE_DIR.glob("*.xml"))


@pytest.mark.parametrize(("name", "expected"), sorted(EDGE_OUTCOMES.items()))
def test_edge_feed_gives_mentions_or_a_clear_error(
    http_server: LocalHTTPServer, feeds_dir: Path, name: str, expected: int | str
) -> None:
    url = serve(http_server, feeds_dir / "edge" / name, EDGE_CONTENT_TYPES.get(name))
    if expected == "error":
        with pytest.raises(CollectError) as info:
            collect_feed(url, {})
        message = str(info.value)
        assert message.startswith(f"{url}: not well-formed XML at line ")
        return
    batch = collect_feed(url, {})
    assert len(batch.mentions) == expected
    for mention in batch.mentions:
        assert_well_formed(mention)


def test_edge_feeds_decode_as_feedparser_promises(feeds_dir: Path) -> None:
    def text(name: str) -> str:
        (mention,) = parse_feed((feeds_dir / "edge" / name).read_bytes(), "http://x.example/")
        return mention.text

    assert text("feedparser-encoding-demoronize-1.xml") == "don\u2019t"
    assert text("feedparser-encoding-double-encoded-html.xml") == "\u2026"


def test_an_item_without_a_date_gets_the_feeds_and_a_warning() -> None:
    feed = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
    <lastBuildDate>Sat, 01 Mar 2025 10:00:00 GMT</lastBuildDate>
    <item><title>Undated</title><link>https://blog.example/a</link></item>
    </channel></rss>"""
    parsed = read_feed(feed, "https://blog.example/feed")
    (mention,) = parsed.mentions
    assert mention.published_at == datetime(2025, 3, 1, 10, tzinfo=UTC)
    assert parsed.warnings == [
        "https://blog.example/feed: 1 entry has no date; used the feed's date"
    ]
    fetched = datetime(2025, 6, 1, tzinfo=UTC)
    bare = feed.replace(b"<lastBuildDate>Sat, 01 Mar 2025 10:00:00 GMT</lastBuildDate>", b"")
    (mention,) = read_feed(bare, "https://blog.example/feed", fetched_at=fetched).mentions
    assert mention.published_at == fetched


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><item><title>&lol9;</title></item></channel></rss>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><item><title>&secret;</title></item></channel></rss>"""


@pytest.mark.parametrize(
    "payload",
    [
        BILLION_LAUGHS,
        EXTERNAL_ENTITY,
        BILLION_LAUGHS.replace(b'"1.0"?>', b'"1.0" encoding="utf-16"?>', 1)
        .decode()
        .encode("utf-16"),
        b"\n\n" + BILLION_LAUGHS,  # not well-formed (blank lines before the declaration)
    ],
    ids=["billion-laughs", "external-entity", "utf-16", "ill-formed"],
)
def test_entity_declarations_are_refused(http_server: LocalHTTPServer, payload: bytes) -> None:
    url = http_server.add("/bomb.xml", payload, content_type="application/rss+xml")
    with pytest.raises(CollectError) as info:
        collect_feed(url, {})
    assert str(info.value) == (
        f"{url}: refused, the feed declares XML entities (possible entity-expansion attack)"
    )


def test_entity_text_inside_cdata_is_not_a_declaration() -> None:
    feed = b"""<?xml version="1.0"?><rss version="2.0"><channel><item>
    <title>About XXE</title><link>https://sec.example/xxe</link>
    <description><![CDATA[Beware of <!ENTITY x SYSTEM "file:///etc/passwd"> in XML.]]></description>
    </item></channel></rss>"""
    (mention,) = parse_feed(feed, "https://sec.example/feed")
    assert mention.title == "About XXE"


def test_hostile_html_becomes_inert_plain_text() -> None:
    feed = b"""<?xml version="1.0"?>
    <feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
    <entry><id>urn:x:1</id><updated>2025-03-01T10:00:00Z</updated>
    <link href="https://blog.example/p/1"/>
    <title type="html">&lt;b&gt;Bold&lt;/b&gt; &amp;amp; brave</title>
    <content type="html"><![CDATA[<p>Hello <em>world</em></p><script>alert(1)</script>
    <img src=x onerror="alert(2)"><style>body{display:none}</style>
    <p>Second<br>line &amp; <a href="javascript:alert(3)">a link</a></p>]]></content>
    </entry></feed>"""
    (mention,) = parse_feed(feed, "https://blog.example/feed")
    assert mention.title == "Bold & brave"
    assert mention.text == "Hello world\n\nSecond\nline & a link"


@pytest.mark.parametrize(
    ("markup", "text"),
    [
        ("", ""),
        ("plain   text\n here", "plain text here"),
        ("caf&eacute; &lt;script&gt;", "café <script>"),
        ("<ul><li>one</li><li>two</li></ul>", "one\n\ntwo"),
        ("<div>a<script>document.write('b')</script>c</div>", "ac"),
        ("x\xa0: y", "x\xa0: y"),
    ],
)
def test_html_to_text(markup: str, text: str) -> None:
    assert html_to_text(markup) == text


# -- comments and threads -----------------------------------------------------------------

WORDPRESS_COMMENTS = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
<title>Comments on: Launch day</title><link>https://www.shop.example/launch/</link>
<item><title>By: Alice</title>
 <link>https://www.shop.example/launch/#comment-12</link>
 <dc:creator>Alice</dc:creator><pubDate>Sat, 01 Mar 2025 10:00:00 +0100</pubDate>
 <guid isPermaLink="false">https://www.shop.example/?p=7#comment-12</guid>
 <description>Love it!</description></item>
<item><title>By: A blog that links here</title>
 <link>https://www.shop.example/launch/#comment-13</link>
 <category>pingback</category><pubDate>Sat, 01 Mar 2025 11:00:00 +0100</pubDate>
 <guid isPermaLink="false">https://www.shop.example/?p=7#comment-13</guid>
 <description>[...] they launched [...]</description></item>
</channel></rss>"""

THREADED_ATOM = b"""<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:thr="http://purl.org/syndication/thread/1.0">
<title>Comments</title><id>urn:feed</id><updated>2025-03-01T12:00:00Z</updated>
<entry><id>urn:c:1</id><updated>2025-03-01T10:00:00Z</updated><title>First</title>
 <author><name>Bob</name><email>bob@mail.example</email></author>
 <link rel="alternate" href="https://blog.example/post#c1"/>
 <thr:in-reply-to ref="urn:post:1" href="https://blog.example/post"/>
 <content>Nice post</content></entry>
<entry><id>urn:c:2</id><updated>2025-03-01T11:00:00Z</updated><title>Second</title>
 <author><email>carol@mail.example</email></author>
 <link rel="alternate" href="https://blog.example/post#c2"/>
 <thr:in-reply-to ref="urn:c:1" href="https://blog.example/post#c1"/>
 <content>I disagree</content></entry>
</feed>"""


def test_wordpress_comment_feed() -> None:
    comment, pingback = parse_feed(WORDPRESS_COMMENTS, "https://www.shop.example/launch/feed/")
    assert comment.kind == "comment"
    assert comment.in_reply_to_url == "https://www.shop.example/launch/"
    assert comment.platform == "shop.example"
    assert comment.author_name == comment.author_handle == "Alice"
    assert comment.published_at == datetime(2025, 3, 1, 9, tzinfo=UTC)
    assert pingback.kind == "trackback"


def test_atom_threads_tell_comments_from_replies() -> None:
    first, second = parse_feed(THREADED_ATOM, "https://blog.example/comments/feed")
    assert (first.kind, first.in_reply_to_url) == ("comment", "https://blog.example/post")
    assert (second.kind, second.in_reply_to_url) == ("reply", "https://blog.example/post#c1")
    assert first.author_name == "Bob"
    assert second.author_name == ""
    assert second.author_handle == "carol@mail.example"


def test_entries_without_id_or_link_get_a_stable_id() -> None:
    feed = b"""<rss version="2.0"><channel><item><title>Hello</title>
    <pubDate>Sat, 01 Mar 2025 10:00:00 GMT</pubDate></item></channel></rss>"""
    (once,) = parse_feed(feed, "https://x.example/feed")
    (again,) = parse_feed(feed, "https://x.example/feed")
    assert once.external_id == again.external_id
    assert once.external_id.startswith("sha256:")
    assert once.url == "https://x.example/feed"


# -- fetching: cursor, limits, errors ----------------------------------------------------------


def test_unchanged_feed_is_not_modified(http_server: LocalHTTPServer, feeds_dir: Path) -> None:
    url = serve(http_server, feeds_dir / "wordpress-norm2782.rss2.xml")
    first = collect_feed(url, {})
    assert len(first.mentions) == 10
    again = collect_feed(url, first.cursor)
    assert again.not_modified
    assert again.mentions == []
    assert again.cursor["etag"] == first.cursor["etag"]
    assert http_server.requests[-1].headers["if-none-match"] == first.cursor["etag"]


def test_feed_over_the_size_limit(
    http_server: LocalHTTPServer, feeds_dir: Path, settings: Settings
) -> None:
    settings.VEILLE_MAX_FEED_BYTES = 10_000
    url = serve(http_server, feeds_dir / "blogger-cornucopia.atom.xml")
    with pytest.raises(FetchError, match="response too large"):
        collect_feed(url, {})


def test_feed_behind_a_redirect_to_loopback_is_refused(
    http_server: LocalHTTPServer, settings: Settings
) -> None:
    settings.VEILLE_ALLOW_PRIVATE_URLS = False
    with pytest.raises(CollectError, match=r"loopback address 127\.0\.0\.1"):
        collect_feed(http_server.redirect("/feed", "/elsewhere"), {})


def test_not_a_feed(http_server: LocalHTTPServer) -> None:
    url = http_server.add("/page", b"<html><body><p>Hi</p></body></html>", content_type="text/html")
    with pytest.raises(CollectError) as info:
        collect_feed(url, {})
    assert str(info.value).startswith(f"{url}: ")


def test_broken_json_feed_names_url_and_line(http_server: LocalHTTPServer) -> None:
    url = http_server.add(
        "/feed.json",
        b'{"version": "https://jsonfeed.org/version/1.1",\n "items": [,]}',
        content_type="application/feed+json",
    )
    with pytest.raises(CollectError) as info:
        collect_feed(url, {})
    assert str(info.value).startswith(f"{url}: not valid JSON at line 2")


def test_json_feed_1_1_authors_and_fallbacks() -> None:
    feed = b"""{"version": "https://jsonfeed.org/version/1.1", "title": "T",
      "home_page_url": "https://www.site.example/", "authors": [{"name": "Site"}],
      "items": [
        {"id": "1", "url": "/a", "content_html": "<p>Hi <b>there</b></p>",
         "date_published": "2025-03-01T10:00:00Z", "authors": [{"name": "Zoe", "url": "https://z.example"}]},
        {"id": 2, "content_text": "plain", "date_modified": "2025-03-01T12:00:00+01:00"},
        {"id": "3"},
        "junk"
      ]}"""
    parsed = read_feed(feed, "https://www.site.example/feed.json")
    first, second = parsed.mentions
    assert (first.url, first.text, first.author_name) == (
        "https://www.site.example/a",
        "Hi there",
        "Zoe",
    )
    assert first.author_url == "https://z.example"
    assert first.published_at == datetime(2025, 3, 1, 10, tzinfo=UTC)
    assert (second.external_id, second.author_name) == ("2", "Site")
    assert second.published_at == datetime(2025, 3, 1, 11, tzinfo=UTC)
    assert len(parsed.warnings) == 2
