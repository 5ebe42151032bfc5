"""The polite HTTP client every connector uses: guarded, bounded, paced and retried.

fetch() identifies veille in its User-Agent, sends If-None-Match / If-Modified-Since,
follows redirects itself so that every hop passes the SSRF guard, checks the address the
socket really reached, and stops reading at a hard size limit. Each failure becomes a
FetchError that names the URL and what happened; `transient` says whether trying again
later may help.

Politeness, all read from settings at call time:

- VEILLE_HOST_MIN_INTERVAL (seconds, default 1): the minimum time between the starts of
  two requests to the same host (host and port), across threads;
- VEILLE_HOST_MAX_CONCURRENCY (default 2): requests in flight to one host at a time;
- VEILLE_HTTP_RETRIES (default 3): retries after a transient failure (429, 5xx, network
  errors), waiting VEILLE_HTTP_BACKOFF * 2**attempt seconds with jitter, or what the
  server's Retry-After asks for; a wait over VEILLE_HTTP_MAX_RETRY_WAIT (default 60 s)
  is not made, the error is raised at once so that the scheduler backs the source off.

allowed_by_robots() reads a site's robots.txt (cached per host) for page connectors, and
fetch_json() is fetch() for JSON APIs, and post_once() the single, never retried POST that
publishing a reply needs.
"""

from __future__ import annotations

import contextlib
import functools
import json
import random
import ssl
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx
from django.conf import settings

import veille
from veille.collect.base import CollectError
from veille.collect.ssrf import DEFAULT_PORTS, UnsafeURLError, check_peer_address, check_url

MAX_REDIRECTS = 5
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# Statuses after which the same request may succeed later (rate limits, overload).
TRANSIENT_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
# A slow-drip server must not hold a worker forever: the whole fetch gets this many
# times the per-operation timeout.
TOTAL_TIMEOUT_FACTOR = 3
DEFAULT_ACCEPT = (
    "application/atom+xml, application/rss+xml, application/feed+json, "
    "application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5"
)


class FetchError(CollectError):
    """A URL could not be fetched; the message names the URL and what happened."""

    def __init__(
        self,
        message: str,
        *,
        url: str,
        status: int | None = None,
        transient: bool = False,
        retry_after: str | None = None,
    ) -> None:
        super().__init__(message)
        self.url = url
        self.status = status
        self.transient = transient
        self.retry_after = retry_after


@dataclass(slots=True)
class FetchResult:
    """What one fetch brought back; `url` is the final URL after redirects."""

    url: str
    status: int
    content: bytes
    headers: Mapping[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False
    reason: str = ""  # the HTTP reason phrase, where it matters (post_once)

    @property
    def content_type(self) -> str:
        """The media type without parameters, lower-cased ("" when absent)."""
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """One TLS context for all fetches: loading the CA bundle costs ~20 ms each time.

    It honours SSL_CERT_FILE / SSL_CERT_DIR, for deployments behind their own CA.
    """
    return httpx.create_ssl_context()


def user_agent() -> str:
    """veille/<version> (+<contact URL>), so that site owners know who is asking."""
    contact = getattr(settings, "VEILLE_CONTACT_URL", "") or "https://github.com/veille/veille"
    return f"veille/{veille.__version__} (+{contact})"


def _describe(exc: httpx.HTTPError) -> str:
    detail = str(exc).strip()
    return f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__


def _translate(exc: httpx.HTTPError, url: str, timeout: float) -> FetchError:
    """An httpx exception as a FetchError that says what happened in plain words."""
    if isinstance(exc, httpx.ConnectTimeout):
        what = f"timed out after {timeout:g} s while connecting"
    elif isinstance(exc, httpx.ReadTimeout):
        what = f"timed out after {timeout:g} s waiting for the server to send data"
    elif isinstance(exc, httpx.TimeoutException):
        what = f"timed out after {timeout:g} s ({_describe(exc)})"
    elif isinstance(exc, httpx.ConnectError):
        what = f"could not connect ({_describe(exc)})"
    elif isinstance(exc, httpx.RemoteProtocolError):
        what = f"the server broke off the response, body incomplete or malformed ({_describe(exc)})"
    elif isinstance(exc, httpx.DecodingError):
        what = f"could not decode the response body ({_describe(exc)})"
    else:
        what = f"request failed ({_describe(exc)})"
    transient = not isinstance(exc, httpx.DecodingError)
    return FetchError(f"{url}: {what}", url=url, transient=transient)


def _peer_ip(response: httpx.Response) -> str | None:
    stream = response.extensions.get("network_stream")
    if stream is None:
        return None
    server_addr = stream.get_extra_info("server_addr")
    if not server_addr:
        return None
    return str(server_addr[0])


def _read_body(response: httpx.Response, url: str, max_bytes: int, deadline: float) -> bytes:
    """The decoded body, refusing anything over `max_bytes` (compressed or not)."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(
            f"{url}: response too large ({int(declared)} bytes announced, limit {max_bytes});"
            " raise VEILLE_MAX_FEED_BYTES if this source is legitimate",
            url=url,
            status=response.status_code,
        )
    chunks: list[bytes] = []
    size = 0
    # iter_bytes() yields decompressed bytes, so a gzip bomb hits the limit too.
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(
                f"{url}: response too large (more than {max_bytes} bytes);"
                " raise VEILLE_MAX_FEED_BYTES if this source is legitimate",
                url=url,
                status=response.status_code,
            )
        if time.monotonic() > deadline:
            raise FetchError(
                f"{url}: timed out, the body was still arriving after the total time allowed",
                url=url,
                transient=True,
            )
        chunks.append(chunk)
    return b"".join(chunks)


def _raise_for_status(response: httpx.Response, url: str) -> None:
    status = response.status_code
    if status < 400:
        return
    reason = response.reason_phrase or ""
    raise FetchError(
        f"{url}: HTTP {status} {reason}".rstrip(),
        url=url,
        status=status,
        transient=status in TRANSIENT_STATUSES,
        retry_after=response.headers.get("retry-after"),
    )


# -- pacing per host ----------------------------------------------------------------------


def _setting(name: str, default: float) -> float:
    return float(getattr(settings, name, default))


def host_key(url: str) -> str:
    """The unit of politeness: a host name and port ("example.org:443")."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port or DEFAULT_PORTS.get(scheme, 0)
    except ValueError:
        port = 0
    return f"{(parts.hostname or '').lower()}:{port}"


class HostLimiter:
    """Spaces the requests to each host and bounds how many run at once, across threads.

    A caller reserves the next free slot under a lock, then sleeps outside it, so that
    threads waiting for one host never hold up the others.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._next_start: dict[str, float] = {}
        self._slots: dict[str, tuple[int, threading.BoundedSemaphore]] = {}

    def _semaphore(self, host: str, concurrency: int) -> threading.BoundedSemaphore:
        with self._lock:
            current = self._slots.get(host)
            if current is None or current[0] != concurrency:
                current = (concurrency, threading.BoundedSemaphore(concurrency))
                self._slots[host] = current
            return current[1]

    def _reserve(self, host: str, interval: float) -> float:
        """Claim the next start time for `host`; return how long to wait for it."""
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next_start.get(host, 0.0))
            self._next_start[host] = start + interval
            return start - now

    def hold_off(self, host: str, seconds: float) -> None:
        """Make every request to `host` wait `seconds` from now (a server's Retry-After)."""
        with self._lock:
            until = time.monotonic() + seconds
            self._next_start[host] = max(self._next_start.get(host, 0.0), until)

    @contextlib.contextmanager
    def slot(self, url: str) -> Iterator[None]:
        """Wait for a turn to request `url`'s host, and hold one of its concurrency slots."""
        host = host_key(url)
        interval = max(0.0, _setting("VEILLE_HOST_MIN_INTERVAL", 1.0))
        concurrency = max(1, int(_setting("VEILLE_HOST_MAX_CONCURRENCY", 2)))
        semaphore = self._semaphore(host, concurrency)
        with semaphore:
            wait = self._reserve(host, interval)
            if wait > 0:
                time.sleep(wait)
            yield

    def reset(self) -> None:
        """Forget every host's pacing (tests, or a long-running process reconfigured)."""
        with self._lock:
            self._next_start.clear()
            self._slots.clear()


limiter = HostLimiter()


# -- retries -------------------------------------------------------------------------------


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delay-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None or when.tzinfo is None:
        return None
    current = time.time() if now is None else now
    return max(0.0, when.timestamp() - current)


def retry_delay(error: FetchError, attempt: int) -> float | None:
    """How long to wait before retry number `attempt + 1`, or None to give up now.

    The server's Retry-After wins; otherwise exponential backoff with jitter (between
    half and all of base * 2**attempt) so that many clients do not retry in step.
    """
    cap = _setting("VEILLE_HTTP_MAX_RETRY_WAIT", 60.0)
    asked = parse_retry_after(error.retry_after)
    if asked is not None:
        return asked if asked <= cap else None
    base = _setting("VEILLE_HTTP_BACKOFF", 1.0)
    backoff = base * (2**attempt)
    return min(cap, backoff * random.uniform(0.5, 1.0))  # noqa: S311 -- jitter, not secrets


def _retries_exhausted(error: FetchError, attempts: int, reason: str) -> FetchError:
    noun = "attempt" if attempts == 1 else "attempts"
    return FetchError(
        f"{error} ({reason} after {attempts} {noun})",
        url=error.url,
        status=error.status,
        transient=error.transient,
        retry_after=error.retry_after,
    )


# -- fetch -----------------------------------------------------------------------------------


def with_query(url: str, params: Mapping[str, Any] | None) -> str:
    """`url` with `params` appended to its query string (None values left out)."""
    if not params:
        return url
    pairs = [(key, value) for key, value in params.items() if value is not None]
    if not pairs:
        return url
    return url + ("&" if "?" in url else "?") + urlencode(pairs, doseq=True)


def fetch(
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    max_bytes: int | None = None,
    timeout: float | None = None,
    accept: str | None = None,
    headers: Mapping[str, str] | None = None,
    retries: int | None = None,
    client: httpx.Client | None = None,
) -> FetchResult:
    """GET `url` politely and safely; raise FetchError or UnsafeURLError when it fails.

    `max_bytes` and `timeout` default to VEILLE_MAX_FEED_BYTES and VEILLE_HTTP_TIMEOUT,
    `retries` to VEILLE_HTTP_RETRIES. A 304 answer to the conditional request gives
    `not_modified=True` and no content. `headers` are added to the request (an API token,
    say). `client` lets a caller share connections between fetches; its redirect and
    proxy settings are ignored because fetch() follows redirects itself.
    """
    if max_bytes is None:
        max_bytes = int(getattr(settings, "VEILLE_MAX_FEED_BYTES", 10 * 1024 * 1024))
    if timeout is None:
        timeout = float(getattr(settings, "VEILLE_HTTP_TIMEOUT", 20.0))
    if retries is None:
        retries = int(getattr(settings, "VEILLE_HTTP_RETRIES", 3))
    request_headers = {"User-Agent": user_agent(), "Accept": accept or DEFAULT_ACCEPT}
    request_headers.update(headers or {})
    if etag:
        request_headers["If-None-Match"] = etag
    if last_modified:
        request_headers["If-Modified-Since"] = last_modified

    owns_client = client is None
    if client is None:
        # trust_env=False: a proxy from the environment would hide the real peer address
        # from the SSRF guard.
        client = httpx.Client(
            timeout=httpx.Timeout(timeout), verify=_ssl_context(), trust_env=False
        )
    try:
        attempt = 0
        while True:
            deadline = time.monotonic() + TOTAL_TIMEOUT_FACTOR * timeout
            try:
                return _fetch(client, url, request_headers, max_bytes, timeout, deadline)
            except FetchError as error:
                if not error.transient or retries <= 0:
                    raise
                if attempt >= retries:
                    raise _retries_exhausted(error, attempt + 1, "gave up") from None
                delay = retry_delay(error, attempt)
                if delay is None:
                    raise _retries_exhausted(
                        error, attempt + 1, "the server asks to wait longer than allowed"
                    ) from None
                if error.retry_after is not None:
                    limiter.hold_off(host_key(error.url), delay)
                else:
                    time.sleep(delay)
                attempt += 1
    finally:
        if owns_client:
            client.close()


def fetch_json(
    url: str,
    *,
    params: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
    timeout: float | None = None,
    max_bytes: int | None = None,
    client: httpx.Client | None = None,
) -> Any:
    """GET a JSON API and decode the answer; invalid JSON is a FetchError naming the URL."""
    full_url = with_query(url, params)
    result = fetch(
        full_url,
        accept="application/json",
        headers=headers,
        timeout=timeout,
        max_bytes=max_bytes,
        client=client,
    )
    try:
        return json.loads(result.content)
    except UnicodeDecodeError as exc:
        raise FetchError(
            f"{full_url}: the JSON answer is not valid UTF-8 ({exc.reason})", url=full_url
        ) from None
    except json.JSONDecodeError as exc:
        raise FetchError(
            f"{full_url}: invalid JSON at line {exc.lineno}, column {exc.colno} ({exc.msg})",
            url=full_url,
            status=result.status,
        ) from None


def post_once(
    url: str,
    content: bytes,
    *,
    headers: Mapping[str, str] | None = None,
    timeout: float | None = None,
    max_bytes: int = 1024 * 1024,
) -> FetchResult:
    """POST `content` to `url` once, through the same guard, pacing and limits as fetch().

    Never retried and no redirect followed: a second POST could publish twice. Any HTTP
    status comes back in the result, for the caller to read the platform's own error;
    an unsafe address or a network failure raises as fetch() does.
    """
    if timeout is None:
        timeout = float(getattr(settings, "VEILLE_HTTP_TIMEOUT", 20.0))
    check_url(url)
    request_headers = {"User-Agent": user_agent(), **(headers or {})}
    deadline = time.monotonic() + TOTAL_TIMEOUT_FACTOR * timeout
    with httpx.Client(
        timeout=httpx.Timeout(timeout), verify=_ssl_context(), trust_env=False
    ) as client:
        response = _send(client, "POST", url, request_headers, timeout, content)
        try:
            try:
                body = _read_body(response, url, max_bytes, deadline)
            except httpx.HTTPError as exc:
                raise _translate(exc, url, timeout) from None
            return FetchResult(
                url=url,
                status=response.status_code,
                content=body,
                headers=response.headers,
                reason=response.reason_phrase or "",
            )
        finally:
            response.close()


# -- robots.txt ------------------------------------------------------------------------------

ROBOTS_AGENT = "veille"
ROBOTS_MAX_BYTES = 512 * 1024  # RFC 9309 asks crawlers to read at least 500 KiB.
_ROBOTS_FAILURE_TTL = 300.0


@dataclass(slots=True)
class _Robots:
    parser: RobotFileParser | None  # None: everything allowed
    disallow_all: bool
    expires: float


_robots_cache: dict[str, _Robots] = {}
_robots_lock = threading.Lock()


def _load_robots(robots_url: str) -> _Robots:
    ttl = _setting("VEILLE_ROBOTS_TTL", 24 * 3600.0)
    now = time.monotonic()
    try:
        result = fetch(robots_url, accept="text/plain", max_bytes=ROBOTS_MAX_BYTES, retries=1)
    except UnsafeURLError:
        raise
    except FetchError as error:
        if error.status is not None and 400 <= error.status < 500 and error.status != 429:
            return _Robots(None, False, now + ttl)  # RFC 9309: no robots.txt, no rules.
        # Unreachable or overloaded: assume everything is off limits, and ask again soon.
        return _Robots(None, True, now + _ROBOTS_FAILURE_TTL)
    parser = RobotFileParser(robots_url)
    parser.parse(result.content.decode("utf-8", "replace").splitlines())
    return _Robots(parser, False, now + ttl)


def allowed_by_robots(url: str) -> bool:
    """Whether the site's robots.txt lets veille fetch `url` (read once per host and day).

    A missing robots.txt (4xx) allows everything; one that cannot be read (5xx, network
    failure) allows nothing until it can, as RFC 9309 asks.
    """
    parts = urlsplit(url)
    origin = f"{parts.scheme.lower()}://{parts.netloc.lower()}"
    with _robots_lock:
        cached = _robots_cache.get(origin)
    if cached is None or cached.expires < time.monotonic():
        cached = _load_robots(origin + "/robots.txt")
        with _robots_lock:
            _robots_cache[origin] = cached
    if cached.disallow_all:
        return False
    if cached.parser is None:
        return True
    return cached.parser.can_fetch(ROBOTS_AGENT, url)


def clear_robots_cache() -> None:
    """Forget every robots.txt read so far."""
    with _robots_lock:
        _robots_cache.clear()


def _send(
    client: httpx.Client,
    method: str,
    url: str,
    headers: Mapping[str, str],
    timeout: float,
    content: bytes | None = None,
) -> httpx.Response:
    """One request, paced for its host, no redirect followed, the body not read yet; the
    address the socket reached passes the SSRF guard (else the response is closed)."""
    try:
        request = client.build_request(
            method, url, headers=headers, content=content, timeout=httpx.Timeout(timeout)
        )
        with limiter.slot(url):
            response = client.send(request, stream=True, follow_redirects=False)
    except httpx.InvalidURL as exc:
        raise FetchError(f"{url}: not a valid URL ({exc})", url=url) from None
    except httpx.HTTPError as exc:
        raise _translate(exc, url, timeout) from None
    peer = _peer_ip(response)
    if peer is not None:
        try:
            check_peer_address(peer, url)
        except BaseException:
            response.close()
            raise
    return response


def _fetch(
    client: httpx.Client,
    url: str,
    headers: dict[str, str],
    max_bytes: int,
    timeout: float,
    deadline: float,
) -> FetchResult:
    current = url
    for _hop in range(MAX_REDIRECTS + 1):
        try:
            check_url(current)
        except UnsafeURLError as exc:
            if current == url:
                raise
            # Name the source the user knows, not only where its server sent us.
            raise UnsafeURLError(f"{url}: redirected to {exc}") from None
        response = _send(client, "GET", current, headers, timeout)
        try:
            if response.status_code in REDIRECT_STATUSES:
                location = response.headers.get("location")
                if not location:
                    raise FetchError(
                        f"{current}: HTTP {response.status_code} redirect without a Location",
                        url=current,
                        status=response.status_code,
                    )
                current = urljoin(current, location.strip())
                continue
            if response.status_code == 304:
                return FetchResult(
                    url=current,
                    status=304,
                    content=b"",
                    headers=response.headers,
                    etag=response.headers.get("etag") or headers.get("If-None-Match"),
                    last_modified=(
                        response.headers.get("last-modified") or headers.get("If-Modified-Since")
                    ),
                    not_modified=True,
                )
            _raise_for_status(response, current)
            try:
                content = _read_body(response, current, max_bytes, deadline)
            except httpx.HTTPError as exc:
                raise _translate(exc, current, timeout) from None
            return FetchResult(
                url=current,
                status=response.status_code,
                content=content,
                headers=response.headers,
                etag=response.headers.get("etag"),
                last_modified=response.headers.get("last-modified"),
            )
        finally:
            response.close()
    raise FetchError(f"{url}: more than {MAX_REDIRECTS} redirects (last: {current})", url=url)
