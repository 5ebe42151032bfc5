"""The Reddit connector against a local server replaying PRAW's recorded answers."""

from __future__ import annotations

from typing import Any

import pytest
from pytest_django.fixtures import Settings

from tests.support.http_server import LocalHTTPServer
from tests.support.platforms import payload, payload_bytes, quick_politeness
from veille.collect.base import CollectError
from veille.collect.reddit import collect_reddit, submission_id
from veille.core.models import Source

JSON = "application/json"


@pytest.fixture(autouse=True)
def _quick(settings: Settings) -> None:
    quick_politeness(settings)


def source(server: LocalHTTPServer, cursor: dict[str, Any] | None = None, **params: Any) -> Source:
    return Source(kind="reddit", params={"base": server.base_url, **params}, cursor=cursor or {})


def test_search(http_server: LocalHTTPServer) -> None:
    http_server.add("/r/all/search.json", payload_bytes("reddit/search.json"), content_type=JSON)
    batch = collect_reddit(source(http_server, query="praw oauth", subreddit="all"))
    assert len(batch.mentions) == 6
    first = batch.mentions[0]
    assert first.url == (
        "https://www.reddit.com/r/redditdev/comments/3gpbiu/"
        "prawoauth2util_problem_using_get_banned_raise/"
    )
    assert first.external_id == "t3_3gpbiu"
    assert first.title.startswith("[PRAW][OAuth2Util]")
    assert first.text.startswith("solved")
    assert "<" not in first.text.split("\n")[0]
    assert first.author_url == "https://www.reddit.com/user/dClauzel"
    assert first.platform == "reddit.com"
    path = http_server.paths()[0]
    assert "sort=new" in path and "restrict_sr=1" in path and "raw_json=1" in path
    newest = max(m.published_at for m in batch.mentions).timestamp()
    assert batch.cursor["newest_created"] == newest

    again = collect_reddit(source(http_server, batch.cursor, query="praw oauth", subreddit="all"))
    assert again.mentions == []


def test_small_thread_links_replies_to_their_parents(http_server: LocalHTTPServer) -> None:
    http_server.add(
        "/comments/2gmzqe.json", payload_bytes("reddit/comments_small.json"), content_type=JSON
    )
    batch = collect_reddit(source(http_server, submission="https://redd.it/comments/2gmzqe"))
    submission, comment, reply = batch.mentions
    assert submission.kind == "post"
    assert comment.kind == "comment" and comment.in_reply_to_url == submission.url
    assert reply.kind == "reply" and reply.in_reply_to_url == comment.url
    assert comment.url == "https://www.reddit.com/r/redditdev/comments/2gmzqe/_/cklfmye/"
    assert reply.text.startswith("Yes it does.")
    assert batch.warnings == []


def test_big_thread_flattens_every_comment_and_reports_more_stubs(
    http_server: LocalHTTPServer,
) -> None:
    http_server.add("/comments/3hahrw.json", payload_bytes("reddit/comments.json"))
    batch = collect_reddit(source(http_server, submission="3hahrw"))
    urls = {m.url for m in batch.mentions}
    assert len(batch.mentions) > 400
    assert all(m.in_reply_to_url in urls for m in batch.mentions[1:])
    assert "comments not loaded" in batch.warnings[0]
    deleted = [m for m in batch.mentions if not m.author_handle]
    assert all(m.author_url == "" for m in deleted)


def test_submission_ids() -> None:
    assert submission_id("t3_3HAHRW") == "3hahrw"
    assert submission_id("https://www.reddit.com/r/funny/comments/3hahrw/ba_dum_tsss/") == "3hahrw"
    with pytest.raises(CollectError, match="not a Reddit submission"):
        submission_id("https://example.org/")


def test_a_listing_without_children_names_the_path(http_server: LocalHTTPServer) -> None:
    broken = payload("reddit/search.json")
    del broken["data"]["children"]
    import json

    http_server.add("/search.json", json.dumps(broken).encode())
    with pytest.raises(CollectError, match=r"expected list at \$\.data\.children, found null"):
        collect_reddit(source(http_server, query="x"))
