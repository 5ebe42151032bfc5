"""The demo feed server: real files, a real socket, conditional GET."""

from __future__ import annotations

import http.client
import socket
import urllib.error
import urllib.request
from pathlib import Path

import feedparser
import pytest

from veille.demo.generator import generate
from veille.demo.server import DemoFeedServer


@pytest.fixture(scope="module")
def feeds_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("feeds")
    generate(out)
    return out


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_serves_files_with_feed_content_types(feeds_dir: Path) -> None:
    with DemoFeedServer(feeds_dir) as server:
        assert server.base_url.startswith("http://127.0.0.1:")
        assert server.base_url.endswith("/")
        assert server.url_for("social.xml") == server.base_url + "social.xml"
        status, headers, body = _get(server.url_for("social.xml"))
        assert status == 200
        assert headers["Content-Type"] == "application/rss+xml"
        assert body == (feeds_dir / "social.xml").read_bytes()
        assert int(headers["Content-Length"]) == len(body)
        status, headers, body = _get(server.url_for("carnet-de-cafe-comments.atom"))
        assert status == 200
        assert headers["Content-Type"] == "application/atom+xml"
        parsed = feedparser.parse(body)
        assert not parsed.bozo and parsed.version == "atom10"


def test_feedparser_collects_over_http(feeds_dir: Path) -> None:
    with DemoFeedServer(feeds_dir) as server:
        _, _, body = _get(server.url_for("blog-comments.xml"))
        parsed = feedparser.parse(body)
        assert not parsed.bozo
        assert len(parsed.entries) >= 100


def test_conditional_get_answers_304(feeds_dir: Path) -> None:
    with DemoFeedServer(feeds_dir) as server:
        url = server.url_for("news.xml")
        status, headers, _ = _get(url)
        assert status == 200
        etag, last_modified = headers["ETag"], headers["Last-Modified"]
        assert etag.startswith('"') and etag.endswith('"')
        status, headers, body = _get(url, {"If-None-Match": etag})
        assert status == 304 and body == b""
        assert headers["ETag"] == etag
        status, _, body = _get(url, {"If-Modified-Since": last_modified})
        assert status == 304 and body == b""
        status, _, body = _get(url, {"If-None-Match": '"something-else"'})
        assert status == 200 and body
        # If-None-Match wins over If-Modified-Since.
        status, _, _ = _get(url, {"If-None-Match": '"other"', "If-Modified-Since": last_modified})
        assert status == 200


def test_changed_file_gets_new_etag(tmp_path: Path) -> None:
    (tmp_path / "feed.xml").write_bytes(b"<rss version='2.0'><channel/></rss>")
    with DemoFeedServer(tmp_path) as server:
        _, first, _ = _get(server.url_for("feed.xml"))
        (tmp_path / "feed.xml").write_bytes(
            b"<rss version='2.0'><channel><title>x</title></channel></rss>"
        )
        status, second, _ = _get(server.url_for("feed.xml"), {"If-None-Match": first["ETag"]})
        assert status == 200 and second["ETag"] != first["ETag"]


def test_read_only_no_listing_no_escape(feeds_dir: Path) -> None:
    with DemoFeedServer(feeds_dir) as server:
        assert _get(server.base_url)[0] == 404
        assert _get(server.url_for("missing.xml"))[0] == 404
        assert _get(server.base_url + "../../../../etc/passwd")[0] == 404
        connection = http.client.HTTPConnection(server.host, server.port, timeout=5)
        try:
            connection.request("PUT", "/social.xml", body=b"x")
            assert connection.getresponse().status == 501
        finally:
            connection.close()
    assert (feeds_dir / "social.xml").read_bytes().startswith(b"<?xml")


def test_close_releases_the_port(feeds_dir: Path) -> None:
    server = DemoFeedServer(feeds_dir)
    port = server.port
    assert _get(server.url_for("news.xml"))[0] == 200
    server.close()
    server.close()  # twice is harmless
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=2):
        pass
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", port))


def test_rejects_a_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(NotADirectoryError):
        DemoFeedServer(tmp_path / "nowhere")
