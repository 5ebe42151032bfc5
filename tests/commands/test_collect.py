"""`veille fetch --jsonl` against a local server, for each kind of source."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from pytest_django.fixtures import Settings
from typer.testing import CliRunner

from tests.support import FEEDS_DIR
from tests.support.http_server import LocalHTTPServer
from tests.support.platforms import payload_bytes, quick_politeness
from veille.cli import app
from veille.core.models import Mention

KEYS = {"kind", "author", "published", "title", "text", "url", "parent", "platform", "external_id"}


@pytest.fixture
def server(settings: Settings) -> Iterator[LocalHTTPServer]:
    settings.VEILLE_ALLOW_PRIVATE_URLS = True
    quick_politeness(settings)
    with LocalHTTPServer() as running:
        yield running


def fetch(*args: str) -> list[dict]:
    result = CliRunner().invoke(app, ["fetch", *args, "--jsonl"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert rows and all(set(row) == KEYS for row in rows)
    return rows


def test_fetch_a_feed(server: LocalHTTPServer) -> None:
    url = server.add("/feed.xml", (FEEDS_DIR / "wordpress-norm2782.rss2.xml").read_bytes())
    rows = fetch(url, "--kind", "feed")
    assert len(rows) == 10 and rows[0]["kind"] == "post"


def test_fetch_mastodon(server: LocalHTTPServer) -> None:
    server.add("/api/v1/timelines/tag/hoot", payload_bytes("mastodon/hashtag_timeline.json"))
    [row] = fetch(server.base_url, "--kind", "mastodon", "--param", "hashtag=hoot")
    assert row["text"] == "#hoot (hashtag toot)"
    assert row["published"] == "2026-08-01T13:55:55.867000+00:00"


def test_fetch_bluesky(server: LocalHTTPServer) -> None:
    server.add("/xrpc/app.bsky.feed.searchPosts", payload_bytes("bluesky/search_posts.json"))
    rows = fetch(
        "https://bsky.app",
        "--kind",
        "bluesky",
        "--param",
        "query=redistricting",
        "--param",
        f"appview={server.url('/xrpc')}",
    )
    assert len(rows) == 25
    assert any(row["kind"] == "reply" and row["parent"] for row in rows)


def test_fetch_reddit(server: LocalHTTPServer) -> None:
    server.add("/comments/2gmzqe.json", payload_bytes("reddit/comments_small.json"))
    rows = fetch(
        "https://www.reddit.com/r/redditdev/comments/2gmzqe/x/",
        "--kind",
        "reddit",
        "--param",
        f"base={server.base_url}",
    )
    assert [row["kind"] for row in rows] == ["post", "comment", "reply"]
    assert rows[2]["parent"] == rows[1]["url"]


@pytest.mark.django_db
def test_fetch_hackernews_stores_nothing(server: LocalHTTPServer) -> None:
    server.add("/search_by_date", payload_bytes("hackernews/search_by_date_comments.json"))
    [row] = fetch(
        "https://news.ycombinator.com",
        "--kind",
        "hackernews",
        "-p",
        "query=apple",
        "-p",
        f"base={server.base_url}",
    )
    assert row["author"] == "fleitz"
    assert row["parent"] == "https://news.ycombinator.com/item?id=7919290"
    assert Mention.objects.count() == 0


def test_fetch_reports_errors_clearly(server: LocalHTTPServer) -> None:
    url = server.add("/down.xml", b"", status=404)
    result = CliRunner().invoke(app, ["fetch", url, "--kind", "feed", "--jsonl"])
    assert result.exit_code == 1
    assert "HTTP 404" in result.output
    bad = CliRunner().invoke(app, ["fetch", "https://x.example", "--kind", "mastodon"])
    assert bad.exit_code == 1 and "exactly one of" in bad.output
    wrong = CliRunner().invoke(app, ["fetch", "https://x.example", "--kind", "gopher"])
    assert wrong.exit_code == 1 and "--kind 'gopher'" in wrong.output


def test_fetch_page_uses_the_page_connector(server: LocalHTTPServer) -> None:
    url = server.add(
        "/post.html",
        b"<html><body><article><p>Bonjour</p></article></body></html>",
        content_type="text/html",
    )
    result = CliRunner().invoke(app, ["fetch", url, "--kind", "page", "--jsonl"])
    # Whether the page connector exists yet or not, the answer is clear and nothing breaks.
    assert result.exit_code in (0, 1), result.output
    if result.exit_code == 1:
        assert "error:" in result.output
