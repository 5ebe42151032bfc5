"""The Hacker News connector against a local Algolia API replaying recorded answers."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pytest_django.fixtures import Settings

from tests.support.http_server import LocalHTTPServer, Route
from tests.support.platforms import payload, payload_bytes, quick_politeness
from veille.collect.base import CollectError
from veille.collect.hackernews import collect_hackernews
from veille.core.models import Source

JSON = "application/json"


@pytest.fixture(autouse=True)
def _quick(settings: Settings) -> None:
    quick_politeness(settings)


def source(server: LocalHTTPServer, cursor: dict[str, Any] | None = None, **params: Any) -> Source:
    return Source(
        kind="hackernews", params={"base": server.base_url, **params}, cursor=cursor or {}
    )


def test_comments_link_to_their_parent_item(http_server: LocalHTTPServer) -> None:
    http_server.add(
        "/search_by_date",
        payload_bytes("hackernews/search_by_date_comments.json"),
        content_type=JSON,
    )
    batch = collect_hackernews(source(http_server, query="apple", tags="comment"))
    [comment] = batch.mentions
    assert comment.url == "https://news.ycombinator.com/item?id=7919418"
    assert comment.kind == "reply"  # its parent 7919290 is not the story 7918547
    assert comment.in_reply_to_url == "https://news.ycombinator.com/item?id=7919290"
    assert comment.text.startswith("Yeah the article seems stupid, while technically they aren't")
    assert "<i>" not in comment.text
    assert comment.author_url == "https://news.ycombinator.com/user?id=fleitz"
    assert batch.cursor == {"newest_created_i": 1403235154, "ids_at_newest": ["7919418"]}
    assert "tags=comment" in http_server.paths()[0]

    again = collect_hackernews(source(http_server, batch.cursor, query="apple", tags="comment"))
    assert again.mentions == []
    assert "numericFilters=created_at_i%3E%3D1403235154" in http_server.paths()[-1]


def test_stories(http_server: LocalHTTPServer) -> None:
    http_server.add("/search_by_date", payload_bytes("hackernews/search.json"))
    [story] = collect_hackernews(source(http_server, query="apple")).mentions
    assert story.kind == "post" and story.title == "Steve Jobs Resigns as CEO of Apple"
    assert story.in_reply_to_url == ""


def test_paging_with_a_cursor_follows_pages_until_known(http_server: LocalHTTPServer) -> None:
    newer = payload("hackernews/search_by_date_comments.json")  # 2014
    newer["nbPages"] = 3
    older = payload("hackernews/search.json")  # 2011, the previous run's newest
    http_server.sequence(
        "/search_by_date",
        Route(json.dumps(newer).encode(), content_type=JSON),
        Route(json.dumps(older).encode(), content_type=JSON),
    )
    cursor = {"newest_created_i": 1314225455, "ids_at_newest": ["2922756"]}
    batch = collect_hackernews(source(http_server, cursor, query="apple", max_pages=5))
    assert [m.external_id for m in batch.mentions] == ["7919418"]
    assert batch.warnings == []
    assert len(http_server.requests) == 2
    assert "page=1" in http_server.paths()[1]


def test_story_tree(http_server: LocalHTTPServer) -> None:
    http_server.add("/items/17", payload_bytes("hackernews/item.json"))
    batch = collect_hackernews(source(http_server, story="https://news.ycombinator.com/item?id=17"))
    assert [m.external_id for m in batch.mentions] == ["17", "1079", "454426"]
    assert [m.kind for m in batch.mentions] == ["reply", "reply", "reply"]
    assert batch.mentions[1].in_reply_to_url == batch.mentions[0].url
    assert batch.mentions[2].text == "This is why we can't have nice things."


def test_bad_tags_are_refused(http_server: LocalHTTPServer) -> None:
    with pytest.raises(CollectError, match="tags='poll'"):
        collect_hackernews(source(http_server, query="x", tags="poll"))
