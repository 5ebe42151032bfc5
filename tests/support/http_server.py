"""A small local HTTP server that replays canned responses, for tests that fetch.

    with LocalHTTPServer() as server:
        server.add("/feed.xml", body, content_type="application/rss+xml", etag='"v1"')
        fetch(server.url("/feed.xml"))

Routes can serve bytes (answering conditional requests with 304), redirect, wait before
answering, answer with any status, announce more bytes than they send, or stream a body
without a Content-Length. A route may be keyed with its query string ("/search?q=x"),
which wins over the bare path, and .sequence() serves a list of responses one request
after the other (the last one repeats): "500, then success". Every request is recorded,
headers and arrival time included.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType


@dataclass
class Route:
    """One canned response."""

    body: bytes = b""
    status: int = 200
    content_type: str = "application/octet-stream"
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    redirect_to: str | None = None
    delay: float = 0.0  # seconds to wait before the status line
    truncate_to: int | None = None  # send only this many bytes of the body, then close
    chunk_size: int = 64 * 1024
    send_length: bool = True  # False: no Content-Length, the body ends when we close


@dataclass
class RecordedRequest:
    """A request the server received."""

    method: str
    path: str
    headers: dict[str, str]
    at: float = 0.0  # time.monotonic() when the request arrived
    body: bytes = b""


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        """Keep test output quiet."""

    def do_GET(self) -> None:
        self._answer("GET", b"")

    def do_POST(self) -> None:
        self._answer("POST", self.rfile.read(int(self.headers.get("Content-Length") or 0)))

    def _answer(self, method: str, body: bytes) -> None:
        """The route's canned response, whatever the method (POST bodies are recorded)."""
        headers = {name.lower(): value for name, value in self.headers.items()}
        owner = self.server.owner
        owner.requests.append(RecordedRequest(method, self.path, headers, time.monotonic(), body))
        route = owner.route_for(self.path)
        if route is None:
            self._send_simple(404, b"not found")
            return
        if route.delay:
            time.sleep(route.delay)
        if route.redirect_to is not None:
            self.send_response(route.status if route.status in (301, 302, 303, 307, 308) else 302)
            self.send_header("Location", route.redirect_to)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self._not_modified(route, headers):
            self.send_response(304)
            if route.etag:
                self.send_header("ETag", route.etag)
            if route.last_modified:
                self.send_header("Last-Modified", route.last_modified)
            self.end_headers()
            return
        self._send_body(route)

    def _not_modified(self, route: Route, headers: dict[str, str]) -> bool:
        if route.status != 200:
            return False
        if route.etag and headers.get("if-none-match") == route.etag:
            return True
        return bool(route.last_modified and headers.get("if-modified-since") == route.last_modified)

    def _send_simple(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _send_body(self, route: Route) -> None:
        self.send_response(route.status)
        self.send_header("Content-Type", route.content_type)
        if route.etag:
            self.send_header("ETag", route.etag)
        if route.last_modified:
            self.send_header("Last-Modified", route.last_modified)
        for name, value in route.headers.items():
            self.send_header(name, value)
        if route.send_length:
            self.send_header("Content-Length", str(len(route.body)))
        else:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        body = route.body if route.truncate_to is None else route.body[: route.truncate_to]
        try:
            for start in range(0, len(body), route.chunk_size):
                self.wfile.write(body[start : start + route.chunk_size])
        except (BrokenPipeError, ConnectionResetError):
            pass  # The client gave up (size limit reached): that is what tests look for.
        if route.truncate_to is not None:
            self.close_connection = True


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: LocalHTTPServer

    def handle_error(self, request: object, client_address: object) -> None:
        """Clients that hang up early (timeout and size-limit tests) are expected here."""


class LocalHTTPServer:
    """An HTTP server on 127.0.0.1 (a free port) running in a background thread."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.routes: dict[str, Route] = {}
        self.sequences: dict[str, list[Route]] = {}
        self._sequence_lock = threading.Lock()
        self.requests: list[RecordedRequest] = []
        self._server = _Server((host, 0), _Handler)
        self._server.owner = self
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )
        self._stopped = False

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        """The absolute URL of `path` on this server."""
        return self.base_url + path

    def add(self, path: str, body: bytes = b"", **options: object) -> str:
        """Serve `body` at `path` (options: the fields of Route); return its URL."""
        self.routes[path] = Route(body=body, **options)  # type: ignore[arg-type]
        return self.url(path)

    def sequence(self, path: str, *responses: Route) -> str:
        """Answer `path` with each of `responses` in turn, then the last one forever."""
        self.sequences[path] = list(responses)
        return self.url(path)

    def route_for(self, target: str) -> Route | None:
        """The route answering a request target (a path with its query string)."""
        for key in (target, target.split("?", 1)[0]):
            with self._sequence_lock:
                queue = self.sequences.get(key)
                if queue:
                    return queue.pop(0) if len(queue) > 1 else queue[0]
            if key in self.routes:
                return self.routes[key]
        return None

    def paths(self) -> list[str]:
        """The request targets received so far, in order."""
        return [request.path for request in self.requests]

    def redirect(self, path: str, location: str, status: int = 302) -> str:
        """Answer `path` with a redirect to `location`; return the URL of `path`."""
        return self.add(path, redirect_to=location, status=status)

    def start(self) -> LocalHTTPServer:
        """Serve in a background thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and free the port; safe to call twice."""
        if self._stopped:
            return
        self._stopped = True
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> LocalHTTPServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
