"""fetch() against a real local HTTP server: politeness, limits, redirects and failures."""

import gzip

import httpx
import pytest
from pytest_django.fixtures import Settings

import veille
from tests.support.http_server import LocalHTTPServer
from veille.collect.http import FetchError, _peer_ip, fetch
from veille.collect.ssrf import UnsafeURLError

LAST_MODIFIED = "Sat, 01 Mar 2025 10:00:00 GMT"


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
