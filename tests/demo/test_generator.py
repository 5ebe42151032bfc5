"""The demo data: deterministic, realistic in shape, and well-formed for the feed connector."""

from __future__ import annotations

import email.utils
import statistics
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import pytest
from defusedxml import ElementTree as SafeET

from veille.demo.generator import (
    DEMO_FEEDS,
    DEMO_WATCHES,
    DEMO_WORKSPACE,
    HOSTILE_IMG,
    HOSTILE_JS_URL,
    HOSTILE_SCRIPT,
    DemoSummary,
    generate,
)
from veille.query import Document, QueryIndex, parse

THR = "{http://purl.org/syndication/thread/1.0}in-reply-to"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, DemoSummary]:
    out = tmp_path_factory.mktemp("demo")
    return out, generate(out)


@pytest.fixture(scope="module")
def parsed(demo: tuple[Path, DemoSummary]) -> dict[str, feedparser.FeedParserDict]:
    out, _ = demo
    return {
        feed["filename"]: feedparser.parse((out / feed["filename"]).read_bytes())
        for feed in DEMO_FEEDS
    }


def _when(entry: feedparser.FeedParserDict) -> datetime:
    return datetime(*entry.published_parsed[:6], tzinfo=UTC)


def _all_entries(
    parsed: dict[str, feedparser.FeedParserDict],
) -> list[tuple[str, feedparser.FeedParserDict]]:
    return [(name, entry) for name, feed in parsed.items() for entry in feed.entries]


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path) -> None:
    first = generate(tmp_path / "a")
    second = generate(tmp_path / "b")
    other = generate(tmp_path / "c", seed=7)
    assert [p.name for p in first.files] == [p.name for p in second.files]
    for a, b in zip(first.files, second.files, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
    assert (tmp_path / "a" / "social.xml").read_bytes() != (
        tmp_path / "c" / "social.xml"
    ).read_bytes()
    assert other.total_items >= 400


def test_public_description_matches_files(demo: tuple[Path, DemoSummary]) -> None:
    out, summary = demo
    assert DEMO_WORKSPACE == "Brûlerie Azur"
    assert {w["kind"] for w in DEMO_WATCHES} == {"brand", "competitor", "topic"}
    assert sorted(p.name for p in summary.files) == sorted(f["filename"] for f in DEMO_FEEDS)
    assert {f["media_category"] for f in DEMO_FEEDS} == {"owned", "earned", "paid"}
    for feed in DEMO_FEEDS:
        assert feed["name"] and feed["description"] and feed["format"] in {"rss", "atom"}
        assert (out / feed["filename"]).is_file()
    assert summary.total_items == sum(summary.items_per_file.values()) >= 400
    assert summary.period_start == datetime(2025, 10, 1, tzinfo=UTC)
    assert summary.period_end.date().isoformat() == "2026-10-31"


def test_feedparser_reads_every_file_cleanly(
    demo: tuple[Path, DemoSummary], parsed: dict[str, feedparser.FeedParserDict]
) -> None:
    _, summary = demo
    formats = {f["filename"]: f["format"] for f in DEMO_FEEDS}
    for name, feed in parsed.items():
        assert not feed.bozo, (name, feed.get("bozo_exception"))
        assert len(feed.entries) == summary.items_per_file[name] > 0, name
        assert feed.version == ("atom10" if formats[name] == "atom" else "rss20"), name
        ids = [entry.id for entry in feed.entries]
        assert len(ids) == len(set(ids)), f"{name}: duplicate ids"
        for entry in feed.entries:
            assert entry.link.startswith("https://") and ".example/" in entry.link
            assert entry.get("author"), (name, entry.id)
            assert entry.published_parsed, (name, entry.id)
    assert len(parsed["social.xml"].entries) >= 300
    assert len(parsed["blog-comments.xml"].entries) >= 100


def test_thirteen_months_with_weekly_rhythm(parsed: dict[str, feedparser.FeedParserDict]) -> None:
    entries = _all_entries(parsed)
    assert len(entries) >= 400
    months = Counter((_when(e).year, _when(e).month) for _, e in entries)
    assert len(months) == 13
    assert min(months) == (2025, 10) and max(months) == (2026, 10)
    assert all(count >= 20 for count in months.values()), months
    weekdays = Counter(_when(e).weekday() for name, e in entries if name == "social.xml")
    assert weekdays[5] > weekdays[0], "more social posts on Saturdays than on Mondays"


def test_december_contest_spike_of_one_shot_authors(
    parsed: dict[str, feedparser.FeedParserDict],
) -> None:
    entries = _all_entries(parsed)
    months = Counter((_when(e).year, _when(e).month) for _, e in entries)
    median = statistics.median(months.values())
    assert months[(2025, 12)] > 2 * median
    authors = Counter(e.author for _, e in entries)
    december = [e for _, e in entries if (_when(e).year, _when(e).month) == (2025, 12)]
    contest = [e for e in december if "particip" in e.summary.lower() or "#concours" in e.summary]
    one_shot = {e.author for e in contest if authors[e.author] == 1}
    assert len(contest) >= 100
    assert len(one_shot) >= 100
    social_tags = Counter(t.term for e in parsed["social.xml"].entries for t in e.get("tags", []))
    assert social_tags["concours"] >= 80


def test_loyal_core_comes_back_month_after_month(
    parsed: dict[str, feedparser.FeedParserDict],
) -> None:
    months_by_author: dict[str, set[tuple[int, int]]] = {}
    for name, entry in _all_entries(parsed):
        if name in {"social.xml", "blog-comments.xml"} and "azur" not in entry.author.lower():
            when = _when(entry)
            months_by_author.setdefault(entry.author, set()).add((when.year, when.month))
    regulars = [a for a, months in months_by_author.items() if len(months) >= 8]
    assert 12 <= len(regulars) <= 40
    one_timers = [a for a, months in months_by_author.items() if len(months) == 1]
    assert len(one_timers) > 5 * len(regulars)


def test_may_crisis_then_recovery(parsed: dict[str, feedparser.FeedParserDict]) -> None:
    def is_crisis(entry: feedparser.FeedParserDict) -> bool:
        text = entry.summary.lower()
        return any(word in text for word in ("valve", "lot 2604", "retard", "éventé"))

    by_month = Counter(
        (_when(e).year, _when(e).month) for _, e in _all_entries(parsed) if is_crisis(e)
    )
    assert by_month[(2026, 5)] >= 40
    assert by_month[(2026, 5)] > 5 * max(v for k, v in by_month.items() if k != (2026, 5))
    may = [e for e in parsed["social.xml"].entries if (_when(e).year, _when(e).month) == (2026, 5)]
    brand_answers = [e for e in may if e.author == "@brulerieazur" and "sav@" in e.summary]
    assert len(brand_answers) >= 5
    recovered = [
        e
        for e in parsed["social.xml"].entries
        if "remplacement reçu" in e.summary.lower() or "arôme retrouvé" in e.summary.lower()
    ]
    assert recovered and all(_when(e) > datetime(2026, 5, 10, tzinfo=UTC) for e in recovered)
    assert any("excuses" in e.title for e in parsed["news.xml"].entries)


def test_comment_replies_point_to_existing_comments(demo: tuple[Path, DemoSummary]) -> None:
    out, _ = demo
    root = SafeET.parse(out / "blog-comments.xml").getroot()
    items = root.findall("channel/item")
    links = {item.findtext("link") for item in items}
    guids = {item.findtext("guid") for item in items}
    replies = [item for item in items if item.find(THR) is not None]
    assert len(replies) >= 40
    published = {item.findtext("link"): item.findtext("pubDate") for item in items}
    for item in replies:
        target = item.find(THR)
        assert target is not None
        assert target.get("href") in links
        assert target.get("ref") in guids
        assert (
            item.findtext("link", "").split("#comment-")[0] == target.get("href", "").split("#")[0]
        )
    # Threads go deeper than one level, and the brand answers in them.
    by_link = {item.findtext("link"): item for item in items}
    depths = []
    for item in replies:
        depth, node = 0, item
        while (parent := node.find(THR)) is not None:
            depth += 1
            node = by_link[parent.get("href")]
        depths.append(depth)
    assert max(depths) >= 3
    assert any(
        "Brûlerie Azur" in (item.findtext("{http://purl.org/dc/elements/1.1/}creator") or "")
        for item in replies
    )
    assert all(published[link] for link in links)


def test_the_brand_answers_social_questions_in_their_threads(
    demo: tuple[Path, DemoSummary],
) -> None:
    out, _ = demo
    items = SafeET.parse(out / "social.xml").getroot().findall("channel/item")
    by_guid = {item.findtext("guid"): item for item in items}
    creator = "{http://purl.org/dc/elements/1.1/}creator"
    answers = [item for item in items if item.find(THR) is not None]
    assert len(answers) >= 30
    for answer in answers:
        assert answer.findtext(creator) == "@brulerieazur"
        asked = by_guid[answer.find(THR).get("ref")]
        assert answer.find(THR).get("href") == asked.findtext("link")
        assert asked.findtext(creator) != "@brulerieazur"
        # Named in the answer, as on Mastodon; and written after the message it answers.
        assert asked.findtext(creator) in (answer.findtext("description") or "")
        assert email.utils.parsedate_to_datetime(
            answer.findtext("pubDate")
        ) > email.utils.parsedate_to_datetime(asked.findtext("pubDate"))


def test_atom_comments_thread_to_posts_and_comments(demo: tuple[Path, DemoSummary]) -> None:
    out, _ = demo
    posts = SafeET.parse(out / "carnet-de-cafe.xml").getroot().findall("channel/item")
    post_urls = {p.findtext("link") for p in posts}
    post_guids = {p.findtext("guid") for p in posts}
    entries = SafeET.parse(out / "carnet-de-cafe-comments.atom").getroot().findall(f"{ATOM}entry")
    ids = {e.findtext(f"{ATOM}id") for e in entries}
    urls = {e.find(f"{ATOM}link").get("href") for e in entries}
    nested = 0
    for entry in entries:
        target = entry.find(THR)
        assert target is not None
        if target.get("href") in post_urls:
            assert target.get("ref") in post_guids
        else:
            nested += 1
            assert target.get("href") in urls and target.get("ref") in ids
    assert nested >= 5


def test_watches_find_brand_competitor_topic_and_english(
    parsed: dict[str, feedparser.FeedParserDict],
) -> None:
    index = QueryIndex({i: parse(w["query"]) for i, w in enumerate(DEMO_WATCHES)})
    kinds = {i: w["kind"] for i, w in enumerate(DEMO_WATCHES)}
    found: Counter[frozenset[str]] = Counter()
    for _, entry in _all_entries(parsed):
        document = Document(text=entry.summary, title=entry.get("title", ""))
        found[frozenset(kinds[i] for i in index.match(document))] += 1
    assert found[frozenset({"brand"})] >= 300
    assert found[frozenset({"competitor"})] >= 10
    assert found[frozenset({"topic"})] >= 10
    english = [
        e
        for e in parsed["social.xml"].entries
        if "Brûlerie Azur" in e.summary and " the " in e.summary
    ]
    assert english
    assert all(e.get("language", "en").startswith("en") for e in [parsed["coffee-trail.xml"].feed])


def test_paid_partnerships_are_disclosed(parsed: dict[str, feedparser.FeedParserDict]) -> None:
    entries = parsed["partenariats.xml"].entries
    assert len(entries) >= 8
    markers = (
        "#sponsorisé",
        "partenariat rémunéré",
        "collaboration commerciale",
        "paid partnership",
    )
    for entry in entries:
        assert any(m in entry.summary.lower() for m in markers), entry.summary


def test_hostile_strings_are_escaped_text_not_markup(
    demo: tuple[Path, DemoSummary], parsed: dict[str, feedparser.FeedParserDict]
) -> None:
    out, _ = demo
    raw = b"".join((out / f["filename"]).read_bytes() for f in DEMO_FEEDS).decode()
    # Inside the XML the HTML is escaped once more: the hostile tag is text within the HTML.
    assert "&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;" in raw
    assert "&amp;lt;img src=x onerror=alert(1)&amp;gt;" in raw
    assert "<script" not in raw and "<img" not in raw
    assert HOSTILE_JS_URL in raw
    for name in ("social.xml", "blog-comments.xml"):
        root = SafeET.parse(out / name).getroot()
        assert root.find(".//script") is None and root.find(".//img") is None
    # Parsed, they are literal text in the summaries, never elements.
    summaries = " ".join(e.summary for _, e in _all_entries(parsed))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in summaries
    assert "&lt;img src=x onerror=alert(1)&gt;" in summaries
    assert HOSTILE_SCRIPT not in summaries and HOSTILE_IMG not in summaries
    authors = {e.author for e in parsed["blog-comments.xml"].entries}
    assert any(HOSTILE_IMG in author for author in authors)


def test_dates_are_utc_rfc822_and_rfc3339(demo: tuple[Path, DemoSummary]) -> None:
    out, _ = demo
    social = SafeET.parse(out / "social.xml").getroot()
    for date_text in (i.findtext("pubDate") for i in social.findall("channel/item")):
        assert date_text and date_text.endswith(" GMT")
    atom = SafeET.parse(out / "carnet-de-cafe-comments.atom").getroot()
    for entry in atom.findall(f"{ATOM}entry"):
        published = entry.findtext(f"{ATOM}published") or ""
        assert published.endswith("Z")
        when = datetime.fromisoformat(published)
        assert datetime(2025, 10, 1, tzinfo=UTC) <= when <= datetime(2026, 11, 1, tzinfo=UTC)
