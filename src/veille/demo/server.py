"""A local, read-only HTTP server for the demo feeds, with conditional GET.

    with DemoFeedServer(out_dir) as server:
        url = server.url_for("social.xml")   # http://127.0.0.1:PORT/social.xml

It binds 127.0.0.1 on a free port, serves only the regular files of one directory (no
listing), answers GET and HEAD, and gives each file an ETag (a digest of its bytes) and a
Last-Modified date so that a polite client's second request gets 304 Not Modified.
"""

from __future__ import annotations

import email.utils
import hashlib
import os
import threading
from datetime import UTC, datetime
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, BinaryIO
from urllib.parse import quote

CONTENT_TYPES = {
    ".xml": "application/rss+xml",
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".json": "application/json",
    ".html": "text/html; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
}


def _etag_matches(header: str, etag: str) -> bool:
    """If-None-Match comparison (weak, as RFC 9110 asks for GET)."""
    if header.strip() == "*":
        return True
    candidates = (part.strip() for part in header.split(","))
    return any(c.removeprefix("W/") == etag for c in candidates)


class DemoFeedHandler(SimpleHTTPRequestHandler):
    """Serves the files of one directory, read-only, quietly, with validators."""

    server_version = "veille-demo/1"

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: tests and the demo command print their own progress."""

    def list_directory(self, path: str | os.PathLike[str]) -> None:
        self.send_error(HTTPStatus.NOT_FOUND, "File not found")
        return None

    def guess_type(self, path: str | os.PathLike[str]) -> str:
        return CONTENT_TYPES.get(Path(path).suffix.lower(), "application/octet-stream")

    def send_head(self) -> BinaryIO | None:  # type: ignore[override]
        path = Path(self.translate_path(self.path))
        if not path.is_file():
            self.send_error(HTTPStatus.NOT_FOUND, "File not found")
            return None
        try:
            handle = path.open("rb")
        except OSError:
            self.send_error(HTTPStatus.NOT_FOUND, "File not found")
            return None
        try:
            data = handle.read()
            stat = os.fstat(handle.fileno())
        finally:
            handle.close()
        etag = '"' + hashlib.sha256(data).hexdigest()[:32] + '"'
        modified = datetime.fromtimestamp(int(stat.st_mtime), UTC)
        last_modified = email.utils.format_datetime(modified, usegmt=True)
        if self._not_modified(etag, modified):
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", last_modified)
            self.end_headers()
            return None
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Length", str(len(data)))
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", last_modified)
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        return _BytesBody(data)

    def _not_modified(self, etag: str, modified: datetime) -> bool:
        # If-None-Match wins over If-Modified-Since when both are sent (RFC 9110, 13.2.2).
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            return _etag_matches(if_none_match, etag)
        if_modified_since = self.headers.get("If-Modified-Since")
        if if_modified_since:
            try:
                since = email.utils.parsedate_to_datetime(if_modified_since)
            except (TypeError, ValueError, IndexError, OverflowError):
                return False
            if since.tzinfo is None:
                since = since.replace(tzinfo=UTC)
            return modified <= since
        return False


class _BytesBody:
    """The file's bytes, read once, handed to SimpleHTTPRequestHandler.copyfile."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._sent = False

    def read(self, size: int = -1) -> bytes:
        if self._sent:
            return b""
        self._sent = True
        return self._data

    def close(self) -> None:
        self._data = b""


class DemoFeedServer:
    """Serves `directory` on http://127.0.0.1:PORT/ from a daemon thread until `close()`."""

    def __init__(self, directory: Path, host: str = "127.0.0.1", port: int = 0) -> None:
        self.directory = Path(directory).resolve()
        if not self.directory.is_dir():
            raise NotADirectoryError(f"demo feed server: {self.directory} is not a directory")
        root = str(self.directory)

        class Handler(DemoFeedHandler):
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, directory=root, **kwargs)

        self._httpd = ThreadingHTTPServer((host, port), Handler)
        self._httpd.daemon_threads = True
        self.host, self.port = self._httpd.server_address[:2]
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.1},
            name=f"demo-feed-server-{self.port}",
            daemon=True,
        )
        self._thread.start()
        self._closed = False

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/"

    def url_for(self, filename: str) -> str:
        return self.base_url + quote(filename)

    def close(self) -> None:
        """Stop serving and release the port; calling it twice is harmless."""
        if self._closed:
            return
        self._closed = True
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> DemoFeedServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
