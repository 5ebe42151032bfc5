"""The lxml fast path reads feeds exactly as feedparser does, or hands them to feedparser."""

import time
from dataclasses import fields
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.support import FEEDS_DIR
from veille.collect.base import CollectError, RawMention
from veille.collect.feeds import (
    ParsedFeed,
    _parse_xml_feed,
    _struct_to_datetime,
    strip_before_declaration,
)
from veille.collect.feeds_fast import _feedparser_date, _may_hold_c1, _parse_date, read_fast
from veille.demo.generator import generate

FETCHED = datetime(2026, 1, 1, tzinfo=UTC)
FIXTURES = sorted(p for p in FEEDS_DIR.rglob("*.xml"))
# Well-formed feeds the fast path must take (the others may go either way).
MUST_BE_FAST = {
    # (wordpress-techcrunch.rss2.xml too, once its leading blank line is gone: see below)
    "blogger-comments-thread.atom.xml",
    "blogger-cornucopia.atom.xml",
    "fr-google-actualites-be.rss.xml",
    "fr-lemonde-une.rss.xml",
    "fr-reporterre-spip.rss.xml",
    "hackernews-frontpage.rss.xml",
    "hackernews-hnapp.atom.xml",
    "reddit-mediarss.atom.xml",
    "reddit-minecraft.atom.xml",
    "slashdot.rdf.xml",
    "wordpress-anime2you-de.rss2.xml",
    "wordpress-cyklistbloggen-sv.rss2.xml",
    "wordpress-norm2782.atom.xml",
    "wordpress-norm2782.rss2.xml",
}


def both(content: bytes, url: str, content_type: str = "") -> tuple[object, object]:
    def run(fast: bool) -> ParsedFeed | str:
        try:
            return _parse_xml_feed(content, url, content_type, FETCHED, fast=fast)
        except CollectError as exc:
            return f"error: {exc}"

    return run(True), run(False)


def assert_same(fast: object, slow: object) -> None:
    if isinstance(slow, str) or isinstance(fast, str):
        assert fast == slow
        return
    assert isinstance(fast, ParsedFeed) and isinstance(slow, ParsedFeed)
    assert fast.title == slow.title
    assert fast.warnings == slow.warnings
    assert len(fast.mentions) == len(slow.mentions)
    for quick, reference in zip(fast.mentions, slow.mentions, strict=True):
        for field in fields(RawMention):
            assert getattr(quick, field.name) == getattr(reference, field.name), (
                f"{reference.external_id}: {field.name}"
            )


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_fixture_feeds_read_the_same_on_both_paths(path: Path) -> None:
    content = path.read_bytes()
    url = f"https://feeds.example/{path.name}"
    if path.name in MUST_BE_FAST:
        assert read_fast(content, url, "") is not None
    assert_same(*both(content, url))
    assert_same(*both(content, url, "application/rss+xml; charset=utf-8"))


def test_demo_feeds_read_the_same_on_both_paths(tmp_path: Path) -> None:
    generate(tmp_path)
    paths = sorted(p for p in tmp_path.iterdir() if p.is_file())
    assert paths
    for path in paths:
        content = path.read_bytes()
        url = f"https://demo.example/{path.name}"
        assert read_fast(content, url, "") is not None, path.name
        assert_same(*both(content, url))


RSS_QUIRKS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"
     xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title></title><title>Second wins</title><title>ignored</title>
<link>/home?a=1&amp;b=2</link>
<item><guid>/p/1</guid><title>A &amp;amp; B</title>
 <description>Tom &lt;b&gt;bold&lt;/b&gt;</description><author>tom@mail.example (Tom)</author>
 <category>Pingback</category><pubDate>Sat, 01 Mar 2025 10:00:00 +0100</pubDate></item>
<item><link>https://site.example/x</link><guid isPermaLink="false">x-1</guid>
 <content:encoded><![CDATA[<p>long body</p>]]></content:encoded>
 <description>short</description><dc:creator>Ann</dc:creator><dc:creator>Bob</dc:creator>
 <dc:date>2025-03-02T10:00:00Z</dc:date>
 <title>caf\xc3\x83\xc2\xa9 \xc2\x93quoted\xc2\x94</title></item>
<item><title>Plain &lt;3 text</title><source url="https://o.example/">Other</source>
 <title>After source</title><description>x</description><description>second</description></item>
</channel></rss>"""

ATOM_QUIRKS = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://atom.example/blog/">
<title type="html">&lt;i&gt;Feed&lt;/i&gt;</title><id>urn:feed</id>
<entry xml:base="posts/"><id>1</id><title>First</title><updated>2025-03-01T10:00:00Z</updated>
 <link rel="self" href="self.xml"/><link href="one.html"/>
 <author><name>Ann</name><uri>/ann</uri></author><author><email>b@mail.example</email></author>
 <content type="html">&lt;p&gt;Body&lt;/p&gt;</content><summary>Sum</summary></entry>
<entry><id>tag:x,2025:2</id><title type="text">&lt;b&gt;raw&lt;/b&gt;</title>
 <published>2025-03-01T11:00:00+02:00</published><category term="trackback"/>
 <link rel="alternate" type="application/atom+xml" href="feed.xml"/></entry>
</feed>"""


@pytest.mark.parametrize("document", [RSS_QUIRKS, ATOM_QUIRKS], ids=["rss", "atom"])
def test_feedparser_quirks_are_mirrored(document: bytes) -> None:
    url = "https://site.example/feed"
    assert read_fast(document, url, "") is not None
    fast, slow = both(document, url)
    assert isinstance(fast, ParsedFeed) and fast.mentions
    assert_same(fast, slow)


@pytest.mark.parametrize(
    ("document", "content_type"),
    [
        (RSS_QUIRKS, "text/xml"),  # text/* defaults to us-ascii (RFC 3023)
        (RSS_QUIRKS, "application/xml; charset=iso-8859-1"),  # header overrides the declaration
        (RSS_QUIRKS.replace(b"<channel>", b"<!-- c --><channel>"), "text/html"),
        (ATOM_QUIRKS.replace(b'<content type="html">', b'<content type="xhtml">'), ""),
        (RSS_QUIRKS.replace(b"<description>short", b"<description><b>inline</b>short"), ""),
        (RSS_QUIRKS.replace(b"</channel>", b""), ""),  # not well-formed: the loose parser
        (
            RSS_QUIRKS.replace(
                b"<channel>",
                b"<channel><item><media:title xmlns:media="
                b'"http://search.yahoo.com/mrss/">m</media:title></item>',
            ),
            "",
        ),
    ],
    ids=["text-xml", "charset", "html-type", "xhtml", "inline-markup", "ill-formed", "media"],
)
def test_what_the_fast_path_declines_feedparser_reads(document: bytes, content_type: str) -> None:
    url = "https://site.example/feed"
    assert read_fast(document, url, content_type) is None
    assert_same(*both(document, url, content_type))


@pytest.mark.parametrize(
    "prefix", [b"\n", b"\r\n  \t", b"\xef\xbb\xbf\n"], ids=["newline", "spaces", "bom"]
)
def test_whitespace_before_the_declaration_is_dropped_for_both_paths(prefix: bytes) -> None:
    document = prefix + RSS_QUIRKS
    url = "https://site.example/feed"
    assert strip_before_declaration(document).removeprefix(b"\xef\xbb\xbf") == RSS_QUIRKS
    fast, slow = both(document, url)
    assert isinstance(fast, ParsedFeed) and fast.mentions
    assert not any("well-formed" in warning for warning in fast.warnings)
    assert_same(fast, slow)
    assert_same(fast, both(RSS_QUIRKS, url)[0])


def test_whitespace_elsewhere_is_kept() -> None:
    # Only what precedes an XML declaration goes; a document without one is left alone.
    assert strip_before_declaration(b"\n<rss/>") == b"\n<rss/>"
    assert strip_before_declaration(b"<?xml version='1.0'?>\n<rss/>") == (
        b"<?xml version='1.0'?>\n<rss/>"
    )


def test_techcrunch_takes_the_fast_path_once_its_blank_line_is_gone() -> None:
    content = (FEEDS_DIR / "wordpress-techcrunch.rss2.xml").read_bytes()
    url = "https://feeds.example/techcrunch"
    assert read_fast(content, url, "") is None  # as served: a blank line, then <?xml
    quick = read_fast(strip_before_declaration(content), url, "")
    assert quick is not None and len(quick[1]) == 20


MEDIA_TITLES = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>T</title>
<item><title>Item title</title><link>https://site.example/1</link>
 <media:content url="https://img.example/1.jpg"><media:title>Picture</media:title></media:content>
 <description>Body</description></item>
<item><media:content url="https://img.example/2.jpg"><media:title>First</media:title>
 </media:content><title>Late title</title><link>https://site.example/2</link></item>
</channel></rss>"""


def test_media_titles_after_the_entry_title_stay_on_the_fast_path() -> None:
    url = "https://site.example/feed"
    first_only = MEDIA_TITLES.split(b"<item><media:content")[0] + b"</channel></rss>"
    assert read_fast(first_only, url, "") is not None
    fast, slow = both(first_only, url)
    assert isinstance(fast, ParsedFeed) and fast.mentions[0].title == "Item title"
    assert_same(fast, slow)
    # A <media:title> before the item's own title is feedparser's to read.
    assert read_fast(MEDIA_TITLES, url, "") is None
    assert_same(*both(MEDIA_TITLES, url))


@pytest.mark.parametrize(
    "title",
    [b"&#147;quoted&#148;", b"\xc2\x93quoted\xc2\x94", b"caf\xc3\xa9 plain", b"Entry &amp; Item"],
    ids=["char-refs", "utf8-c1", "no-c1", "capitalised-words"],
)
def test_windows_1252_repair_and_odd_case_checks_agree(title: bytes) -> None:
    # The fast path skips its C1 search in documents that cannot hold one, and its exact
    # <Item>/<ENTRY> search when no capitalised "item"/"entry" appears at all.
    document = RSS_QUIRKS.replace(b"<title>After source</title>", b"<title>" + title + b"</title>")
    url = "https://site.example/feed"
    assert read_fast(document, url, "") is not None
    assert_same(*both(document, url))


def test_an_odd_case_item_goes_to_feedparser() -> None:
    document = RSS_QUIRKS.replace(b"<item><title>Plain", b"<Item><title>Plain").replace(
        b"second</description></item>", b"second</description></Item>"
    )
    assert read_fast(document, "https://site.example/feed", "") is None
    assert_same(*both(document, "https://site.example/feed"))


@pytest.mark.parametrize(
    "value",
    [
        "2026-11-23T15:49:06Z",
        "2026-11-23t15:49:06z",
        "2026-11-23T15:49:06.123+01:00",
        "2026-11-23T15:49:06-05:30",
        "2026-11-23T15:49:06+0530",  # no colon: feedparser's own reading
        "2026-11-23T24:00:00Z",
        "2026-02-30T10:00:00Z",
        "2026-11-23",
        "Mon, 23 Nov 2026 15:49:06 +0000",
        "Tue, 10 Oct 2023 08:00:00 GMT",
        "Sat, 04 Nov 2026 23:30:00 -0500",
        "4 Nov 2026 23:30:00 +0130",
        "Thu, 31 Feb 2026 10:00:00 +0000",
        "Sun, 01 Jan 2026 00:00:00 UT",
        "Wed, 01 Nov 2026 10:00:00 UTC",
        "Wed, 01 Nov 2026 10:00:00 EST",
        "Wed, 01 Foo 2026 10:00:00 +0000",
        "Wed, 01 Nov 26 10:00:00 +0000",
        "not a date",
    ],
)
def test_quick_dates_agree_with_feedparser(value: str) -> None:
    assert _parse_date(value) == _feedparser_date(value)


@pytest.mark.parametrize(
    ("title", "may_hold_c1"),
    [
        (b"&#x93;quoted&#x94;", True),
        (b"&#0147;quoted&#148;", True),
        (b"&#x0093;quoted&#x0094;", True),
        (b"caf&#233; &#8220;quoted&#8221;", False),  # references, none to a C1 control
        (b"plain", False),
    ],
    ids=["hex", "decimal-zero", "hex-zero", "other-refs", "none"],
)
def test_c1_references_are_found_and_repaired_as_feedparser_does(
    title: bytes, may_hold_c1: bool
) -> None:
    # The document holds no raw C1 byte: only its references decide.
    document = ATOM_QUIRKS.replace(b"<title>First</title>", b"<title>" + title + b"</title>")
    assert _may_hold_c1(document, "utf-8") is may_hold_c1
    url = "https://atom.example/feed"
    assert read_fast(document, url, "") is not None
    assert_same(*both(document, url))


def test_an_odd_case_atom_entry_goes_to_feedparser() -> None:
    document = ATOM_QUIRKS.replace(b"<entry><id>tag", b"<Entry><id>tag").replace(
        b'href="feed.xml"/></entry>', b'href="feed.xml"/></Entry>'
    )
    assert read_fast(document, "https://atom.example/feed", "") is None
    assert_same(*both(document, "https://atom.example/feed"))


def test_an_odd_case_name_in_text_keeps_the_fast_path() -> None:
    # Only elements count: "<Item>" inside CDATA is text, to feedparser too.
    document = RSS_QUIRKS.replace(b"<p>long body</p>", b"<p>long <Item> <ENTRY/> body</p>")
    assert read_fast(document, "https://site.example/feed", "") is not None
    assert_same(*both(document, "https://site.example/feed"))


def test_time_tuples_become_the_instant_timegm_gives() -> None:
    assert _struct_to_datetime(time.struct_time((2025, 3, 1, 9, 0, 0, 5, 60, 0))) == datetime(
        2025, 3, 1, 9, tzinfo=UTC
    )
    # Out-of-range fields carry over, as through calendar.timegm().
    leap = time.struct_time((2024, 12, 31, 23, 59, 60, 1, 366, 0))
    assert _struct_to_datetime(leap) == datetime(2025, 1, 1, tzinfo=UTC)
    assert _struct_to_datetime(None) is None
