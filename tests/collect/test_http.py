"""fetch() against a real local HTTP server: politeness, limits, redirects and failures."""

import gzip
import itertools
import threading
import time
from email.utils import formatdate

import httpx
import pytest
from pytest_django.fixtures import Settings

import veille
from tests.support.http_server import LocalHTTPServer, Route
from veille.collect.http import (
    FetchError,
    _peer_ip,
    allowed_by_robots,
    clear_robots_cache,
    fetch,
    fetch_json,
    parse_retry_after,
    post_once,
)
from veille.collect.ssrf import UnsafeURLError

LAST_MODIFIED = "Sat, 01 Mar 2025 10:00:00 GMT"


@pytest.fixture(autouse=True)
def _quick(settings: Settings) -> None:
    """No pacing and near-instant retries, except where a test turns them on."""
    settings.VEILLE_HOST_MIN_INTERVAL = 0
    settings.VEILLE_HTTP_BACKOFF = 0.01


def test_fetch_returns_body_headers_and_validators(http_server: LocalHTTPServer) -> None:
    url = http_server.add(
        "/feed.xml",
        b"<rss/>",
        content_type="application/rss+xml; charset=utf-8",
        etag='"v1"',
        last_modified=LAST_MODIFIED,
    )
    result = fetch(url)
    assert result.url == url
    assert result.status == 200
    assert result.content == b"<rss/>"
    assert result.content_type == "application/rss+xml"
    assert result.etag == '"v1"'
    assert result.last_modified == LAST_MODIFIED
    assert not result.not_modified


def test_fetch_identifies_itself(http_server: LocalHTTPServer, settings: Settings) -> None:
    settings.VEILLE_CONTACT_URL = "https://veille.example/contact"
    fetch(http_server.add("/feed.xml", b"<rss/>"))
    request = http_server.requests[-1]
    expected = f"veille/{veille.__version__} (+https://veille.example/contact)"
    assert request.headers["user-agent"] == expected
    assert "application/rss+xml" in request.headers["accept"]


def test_conditional_get_gives_not_modified(http_server: LocalHTTPServer) -> None:
    url = http_server.add("/feed.xml", b"<rss/>", etag='"v1"', last_modified=LAST_MODIFIED)
    result = fetch(url, etag='"v1"', last_modified=LAST_MODIFIED)
    request = http_server.requests[-1]
    assert request.headers["if-none-match"] == '"v1"'
    assert request.headers["if-modified-since"] == LAST_MODIFIED
    assert result.not_modified
    assert result.status == 304
    assert result.content == b""
    assert result.etag == '"v1"'


def test_a_stale_validator_gets_the_new_body(http_server: LocalHTTPServer) -> None:
    url = http_server.add("/feed.xml", b"<rss>new</rss>", etag='"v2"')
    result = fetch(url, etag='"v1"')
    assert not result.not_modified
    assert result.content == b"<rss>new</rss>"
    assert result.etag == '"v2"'


def test_redirects_are_followed_and_reported(http_server: LocalHTTPServer) -> None:
    final = http_server.add("/new/feed.xml", b"<rss/>")
    http_server.redirect("/moved", "/new/feed.xml", status=301)
    start = http_server.redirect("/old", http_server.url("/moved"), status=302)
    result = fetch(start)
    assert result.url == final
    assert result.content == b"<rss/>"
    assert [r.path for r in http_server.requests] == ["/old", "/moved", "/new/feed.xml"]


def test_redirect_loops_stop(http_server: LocalHTTPServer) -> None:
    http_server.redirect("/a", "/b")
    url = http_server.redirect("/b", "/a")
    with pytest.raises(FetchError) as info:
        fetch(url)
    assert "more than 5 redirects" in str(info.value)
    assert str(info.value).startswith(url)
    assert len(http_server.requests) == 6


def test_redirect_to_loopback_is_refused_when_private_urls_are_not_allowed(
    http_server: LocalHTTPServer, settings: Settings
) -> None:
    settings.VEILLE_ALLOW_PRIVATE_URLS = False
    # The first hop is checked too: the server itself is on loopback.
    start = http_server.redirect("/go", "http://127.0.0.1:9/internal")
    with pytest.raises(UnsafeURLError) as info:
        fetch(start)
    assert "loopback address 127.0.0.1" in str(info.value)
    assert http_server.requests == []


def test_redirect_to_another_scheme_is_refused(http_server: LocalHTTPServer) -> None:
    """Also checks that the message names the source URL, not only the redirect target."""
    url = http_server.redirect("/go", "file:///etc/passwd")
    with pytest.raises(UnsafeURLError) as info:
        fetch(url)
    assert str(info.value).startswith(
        f"{url}: redirected to file:///etc/passwd: scheme 'file' is not allowed"
    )


def test_refused_schemes_never_reach_the_network() -> None:
    for url in ("file:///etc/passwd", "ftp://127.0.0.1/feed.xml"):
        with pytest.raises(UnsafeURLError):
            fetch(url)


@pytest.mark.parametrize(("status", "transient"), [(404, False), (410, False), (500, True)])
def test_error_statuses_raise_with_url_and_status(
    http_server: LocalHTTPServer, status: int, transient: bool
) -> None:
    url = http_server.add("/feed.xml", b"oops", status=status)
    with pytest.raises(FetchError) as info:
        fetch(url)
    assert str(info.value).startswith(f"{url}: HTTP {status}")
    assert info.value.status == status
    assert info.value.transient is transient


def test_rate_limit_keeps_retry_after(http_server: LocalHTTPServer) -> None:
    url = http_server.add("/feed.xml", b"", status=429, headers={"Retry-After": "120"})
    with pytest.raises(FetchError) as info:
        fetch(url)
    assert info.value.transient
    assert info.value.retry_after == "120"


def test_slow_server_times_out(http_server: LocalHTTPServer) -> None:
    url = http_server.add("/slow", b"<rss/>", delay=1.0)
    with pytest.raises(FetchError) as info:
        fetch(url, timeout=0.2)
    message = str(info.value)
    assert message.startswith(f"{url}: timed out after 0.2 s")
    assert info.value.transient


def test_timeout_comes_from_settings(http_server: LocalHTTPServer, settings: Settings) -> None:
    settings.VEILLE_HTTP_TIMEOUT = 0.2
    url = http_server.add("/slow", b"<rss/>", delay=1.0)
    with pytest.raises(FetchError, match=r"timed out after 0\.2 s"):
        fetch(url)


def test_connection_refused(http_server: LocalHTTPServer) -> None:
    url = http_server.url("/feed.xml")
    http_server.stop()
    with pytest.raises(FetchError) as info:
        fetch(url, timeout=2)
    assert str(info.value).startswith(f"{url}: could not connect")


def test_truncated_body_is_an_error(http_server: LocalHTTPServer) -> None:
    url = http_server.add("/feed.xml", b"<rss>" + b"x" * 10_000 + b"</rss>", truncate_to=100)
    with pytest.raises(FetchError) as info:
        fetch(url)
    assert str(info.value).startswith(f"{url}: the server broke off the response")


def test_announced_size_over_the_limit_is_refused_up_front(http_server: LocalHTTPServer) -> None:
    url = http_server.add("/huge.xml", b"x" * 200_000)
    with pytest.raises(FetchError) as info:
        fetch(url, max_bytes=100_000)
    assert str(info.value).startswith(f"{url}: response too large (200000 bytes announced")


def test_streamed_size_over_the_limit_is_refused(
    http_server: LocalHTTPServer, settings: Settings
) -> None:
    settings.VEILLE_MAX_FEED_BYTES = 100_000
    url = http_server.add("/huge.xml", b"x" * 1_000_000, send_length=False, chunk_size=8192)
    with pytest.raises(FetchError) as info:
        fetch(url)
    assert str(info.value).startswith(f"{url}: response too large (more than 100000 bytes)")


def test_size_limit_applies_to_decompressed_bytes(http_server: LocalHTTPServer) -> None:
    bomb = gzip.compress(b"\0" * 5_000_000)
    assert len(bomb) < 10_000
    url = http_server.add("/bomb.xml", bomb, headers={"Content-Encoding": "gzip"})
    with pytest.raises(FetchError, match="response too large"):
        fetch(url, max_bytes=1_000_000)


def test_body_within_the_limit_is_returned_whole(http_server: LocalHTTPServer) -> None:
    body = bytes(range(256)) * 1000
    url = http_server.add("/data", body, send_length=False, chunk_size=1000)
    assert fetch(url, max_bytes=len(body)).content == body


def test_the_peer_address_is_visible_to_the_rebinding_check(http_server: LocalHTTPServer) -> None:
    # fetch() re-checks the address the socket reached; this httpx must expose it.
    url = http_server.add("/feed.xml", b"<rss/>")
    with httpx.Client() as client, client.stream("GET", url) as response:
        assert _peer_ip(response) == "127.0.0.1"


def test_a_shared_client_can_be_passed_in(http_server: LocalHTTPServer) -> None:
    url = http_server.add("/feed.xml", b"<rss/>")
    with httpx.Client() as client:
        assert fetch(url, client=client).content == b"<rss/>"
        assert fetch(url, client=client).content == b"<rss/>"


# -- politeness: pacing, concurrency, retries -------------------------------------------------


def test_requests_to_one_host_are_spaced(http_server: LocalHTTPServer, settings: Settings) -> None:
    settings.VEILLE_HOST_MIN_INTERVAL = 0.2
    url = http_server.add("/a", b"x")
    for _ in range(3):
        fetch(url)
    arrivals = [request.at for request in http_server.requests]
    gaps = [later - earlier for earlier, later in itertools.pairwise(arrivals)]
    # Arrival times carry the server threads' scheduling jitter: a loaded machine delays
    # one arrival more than the next. Without pacing the gaps would be a few milliseconds.
    assert all(gap >= 0.15 for gap in gaps), gaps


def test_spacing_holds_across_threads(http_server: LocalHTTPServer, settings: Settings) -> None:
    settings.VEILLE_HOST_MIN_INTERVAL = 0.1
    url = http_server.add("/a", b"x")
    threads = [threading.Thread(target=fetch, args=(url,)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    arrivals = sorted(request.at for request in http_server.requests)
    assert arrivals[-1] - arrivals[0] >= 0.28


def test_concurrency_per_host_is_bounded(http_server: LocalHTTPServer, settings: Settings) -> None:
    settings.VEILLE_HOST_MAX_CONCURRENCY = 1
    url = http_server.add("/slow", b"x", delay=0.2)
    started = time.monotonic()
    threads = [threading.Thread(target=fetch, args=(url,)) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # One at a time: three answers that each take 0.2 s cannot overlap.
    assert time.monotonic() - started >= 0.58
    arrivals = sorted(request.at for request in http_server.requests)
    assert arrivals[1] - arrivals[0] >= 0.18


def test_500_then_success_is_retried(http_server: LocalHTTPServer) -> None:
    url = http_server.sequence("/flaky", Route(b"oops", status=500), Route(b"<rss/>"))
    assert fetch(url).content == b"<rss/>"
    assert len(http_server.requests) == 2


def test_429_waits_for_retry_after(http_server: LocalHTTPServer) -> None:
    url = http_server.sequence(
        "/limited", Route(b"", status=429, headers={"Retry-After": "1"}), Route(b"ok")
    )
    started = time.monotonic()
    assert fetch(url).content == b"ok"
    assert time.monotonic() - started >= 0.95
    first, second = http_server.requests
    assert second.at - first.at >= 0.95


def test_retry_after_as_an_http_date(http_server: LocalHTTPServer) -> None:
    later = formatdate(time.time() + 2, usegmt=True)
    url = http_server.sequence(
        "/limited", Route(b"", status=503, headers={"Retry-After": later}), Route(b"ok")
    )
    assert fetch(url).content == b"ok"
    first, second = http_server.requests
    assert second.at - first.at >= 0.9


def test_retry_after_parsing() -> None:
    assert parse_retry_after("120") == 120
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470) == 10
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


def test_a_retry_after_over_the_cap_is_not_waited_for(
    http_server: LocalHTTPServer, settings: Settings
) -> None:
    settings.VEILLE_HTTP_MAX_RETRY_WAIT = 5
    url = http_server.add("/limited", b"", status=429, headers={"Retry-After": "3600"})
    started = time.monotonic()
    with pytest.raises(FetchError) as info:
        fetch(url)
    assert time.monotonic() - started < 1
    assert "the server asks to wait longer than allowed after 1 attempt" in str(info.value)
    assert info.value.retry_after == "3600"


def test_retries_exhausted_say_so(http_server: LocalHTTPServer, settings: Settings) -> None:
    settings.VEILLE_HTTP_RETRIES = 2
    url = http_server.add("/down", b"oops", status=503)
    with pytest.raises(FetchError) as info:
        fetch(url)
    assert str(info.value) == f"{url}: HTTP 503 Service Unavailable (gave up after 3 attempts)"
    assert len(http_server.requests) == 3


def test_client_errors_are_not_retried(http_server: LocalHTTPServer) -> None:
    url = http_server.add("/gone", b"", status=404)
    with pytest.raises(FetchError):
        fetch(url)
    assert len(http_server.requests) == 1


def test_a_truncated_body_is_retried_then_reported(http_server: LocalHTTPServer) -> None:
    body = b"x" * 10_000
    url = http_server.sequence("/cut", Route(body, truncate_to=100), Route(body))
    assert fetch(url).content == body


# -- JSON --------------------------------------------------------------------------------------


def test_fetch_json_sends_params_and_headers(http_server: LocalHTTPServer) -> None:
    http_server.add("/api", b'{"ok": true}', content_type="application/json")
    document = fetch_json(
        http_server.url("/api"),
        params={"q": "café crème", "skip": None, "n": 2},
        headers={"Authorization": "Bearer t"},
    )
    assert document == {"ok": True}
    request = http_server.requests[0]
    assert request.path == "/api?q=caf%C3%A9+cr%C3%A8me&n=2"
    assert request.headers["authorization"] == "Bearer t"
    assert request.headers["accept"] == "application/json"


def test_fetch_json_names_the_url_on_invalid_json(http_server: LocalHTTPServer) -> None:
    http_server.add("/api", b'{"ok": tru', content_type="application/json")
    with pytest.raises(FetchError) as info:
        fetch_json(http_server.url("/api"), params={"q": "x"})
    assert str(info.value).startswith(f"{http_server.url('/api')}?q=x: invalid JSON at line 1")


# -- robots.txt --------------------------------------------------------------------------------


@pytest.fixture
def robots() -> None:
    clear_robots_cache()


ROBOTS = b"User-agent: *\nDisallow: /private/\n\nUser-agent: veille\nDisallow: /no-veille/\n"


@pytest.mark.usefixtures("robots")
def test_robots_rules_are_followed_and_cached(http_server: LocalHTTPServer) -> None:
    http_server.add("/robots.txt", ROBOTS, content_type="text/plain")
    assert allowed_by_robots(http_server.url("/blog/post"))
    assert not allowed_by_robots(http_server.url("/no-veille/page"))
    assert allowed_by_robots(http_server.url("/private/x"))  # veille has its own group
    assert http_server.paths() == ["/robots.txt"]


@pytest.mark.usefixtures("robots")
def test_missing_robots_allows_everything(http_server: LocalHTTPServer) -> None:
    assert allowed_by_robots(http_server.url("/anything"))


@pytest.mark.usefixtures("robots")
def test_unreadable_robots_allows_nothing(http_server: LocalHTTPServer) -> None:
    http_server.add("/robots.txt", b"down", status=503)
    assert not allowed_by_robots(http_server.url("/page"))


def test_post_once_sends_the_body_once_and_follows_no_redirect(
    http_server: LocalHTTPServer,
) -> None:
    target = http_server.add("/elsewhere", b"{}")
    url = http_server.redirect("/api/statuses", target, status=307)
    answer = post_once(url, b'{"status": "Merci !"}', headers={"Authorization": "Bearer t"})
    assert answer.status == 307
    assert [(r.method, r.path, r.body) for r in http_server.requests] == [
        ("POST", "/api/statuses", b'{"status": "Merci !"}')
    ]
    assert http_server.requests[0].headers["authorization"] == "Bearer t"
    assert http_server.requests[0].headers["user-agent"].startswith("veille/")


def test_post_once_never_retries_a_failure(http_server: LocalHTTPServer) -> None:
    url = http_server.add("/api/statuses", b'{"error": "busy"}', status=503)
    answer = post_once(url, b"{}")
    assert (answer.status, answer.reason, answer.content) == (
        503,
        "Service Unavailable",
        b'{"error": "busy"}',
    )
    assert len(http_server.requests) == 1


def test_post_once_refuses_a_private_address_before_connecting(settings: Settings) -> None:
    settings.VEILLE_ALLOW_PRIVATE_URLS = False
    with pytest.raises(UnsafeURLError, match=r"169\.254\.169\.254"):
        post_once("http://169.254.169.254/latest/meta-data/", b"{}")
