"""The polite HTTP client every connector uses: one GET, guarded, bounded and conditional.

fetch() identifies veille in its User-Agent, sends If-None-Match / If-Modified-Since,
follows redirects itself so that every hop passes the SSRF guard, checks the address the
socket really reached, and stops reading at a hard size limit. Each failure becomes a
FetchError that names the URL and what happened; `transient` says whether trying again
later may help, which is what a retry policy will need.
"""

from __future__ import annotations

import functools
import ssl
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urljoin

import httpx
from django.conf import settings

import veille
from veille.collect.base import CollectError
from veille.collect.ssrf import UnsafeURLError, check_peer_address, check_url

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


def fetch(
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    max_bytes: int | None = None,
    timeout: float | None = None,
    accept: str | None = None,
    client: httpx.Client | None = None,
) -> FetchResult:
    """GET `url` politely and safely; raise FetchError or UnsafeURLError when it fails.

    `max_bytes` and `timeout` default to VEILLE_MAX_FEED_BYTES and VEILLE_HTTP_TIMEOUT.
    A 304 answer to the conditional request gives `not_modified=True` and no content.
    `client` lets a caller share connections between fetches; its redirect and proxy
    settings are ignored because fetch() follows redirects itself.
    """
    if max_bytes is None:
        max_bytes = int(getattr(settings, "VEILLE_MAX_FEED_BYTES", 10 * 1024 * 1024))
    if timeout is None:
        timeout = float(getattr(settings, "VEILLE_HTTP_TIMEOUT", 20.0))
    headers = {"User-Agent": user_agent(), "Accept": accept or DEFAULT_ACCEPT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified

    owns_client = client is None
    if client is None:
        # trust_env=False: a proxy from the environment would hide the real peer address
        # from the SSRF guard.
        client = httpx.Client(
            timeout=httpx.Timeout(timeout), verify=_ssl_context(), trust_env=False
        )
    deadline = time.monotonic() + TOTAL_TIMEOUT_FACTOR * timeout
    try:
        return _fetch(client, url, headers, max_bytes, timeout, deadline)
    finally:
        if owns_client:
            client.close()


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
        try:
            request = client.build_request(
                "GET", current, headers=headers, timeout=httpx.Timeout(timeout)
            )
            response = client.send(request, stream=True, follow_redirects=False)
        except httpx.InvalidURL as exc:
            raise FetchError(f"{current}: not a valid URL ({exc})", url=current) from None
        except httpx.HTTPError as exc:
            raise _translate(exc, current, timeout) from None
        try:
            peer = _peer_ip(response)
            if peer is not None:
                check_peer_address(peer, current)
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
