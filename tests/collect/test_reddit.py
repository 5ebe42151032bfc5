"""The Reddit connector against a local server replaying PRAW's recorded answers."""

from __future__ import annotations

from typing import Any

import pytest
from pytest_django.fixtures import Settings

from tests.support.http_server import LocalHTTPServer
from tests.support.platforms import as_json, payload, payload_bytes, quick_politeness
from veille.collect.base import CollectError
from veille.collect.http import with_query
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
    batch = collect_reddit(source(http_server, submission="3hahrw", max_more=0))
    urls = {m.url for m in batch.mentions}
    assert len(batch.mentions) > 400
    assert all(m.in_reply_to_url in urls for m in batch.mentions[1:])
    assert "comments not loaded" in batch.warnings[0]
    deleted = [m for m in batch.mentions if not m.author_handle]
    assert all(m.author_url == "" for m in deleted)
    assert not any("morechildren" in path for path in http_server.paths())


def test_more_stubs_are_expanded_with_the_recorded_morechildren_answer(
    http_server: LocalHTTPServer,
) -> None:
    http_server.add("/comments/3hahrw.json", payload_bytes("reddit/comments.json"))
    # PRAW's recording of /api/morechildren for the thread's top-level stub (9 ids).
    http_server.add("/api/morechildren.json", payload_bytes("reddit/morechildren.json"))
    before = collect_reddit(source(http_server, submission="3hahrw", max_more=0))
    after = collect_reddit(source(http_server, submission="3hahrw", max_more=1))

    (request,) = [p for p in http_server.paths() if p.startswith("/api/morechildren")]
    # The shallowest stub goes first: the one under the submission itself.
    assert "link_id=t3_3hahrw" in request and "children=cu5tt8h%2Ccu5v9yd" in request
    known = {m.external_id for m in before.mentions}
    new = [m for m in after.mentions if m.external_id not in known]
    recorded = payload("reddit/morechildren.json")["json"]["data"]["things"]
    assert {m.external_id for m in new} == {t["data"]["name"] for t in recorded} - known
    assert new and all(m.kind == "comment" for m in new)
    assert all(m.in_reply_to_url == after.mentions[0].url for m in new)
    ids = [m.external_id for m in after.mentions]
    assert len(ids) == len(set(ids))
    # Fewer comments are left behind stubs, and the warning says how to load them.
    missing_before = int(before.warnings[0].split(": ")[1].split()[0])
    missing_after = int(after.warnings[0].split(": ")[1].split()[0])
    assert missing_after == missing_before - 9
    assert "max_more=1" in after.warnings[0]


def _comment(ident: str, parent: str, body: str, replies: Any = "") -> dict[str, Any]:
    return {
        "kind": "t1",
        "data": {
            "id": ident,
            "name": f"t1_{ident}",
            "parent_id": parent,
            "link_id": "t3_abc",
            "subreddit": "france",
            "author": f"user_{ident}",
            "body": body,
            "created_utc": 1700000000,
            "permalink": f"/r/france/comments/abc/titre/{ident}/",
            "replies": replies,
        },
    }


def _listing(*children: dict[str, Any]) -> dict[str, Any]:
    return {"kind": "Listing", "data": {"children": list(children)}}


def _more(parent: str, children: list[str], count: int) -> dict[str, Any]:
    ident = children[0] if children else "_"
    data = {"id": ident, "name": f"t1_{ident}", "parent_id": parent, "children": children}
    return {"kind": "more", "data": {**data, "count": count}}


SUBMISSION = _listing(
    {
        "kind": "t3",
        "data": {
            "id": "abc",
            "name": "t3_abc",
            "title": "Un fil",
            "selftext": "",
            "author": "op",
            "created_utc": 1700000000,
            "permalink": "/r/france/comments/abc/titre/",
        },
    }
)


def test_nested_stubs_keep_replies_under_their_parents(http_server: LocalHTTPServer) -> None:
    # The fixtures hold no thread with nested stubs and their answers, so this test writes
    # its own small payloads in Reddit's shapes: a comment "a" whose reply "b" hides two
    # replies behind a stub, and a "continue this thread" stub under "c".
    thread = [
        SUBMISSION,
        _listing(
            _comment(
                "a",
                "t3_abc",
                "premier",
                _listing(_comment("b", "t1_a", "deuxième", _listing(_more("t1_b", ["d", "e"], 3)))),
            ),
            _comment("c", "t3_abc", "troisième", _listing(_more("t1_c", [], 0))),
        ),
    ]
    http_server.add("/comments/abc.json", as_json(thread))
    more_answer = {
        "json": {
            "errors": [],
            "data": {
                "things": [
                    _comment("d", "t1_b", "réponse à b"),
                    _comment("f", "t1_d", "réponse à d"),
                    _comment("e", "t1_b", "autre réponse à b"),
                ]
            },
        }
    }
    http_server.add("/api/morechildren.json", as_json(more_answer))
    continued = [
        SUBMISSION,
        _listing(_comment("c", "t3_abc", "troisième", _listing(_comment("g", "t1_c", "suite")))),
    ]
    http_server.add("/comments/abc/_/c.json", as_json(continued))

    batch = collect_reddit(source(http_server, submission="abc"))
    by_id = {m.external_id: m for m in batch.mentions}
    assert sorted(by_id) == ["t1_a", "t1_b", "t1_c", "t1_d", "t1_e", "t1_f", "t1_g", "t3_abc"]
    assert len(batch.mentions) == len(by_id)
    url = {key: m.url for key, m in by_id.items()}
    assert (by_id["t1_d"].kind, by_id["t1_d"].in_reply_to_url) == ("reply", url["t1_b"])
    assert (by_id["t1_e"].kind, by_id["t1_e"].in_reply_to_url) == ("reply", url["t1_b"])
    assert (by_id["t1_f"].kind, by_id["t1_f"].in_reply_to_url) == ("reply", url["t1_d"])
    assert (by_id["t1_g"].kind, by_id["t1_g"].in_reply_to_url) == ("reply", url["t1_c"])
    assert batch.warnings == []
    more = [p for p in http_server.paths() if "morechildren" in p]
    assert len(more) == 1 and "children=d%2Ce" in more[0]


def test_stub_expansion_is_bounded_and_survives_a_failure(http_server: LocalHTTPServer) -> None:
    # Test-written payloads (see above): two stubs, one request allowed.
    thread = [
        SUBMISSION,
        _listing(
            _comment("a", "t3_abc", "premier", _listing(_more("t1_a", ["x"], 1))),
            _more("t3_abc", ["y"], 1),
        ),
    ]
    http_server.add("/comments/abc.json", as_json(thread))
    answer = {"json": {"data": {"things": [_comment("y", "t3_abc", "caché")]}}}
    http_server.add("/api/morechildren.json", as_json(answer))
    batch = collect_reddit(source(http_server, submission="abc", max_more=1))
    assert "t1_y" in {m.external_id for m in batch.mentions}
    assert batch.warnings and batch.warnings[0].split(": ")[1].startswith("1 comments")

    http_server.add("/api/morechildren.json", b"gone", status=404)
    failed = collect_reddit(source(http_server, submission="abc"))
    assert [m.external_id for m in failed.mentions] == ["t3_abc", "t1_a"]
    assert failed.warnings[0].startswith("could not load more comments:")
    assert "HTTP 404" in failed.warnings[0]


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


def serve_search(server: LocalHTTPServer, submissions: list[dict[str, Any]]) -> None:
    """Answer /search.json like Reddit for every `after` a collection may send (2 a page).

    The local server replays fixed answers, so each query string gets its own.
    """
    ordered = sorted(submissions, key=lambda s: s["data"]["created_utc"], reverse=True)
    for after in [None, *(s["data"]["name"] for s in ordered)]:
        start = 0 if after is None else [s["data"]["name"] for s in ordered].index(after) + 1
        page = ordered[start : start + 2]
        more = start + 2 < len(ordered)
        listing = {"kind": "Listing", "data": {"children": page, "after": None}}
        if more and page:
            listing["data"]["after"] = page[-1]["data"]["name"]
        query = {"q": "café", "sort": "new", "limit": 2, "raw_json": 1, "after": after}
        server.add(with_query("/search.json", query), as_json(listing), content_type=JSON)


def numbered_submissions(first: int, last: int) -> list[dict[str, Any]]:
    # Copies of a recorded submission with their own ids and times: no recorded search
    # is long enough to page through a gap.
    template = payload("reddit/search.json")["data"]["children"][0]
    return [
        {
            "kind": "t3",
            "data": {
                **template["data"],
                "id": f"s{n}",
                "name": f"t3_s{n}",
                "created_utc": 1_700_000_000 + n,
                "permalink": f"/r/test/comments/s{n}/titre/",
            },
        }
        for n in range(first, last + 1)
    ]


def test_search_gap_larger_than_max_pages_is_filled_by_the_next_run(
    http_server: LocalHTTPServer,
) -> None:
    params = {"query": "café", "limit": 2, "max_pages": 3}
    cursor = {"newest_created": 1_700_000_000 + 100, "names_at_newest": ["t3_s100"]}
    # Downtime: s101 to s108 are new; 3 pages of 2 reach s103.
    serve_search(http_server, numbered_submissions(95, 108))
    first = collect_reddit(source(http_server, cursor, **params))
    assert [m.external_id for m in first.mentions] == [f"t3_s{n}" for n in range(108, 102, -1)]
    assert first.cursor["newest_created"] == 1_700_000_000 + 108
    assert first.cursor["gaps"] == [
        {"token": "t3_s103", "floor": {"created": 1_700_000_100, "names": ["t3_s100"]}}
    ]
    assert "the next collection carries on" in first.warnings[0]

    serve_search(http_server, numbered_submissions(95, 110))  # two more meanwhile
    second = collect_reddit(source(http_server, first.cursor, **params))
    assert [m.external_id for m in second.mentions] == ["t3_s110", "t3_s109", "t3_s102", "t3_s101"]
    names = [m.external_id for m in first.mentions + second.mentions]
    assert len(names) == len(set(names)) == 10  # s101 to s110: nothing lost, nothing twice
    # The last page of the gap was full, so the run could not tell it had reached the end:
    # the next run looks once more, finds only known submissions, and closes the gap.
    assert second.cursor["gaps"][0]["token"] == "t3_s101"
    third = collect_reddit(source(http_server, second.cursor, **params))
    assert third.mentions == [] and "gaps" not in third.cursor and third.warnings == []
