"""The Mastodon connector against a local server replaying Mastodon.py's recorded answers."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from pytest_django.fixtures import Settings

from tests.support.http_server import LocalHTTPServer, Route
from tests.support.platforms import as_json, payload, payload_bytes, quick_politeness
from veille.collect.base import CollectError
from veille.collect.http import FetchError, with_query
from veille.collect.mastodon import collect_mastodon
from veille.core.models import Source

JSON = "application/json"


@pytest.fixture(autouse=True)
def _quick(settings: Settings) -> None:
    quick_politeness(settings)


def source(server: LocalHTTPServer, cursor: dict[str, Any] | None = None, **params: Any) -> Source:
    return Source(
        kind="mastodon", params={"instance": server.base_url, **params}, cursor=cursor or {}
    )


def statuses_newest_first() -> list[dict[str, Any]]:
    names = ["status.json", "status_2.json", "status_with_card.json", "status_with_poll.json"]
    statuses = [payload(f"mastodon/{name}") for name in names]
    return sorted(statuses, key=lambda s: int(s["id"]), reverse=True)


def test_hashtag_timeline(http_server: LocalHTTPServer) -> None:
    http_server.add(
        "/api/v1/timelines/tag/hoot",
        payload_bytes("mastodon/hashtag_timeline.json"),
        content_type=JSON,
    )
    batch = collect_mastodon(source(http_server, hashtag="#hoot"))
    [mention] = batch.mentions
    assert mention.kind == "post"
    assert mention.text == "#hoot (hashtag toot)"
    assert mention.url == "http://localhost:3000/@mastodonpy_test_2/117020593741189701"
    assert mention.external_id.endswith("/statuses/117020593741189701")
    assert mention.author_handle == "mastodonpy_test_2@127.0.0.1"
    assert mention.author_url == "http://localhost:3000/@mastodonpy_test_2"
    assert mention.platform == "127.0.0.1"
    assert mention.published_at == datetime(2026, 8, 1, 13, 55, 55, 867000, tzinfo=UTC)
    assert batch.cursor == {"newest_id": "117020593741189701"}
    assert http_server.paths()[0] == "/api/v1/timelines/tag/hoot?limit=40"


def test_search_takes_the_statuses(http_server: LocalHTTPServer) -> None:
    http_server.add("/api/v2/search", payload_bytes("mastodon/search_v2.json"), content_type=JSON)
    batch = collect_mastodon(source(http_server, query="halcy", token="s3cret"))
    assert len(batch.mentions) == 2
    assert all(m.text and m.author_handle for m in batch.mentions)
    request = http_server.requests[0]
    assert "type=statuses" in request.path and "q=halcy" in request.path
    assert request.headers["authorization"] == "Bearer s3cret"


def test_account_statuses_look_the_account_up_once(http_server: LocalHTTPServer) -> None:
    account = payload("mastodon/account.json")
    http_server.add("/api/v1/accounts/lookup", as_json(account), content_type=JSON)
    http_server.add(
        f"/api/v1/accounts/{account['id']}/statuses",
        as_json(statuses_newest_first()[:2]),
        content_type=JSON,
    )
    first = collect_mastodon(source(http_server, account="@halcy@icosahedron.website"))
    assert len(first.mentions) == 2
    assert first.cursor["account_id"] == account["id"]
    second = collect_mastodon(
        source(http_server, cursor=first.cursor, account="halcy@icosahedron.website")
    )
    assert second.mentions == []  # both already seen
    assert [p.split("?")[0] for p in http_server.paths()].count("/api/v1/accounts/lookup") == 1
    assert f"since_id={first.cursor['newest_id']}" in http_server.paths()[-1]


def test_context_gives_the_thread_with_parent_links(http_server: LocalHTTPServer) -> None:
    context = payload("mastodon/context.json")
    root = context["descendants"][0]["in_reply_to_id"]
    http_server.add(f"/api/v1/statuses/{root}", payload_bytes("mastodon/status.json"))
    http_server.add(f"/api/v1/statuses/{root}/context", as_json(context), content_type=JSON)
    batch = collect_mastodon(source(http_server, status=root))
    by_url = {m.url: m for m in batch.mentions}
    reply = by_url["https://mastodon.social/@halcy/110446984249325790"]
    assert reply.kind == "reply"
    # The parent is a local account's status: its URL is built from its id.
    assert reply.in_reply_to_url == f"https://mastodon.social/@halcy/{root}"
    assert len(batch.mentions) == 3


def test_boosts_are_shares_of_the_boosted_status(http_server: LocalHTTPServer) -> None:
    original = payload("mastodon/status.json")
    booster = payload("mastodon/hashtag_timeline.json")[0]
    boost = {**booster, "id": "117020593741189999", "reblog": original, "content": ""}
    http_server.add("/api/v1/timelines/tag/cafe", as_json([boost]), content_type=JSON)
    [mention] = collect_mastodon(source(http_server, hashtag="cafe")).mentions
    assert mention.kind == "share"
    assert mention.in_reply_to_url == original["url"]
    assert mention.author_handle == "mastodonpy_test_2@127.0.0.1"
    assert mention.text  # the boosted status's text


def test_a_reply_quoting_a_post_stays_a_reply(http_server: LocalHTTPServer) -> None:
    quoting = payload("mastodon/status_with_quote.json")
    http_server.add("/api/v1/timelines/tag/q", as_json([quoting]), content_type=JSON)
    [mention] = collect_mastodon(source(http_server, hashtag="q")).mentions
    assert mention.kind == "reply"


def test_gap_refill_pages_back_to_the_cursor(http_server: LocalHTTPServer) -> None:
    statuses = statuses_newest_first()
    known = statuses[3]["id"]
    http_server.sequence(
        "/api/v1/timelines/tag/cafe",
        Route(as_json(statuses[:2]), content_type=JSON),
        Route(as_json(statuses[2:]), content_type=JSON),
    )
    batch = collect_mastodon(source(http_server, {"newest_id": known}, hashtag="cafe", limit=2))
    assert [m.external_id for m in batch.mentions] == [s["uri"] for s in statuses[:3]]
    assert batch.cursor["newest_id"] == statuses[0]["id"]
    assert batch.warnings == []
    assert f"max_id={statuses[1]['id']}" in http_server.paths()[1]


def test_gap_refill_stops_at_max_pages_with_a_warning(http_server: LocalHTTPServer) -> None:
    statuses = statuses_newest_first()
    http_server.add("/api/v1/timelines/tag/cafe", as_json(statuses[:2]), content_type=JSON)
    batch = collect_mastodon(
        source(http_server, {"newest_id": "1"}, hashtag="cafe", limit=2, max_pages=1)
    )
    assert len(batch.mentions) == 2
    assert "stopped after 1 pages" in batch.warnings[0]


def test_parameters_are_checked() -> None:
    with pytest.raises(CollectError, match="exactly one of query, hashtag, account or status"):
        collect_mastodon(Source(kind="mastodon", params={"instance": "https://x.example"}))
    with pytest.raises(CollectError, match="needs an instance"):
        collect_mastodon(Source(kind="mastodon", params={"hashtag": "cafe"}))


def test_unexpected_shapes_name_the_url_and_json_path(http_server: LocalHTTPServer) -> None:
    url = http_server.add("/api/v2/search", b'{"statuses": "nope"}', content_type=JSON)
    with pytest.raises(CollectError) as info:
        collect_mastodon(source(http_server, query="x"))
    assert str(info.value).startswith(url)
    assert "expected list at $.statuses, found str" in str(info.value)


def test_invalid_json_names_the_url(http_server: LocalHTTPServer) -> None:
    http_server.add("/api/v1/timelines/tag/x", b"[{", content_type=JSON)
    with pytest.raises(FetchError, match=r"/api/v1/timelines/tag/x\?limit=40: invalid JSON"):
        collect_mastodon(source(http_server, hashtag="x"))


def serve_timeline(server: LocalHTTPServer, path: str, statuses: list[dict[str, Any]]) -> None:
    """Answer `path` like Mastodon for every max_id/since_id a collection may send.

    The local server replays fixed answers, so each query string gets its own: the
    statuses with since_id < id < max_id, newest first, `limit` (2) at most.
    """
    ids = [s["id"] for s in statuses]
    for since in [None, "100", *ids]:
        for max_id in [None, *ids]:
            answer = sorted(
                (
                    s
                    for s in statuses
                    if (since is None or int(s["id"]) > int(since))
                    and (max_id is None or int(s["id"]) < int(max_id))
                ),
                key=lambda s: int(s["id"]),
                reverse=True,
            )[:2]
            query = {"limit": 2, "max_id": max_id, "since_id": since}
            server.add(with_query(path, query), as_json(answer), content_type=JSON)


def numbered_statuses(first: int, last: int) -> list[dict[str, Any]]:
    # Copies of a recorded status with their own ids: the fixtures hold no timeline this long.
    template = payload("mastodon/status.json")
    return [
        {
            **template,
            "id": str(n),
            "uri": f"https://mastodon.example/users/a/statuses/{n}",
            "url": f"https://mastodon.example/@a/{n}",
        }
        for n in range(first, last + 1)
    ]


def test_a_gap_larger_than_max_pages_is_filled_by_the_next_run(
    http_server: LocalHTTPServer,
) -> None:
    path = "/api/v1/timelines/tag/cafe"
    params = {"hashtag": "cafe", "limit": 2, "max_pages": 4}
    # Downtime: 10 statuses (101 to 110) since the cursor (100); 4 pages of 2 reach 103.
    serve_timeline(http_server, path, numbered_statuses(100, 110))
    first = collect_mastodon(source(http_server, {"newest_id": "100"}, **params))
    assert [m.url.rsplit("/", 1)[1] for m in first.mentions] == [
        str(n) for n in range(110, 102, -1)
    ]
    assert first.cursor["newest_id"] == "110"
    assert first.cursor["gaps"] == [{"token": "103", "floor": "100"}]
    assert "the next collection carries on" in first.warnings[0]

    # Two more statuses arrive; the next run takes them, then fills the rest of the gap.
    serve_timeline(http_server, path, numbered_statuses(100, 112))
    second = collect_mastodon(source(http_server, first.cursor, **params))
    assert [m.url.rsplit("/", 1)[1] for m in second.mentions] == ["112", "111", "102", "101"]
    assert second.cursor["newest_id"] == "112"
    assert "gaps" not in second.cursor
    assert second.warnings == []

    collected = [m.external_id for m in first.mentions + second.mentions]
    assert len(collected) == len(set(collected)) == 12  # nothing lost, nothing twice
    third = collect_mastodon(source(http_server, second.cursor, **params))
    assert third.mentions == [] and third.cursor == second.cursor


def test_gaps_wait_while_new_statuses_use_up_the_pages(http_server: LocalHTTPServer) -> None:
    path = "/api/v1/timelines/tag/cafe"
    params = {"hashtag": "cafe", "limit": 2, "max_pages": 2}
    serve_timeline(http_server, path, numbered_statuses(100, 106))
    first = collect_mastodon(source(http_server, {"newest_id": "100"}, **params))
    assert first.cursor["gaps"] == [{"token": "103", "floor": "100"}]
    serve_timeline(http_server, path, numbered_statuses(100, 112))
    second = collect_mastodon(source(http_server, first.cursor, **params))
    # The new statuses took both pages and left a gap of their own, newest first.
    assert second.cursor["gaps"] == [
        {"token": "109", "floor": "106"},
        {"token": "103", "floor": "100"},
    ]
    runs = [first, second]
    while "gaps" in runs[-1].cursor and len(runs) < 8:
        runs.append(collect_mastodon(source(http_server, runs[-1].cursor, **params)))
    # Each later run spends a page finding nothing new, and one on the newest gap left.
    assert len(runs) == 6 and "gaps" not in runs[-1].cursor
    collected = [m.url.rsplit("/", 1)[1] for run in runs for m in run.mentions]
    assert sorted(collected, key=int) == [str(n) for n in range(101, 113)]
