"""VEILLE_ALLOWED_PRIVATE_HOSTS: one private host may be reached, a redirect elsewhere may not.

The local test server lives on 127.0.0.1, so these tests list exactly that host (with its
port) instead of lifting the whole guard with VEILLE_ALLOW_PRIVATE_URLS; its redirects to
the cloud metadata address, to the private network, to IPv6 loopback or to another port
of the same machine are then refused before any connection is made.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from pytest_django.fixtures import Settings
from typer.testing import CliRunner

from tests import factories
from tests.support import FEEDS_DIR
from tests.support.http_server import LocalHTTPServer
from veille.cli import app
from veille.collect.base import CollectError
from veille.collect.http import fetch
from veille.collect.ssrf import UnsafeURLError, allowed_private_hosts, check_url
from veille.core.models import Mention
from veille.pipeline.run import run_source

FEED = (FEEDS_DIR / "wordpress-norm2782.rss2.xml").read_bytes() if FEEDS_DIR.is_dir() else b""


def port_of(server: LocalHTTPServer) -> int:
    port = urlsplit(server.base_url).port
    assert port is not None
    return port


@pytest.fixture
def server(settings: Settings) -> Iterator[LocalHTTPServer]:
    """The local server, reachable only through its own host and port."""
    settings.VEILLE_HOST_MIN_INTERVAL = 0
    settings.VEILLE_HTTP_BACKOFF = 0.01
    settings.VEILLE_HTTP_TIMEOUT = 2
    with LocalHTTPServer() as running:
        settings.VEILLE_ALLOW_PRIVATE_URLS = False
        settings.VEILLE_ALLOWED_PRIVATE_HOSTS = [f"127.0.0.1:{port_of(running)}"]
        yield running


@pytest.fixture
def other_server() -> Iterator[LocalHTTPServer]:
    """A second local server on another port, which must never be reached."""
    with LocalHTTPServer() as running:
        yield running


# -- the setting itself -------------------------------------------------------------------


@pytest.fixture
def strict(settings: Settings) -> None:
    settings.VEILLE_ALLOW_PRIVATE_URLS = False
    settings.VEILLE_ALLOWED_PRIVATE_HOSTS = []


def test_entries_are_hosts_with_an_optional_port(strict: None, settings: Settings) -> None:
    settings.VEILLE_ALLOWED_PRIVATE_HOSTS = [
        "127.0.0.1",
        "LocalHost:8080",
        "[::1]:9000",
        "fe80::1",
        " ",
    ]
    assert allowed_private_hosts() == {
        ("127.0.0.1", None),
        ("localhost", 8080),
        ("::1", 9000),
        ("fe80::1", None),
    }
    settings.VEILLE_ALLOWED_PRIVATE_HOSTS = "10.1.2.3, intranet.example:81"  # as in the env
    assert allowed_private_hosts() == {("10.1.2.3", None), ("intranet.example", 81)}


def test_a_listed_host_passes_and_nothing_else(strict: None, settings: Settings) -> None:
    settings.VEILLE_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1", "localhost:8080", "[::1]:9000"]
    check_url("http://127.0.0.1/feed.xml")
    check_url("http://127.0.0.1:1234/feed.xml")  # no port in the entry: any port
    check_url("http://localhost:8080/feed.xml")
    check_url("http://[::1]:9000/")
    refused = {
        "http://localhost/feed.xml": "loopback address",  # port 80 is not 8080
        "http://localhost:8081/": "loopback address",
        "http://[::1]:9001/": "loopback address ::1",
        "http://127.0.0.2/": "loopback address 127.0.0.2",
        "http://10.0.0.1/": "private address 10.0.0.1",
        "http://169.254.169.254/latest/meta-data/": "link-local address 169.254.169.254",
    }
    for url, fragment in refused.items():
        with pytest.raises(UnsafeURLError) as info:
            check_url(url)
        assert str(info.value).startswith(f"{url}: resolves to"), url
        assert fragment in str(info.value), url
        assert "VEILLE_ALLOWED_PRIVATE_HOSTS" in str(info.value)


def test_listing_an_address_does_not_allow_names_that_resolve_to_it(
    strict: None, settings: Settings
) -> None:
    settings.VEILLE_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
    with pytest.raises(UnsafeURLError, match="loopback address"):
        check_url("http://localhost/")


@pytest.mark.parametrize("entry", ["127.0.0.1:http", "host/path", "user@host", "[::1"])
def test_an_unreadable_entry_is_a_clear_error(strict: None, settings: Settings, entry: str) -> None:
    settings.VEILLE_ALLOWED_PRIVATE_HOSTS = [entry]
    with pytest.raises(CollectError) as info:
        check_url("http://10.0.0.1/")
    assert str(info.value).startswith("VEILLE_ALLOWED_PRIVATE_HOSTS:")
    assert repr(entry) in str(info.value)


def test_the_wide_escape_hatch_still_allows_everything(settings: Settings) -> None:
    settings.VEILLE_ALLOW_PRIVATE_URLS = True
    settings.VEILLE_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
    check_url("http://10.0.0.1/")
    check_url("http://169.254.169.254/")


# -- redirects from the allowed host ---------------------------------------------------------


def test_the_allowed_host_is_fetched(server: LocalHTTPServer) -> None:
    url = server.add("/feed.xml", b"<rss/>")
    assert fetch(url).content == b"<rss/>"


@pytest.mark.parametrize(
    ("target", "fragment"),
    [
        ("http://169.254.169.254/latest/meta-data/", "link-local address 169.254.169.254"),
        ("http://10.0.0.1/", "private address 10.0.0.1"),
        ("http://[::1]/admin", "loopback address ::1"),
        ("http://127.0.0.2/", "loopback address 127.0.0.2"),
    ],
)
def test_a_redirect_to_a_private_address_is_refused(
    server: LocalHTTPServer, target: str, fragment: str
) -> None:
    start = server.redirect("/go", target)
    with pytest.raises(UnsafeURLError) as info:
        fetch(start)
    message = str(info.value)
    assert message.startswith(f"{start}: redirected to {target}: resolves to")
    assert fragment in message
    assert [request.path for request in server.requests] == ["/go"]


def test_a_redirect_to_another_port_of_the_same_machine_is_refused(
    server: LocalHTTPServer, other_server: LocalHTTPServer
) -> None:
    for target in (other_server.url("/secret"), f"http://localhost:{port_of(other_server)}/"):
        start = server.redirect("/go", target)
        with pytest.raises(UnsafeURLError) as info:
            fetch(start)
        assert str(info.value).startswith(f"{start}: redirected to {target}: resolves to a")
        assert "loopback address" in str(info.value)
    assert other_server.requests == []  # refused before any connection was made


def test_a_redirect_within_the_allowed_host_is_followed(server: LocalHTTPServer) -> None:
    server.add("/new.xml", b"<rss/>")
    assert fetch(server.redirect("/old.xml", server.url("/new.xml"))).content == b"<rss/>"


# -- through a source: the pipeline and the command line -------------------------------------


@pytest.mark.django_db
def test_a_source_redirected_to_the_metadata_address_fails_and_stores_nothing(
    server: LocalHTTPServer,
) -> None:
    assert FEED, f"missing fixtures: {FEEDS_DIR}"
    space = factories.workspace()
    space.watches.create(name="Tech", query="Linux OR Haskell")
    source = factories.feed_source(
        space, url=server.redirect("/feed.xml", "http://169.254.169.254/latest/meta-data/")
    )
    report = run_source(source)
    assert report.error is not None
    assert "link-local address 169.254.169.254" in report.error
    source.refresh_from_db()
    assert source.consecutive_failures == 1
    assert "169.254.169.254" in source.last_error
    assert Mention.objects.count() == 0
    # The same source served directly from the allowed host is collected.
    server.add("/feed.xml", FEED, content_type="application/rss+xml")
    assert run_source(source).created > 0


@pytest.mark.django_db
def test_veille_collect_names_the_refused_address(
    server: LocalHTTPServer, other_server: LocalHTTPServer
) -> None:
    space = factories.workspace()
    factories.feed_source(space, url=server.redirect("/a.xml", "http://10.0.0.1/feed.xml"))
    factories.feed_source(space, url=server.redirect("/b.xml", other_server.url("/feed.xml")))
    result = CliRunner().invoke(app, ["collect"], env={"COLUMNS": "400"})
    assert result.exit_code == 1
    assert "private address 10.0.0.1" in result.output
    assert "loopback address 127.0.0.1" in result.output
    assert "2 of 2 sources failed" in result.output
    assert Mention.objects.count() == 0
    assert other_server.requests == []
