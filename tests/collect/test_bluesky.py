"""The Bluesky connector against a local AppView replaying recorded answers."""

from __future__ import annotations

from typing import Any

import pytest
from pytest_django.fixtures import Settings

from tests.support.http_server import LocalHTTPServer
from tests.support.platforms import payload, payload_bytes, quick_politeness
from veille.collect.base import CollectError
from veille.collect.bluesky import at_uri, collect_bluesky, post_url
from veille.core.models import Source

JSON = "application/json"
SEARCH = "/xrpc/app.bsky.feed.searchPosts"


@pytest.fixture(autouse=True)
def _quick(settings: Settings) -> None:
    quick_politeness(settings)


def source(server: LocalHTTPServer, cursor: dict[str, Any] | None = None, **params: Any) -> Source:
    return Source(
        kind="bluesky", params={"appview": server.url("/xrpc"), **params}, cursor=cursor or {}
    )


def test_search_posts(http_server: LocalHTTPServer) -> None:
    http_server.add(SEARCH, payload_bytes("bluesky/search_posts.json"), content_type=JSON)
    batch = collect_bluesky(source(http_server, query="redistricting"))
    assert len(batch.mentions) == 25
    first = batch.mentions[0]
    assert first.url == (
        "https://bsky.app/profile/did:plc:kkergqgbhb56ptpwj2wenkje/post/3lpk2u6qo222m"
    )
    assert first.author_handle == "socpaperbot.bsky.social"
    assert first.author_url == "https://bsky.app/profile/socpaperbot.bsky.social"
    assert first.platform == "bsky.app"
    assert first.text.startswith("Ends Versus Means")
    kinds = [m.kind for m in batch.mentions]
    assert kinds.count("reply") == 12 and kinds.count("share") == 2
    reply = next(m for m in batch.mentions if m.kind == "reply")
    assert reply.in_reply_to_url.startswith("https://bsky.app/profile/did:plc:")
    assert batch.cursor["newest_indexed_at"] == "2025-05-19T17:10:09.813Z"
    assert "sort=latest" in http_server.paths()[0]


def test_a_second_search_asks_since_the_cursor_and_keeps_nothing_twice(
    http_server: LocalHTTPServer,
) -> None:
    http_server.add(SEARCH, payload_bytes("bluesky/search_posts.json"), content_type=JSON)
    first = collect_bluesky(source(http_server, query="redistricting"))
    again = collect_bluesky(source(http_server, first.cursor, query="redistricting"))
    assert again.mentions == []
    assert "since=2025-05-19T17%3A10%3A09.813Z" in http_server.paths()[-1]
    assert again.cursor == first.cursor


def test_post_thread(http_server: LocalHTTPServer) -> None:
    thread = payload("bluesky/thread.json")
    http_server.add(
        "/xrpc/app.bsky.feed.getPostThread",
        payload_bytes("bluesky/thread.json"),
        content_type=JSON,
    )
    web_url = "https://bsky.app/profile/soubhikbarari.bsky.social/post/3k7qmjev5lr2s"
    [post] = collect_bluesky(source(http_server, post=web_url)).mentions
    assert post.external_id == thread["thread"]["post"]["uri"]
    assert post.kind == "post"
    assert "uri=at%3A%2F%2Fsoubhikbarari.bsky.social" in http_server.paths()[0]


def test_thread_replies_point_at_their_parent(http_server: LocalHTTPServer) -> None:
    feed = payload("bluesky/author_feed.json")["feed"]
    parent, child = feed[0]["post"], next(i["post"] for i in feed if "reply" in i)
    # A thread built from two real posts: the reply nested under the first.
    document = {"thread": {"post": parent, "replies": [{"post": child}, {"notFound": True}]}}
    import json

    http_server.add("/xrpc/app.bsky.feed.getPostThread", json.dumps(document).encode())
    batch = collect_bluesky(source(http_server, post=parent["uri"]))
    assert [m.kind for m in batch.mentions] == [
        "reply" if "reply" in parent["record"] else "post",
        "reply",
    ]
    assert batch.mentions[1].in_reply_to_url == post_url(child["record"]["reply"]["parent"]["uri"])
    assert "1 posts of the thread are deleted or blocked" in batch.warnings[0]


def test_uris_and_urls() -> None:
    uri = "at://did:plc:abc/app.bsky.feed.post/3k7"
    assert post_url(uri) == "https://bsky.app/profile/did:plc:abc/post/3k7"
    assert at_uri("https://bsky.app/profile/did:plc:abc/post/3k7") == uri
    with pytest.raises(CollectError, match="not a Bluesky post"):
        at_uri("https://example.org/x")


def test_needs_exactly_one_mode() -> None:
    with pytest.raises(CollectError, match="exactly one of query or post"):
        collect_bluesky(Source(kind="bluesky", params={}))
