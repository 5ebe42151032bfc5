"""Fault injection on a platform source, through the whole pipeline and the database.

Each fault gives a clear error on the source, stores nothing, and the next good run
stores everything exactly once.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from pytest_django.fixtures import Settings

from tests import factories
from tests.support.http_server import LocalHTTPServer, Route
from tests.support.platforms import payload_bytes, quick_politeness
from veille.core.models import Mention, Source
from veille.pipeline.run import run_source

pytestmark = pytest.mark.django_db

SEARCH = "/search_by_date"
GOOD = payload_bytes("hackernews/search_by_date_comments.json")


@pytest.fixture
def server(settings: Settings) -> Iterator[LocalHTTPServer]:
    settings.VEILLE_ALLOW_PRIVATE_URLS = True
    quick_politeness(settings)
    settings.VEILLE_HTTP_TIMEOUT = 0.3
    with LocalHTTPServer() as running:
        yield running


def hn_source(server: LocalHTTPServer) -> Source:
    return Source.objects.create(
        workspace=factories.workspace(),
        kind="hackernews",
        url="https://hn.algolia.com/?query=apple",
        params={"base": server.base_url, "query": "apple"},
    )


def assert_recovers(server: LocalHTTPServer, source: Source) -> None:
    """After the fault: the good answer stores the mention once, a re-run adds nothing."""
    server.sequences.clear()
    server.add(SEARCH, GOOD, content_type="application/json")
    source.refresh_from_db()
    first = run_source(source)
    assert first.ok and first.created == 1
    source.refresh_from_db()
    assert source.consecutive_failures == 0
    source.cursor = {}  # even starting over, nothing is stored twice
    assert run_source(source).created == 0
    assert Mention.objects.count() == 1


def assert_failed(source: Source, *fragments: str) -> None:
    source.refresh_from_db()
    assert source.consecutive_failures == 1
    for fragment in fragments:
        assert fragment in source.last_error
    assert Mention.objects.count() == 0
    assert source.cursor == {}


def test_429_with_retry_after_is_honoured(server: LocalHTTPServer) -> None:
    server.sequence(
        SEARCH,
        Route(b"", status=429, headers={"Retry-After": "1"}),
        Route(GOOD, content_type="application/json"),
    )
    source = hn_source(server)
    started = time.monotonic()
    report = run_source(source)
    assert report.ok and report.created == 1
    assert time.monotonic() - started >= 0.95
    assert run_source(source).created == 0


def test_429_asking_too_long_fails_the_source(server: LocalHTTPServer) -> None:
    server.add(SEARCH, b"", status=429, headers={"Retry-After": "86400"})
    source = hn_source(server)
    assert not run_source(source).ok
    assert_failed(source, "HTTP 429", "/search_by_date", "asks to wait longer")
    assert_recovers(server, source)


def test_500_then_success(server: LocalHTTPServer) -> None:
    server.sequence(SEARCH, Route(b"oops", status=500), Route(GOOD))
    source = hn_source(server)
    assert run_source(source).created == 1
    assert run_source(source).created == 0
    assert Mention.objects.count() == 1


def test_500_every_time(server: LocalHTTPServer) -> None:
    server.add(SEARCH, b"oops", status=500)
    source = hn_source(server)
    run_source(source)
    assert_failed(source, "HTTP 500", "gave up after 4 attempts")
    assert_recovers(server, source)


def test_truncated_body(server: LocalHTTPServer) -> None:
    server.add(SEARCH, GOOD, truncate_to=200)
    source = hn_source(server)
    run_source(source)
    assert_failed(source, "/search_by_date", "broke off the response")
    assert_recovers(server, source)


def test_slower_than_the_timeout(server: LocalHTTPServer) -> None:
    server.add(SEARCH, GOOD, delay=1.0)
    source = hn_source(server)
    run_source(source)
    assert_failed(source, "/search_by_date", "timed out after 0.3 s")
    assert_recovers(server, source)


def test_invalid_json(server: LocalHTTPServer) -> None:
    server.add(SEARCH, GOOD[:-40], content_type="application/json")
    source = hn_source(server)
    run_source(source)
    assert_failed(source, "/search_by_date", "invalid JSON at line")
    assert_recovers(server, source)


def test_redirect_to_a_private_address(server: LocalHTTPServer, settings: Settings) -> None:
    server.redirect(SEARCH, "http://169.254.169.254/latest/meta-data/")
    source = hn_source(server)
    # Only the test server may be reached although private: the redirect must be refused.
    settings.VEILLE_ALLOW_PRIVATE_URLS = False
    settings.VEILLE_ALLOWED_PRIVATE_HOSTS = [server.base_url.removeprefix("http://")]
    run_source(source)
    assert_failed(source, "/search_by_date", "link-local address 169.254.169.254")
    assert [request.path.split("?")[0] for request in server.requests] == ["/search_by_date"]
    assert_recovers(server, source)


def test_answer_over_the_size_limit(server: LocalHTTPServer, settings: Settings) -> None:
    settings.VEILLE_MAX_FEED_BYTES = 1000
    server.add(SEARCH, GOOD, content_type="application/json")
    source = hn_source(server)
    run_source(source)
    assert_failed(source, "/search_by_date", "response too large")
    settings.VEILLE_MAX_FEED_BYTES = 1_000_000
    assert_recovers(server, source)


def test_a_platform_thread_is_linked_in_the_store(server: LocalHTTPServer) -> None:
    server.add("/comments/2gmzqe.json", payload_bytes("reddit/comments_small.json"))
    source = Source.objects.create(
        workspace=factories.workspace(),
        kind="reddit",
        url="https://www.reddit.com/comments/2gmzqe/",
        params={"base": server.base_url, "submission": "2gmzqe"},
    )
    assert run_source(source).created == 3
    reply = Mention.objects.get(kind="reply")
    assert reply.parent is not None and reply.parent.kind == "comment"
    assert reply.thread_root is not None and reply.thread_root.kind == "post"
