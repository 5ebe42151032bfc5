"""POST and GET of JSON to platform APIs, through the collect client's guard and pacing.

Reads use veille.collect.http.fetch_json as they are. Writes need a POST, which the
collect client does not do, so post_json() is built here from the same parts: the SSRF
guard before the request and on the address really reached, the per-host limiter, the
veille User-Agent, the body size limit and the timeouts. A POST is never retried and
never follows a redirect: posting twice would publish the reply twice.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from typing import Any

import httpx
from django.conf import settings

from veille.collect.base import CollectError
from veille.collect.http import (
    TOTAL_TIMEOUT_FACTOR,
    FetchError,
    _peer_ip,
    _read_body,
    _ssl_context,
    _translate,
    fetch_json,
    limiter,
    user_agent,
)
from veille.collect.ssrf import check_peer_address, check_url

MAX_ANSWER_BYTES = 1024 * 1024


class PlatformError(Exception):
    """A platform refused or failed a request; `status` is its HTTP status, if any."""

    def __init__(self, message: str, *, url: str, status: int | None = None) -> None:
        super().__init__(message)
        self.url = url
        self.status = status


def _platform_message(content: bytes) -> str:
    """The error text a Mastodon ("error") or atproto ("message") answer carries."""
    try:
        document = json.loads(content)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return ""
    if not isinstance(document, dict):
        return ""
    for key in ("error_description", "error", "message"):
        value = document.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()[:300]
    return ""


def post_json(
    url: str,
    payload: Mapping[str, Any],
    *,
    headers: Mapping[str, str] | None = None,
    timeout: float | None = None,
) -> Any:
    """POST `payload` as JSON to `url` and decode the JSON answer, once, no redirects."""
    if timeout is None:
        timeout = float(getattr(settings, "VEILLE_HTTP_TIMEOUT", 20.0))
    try:
        check_url(url)
    except CollectError as error:
        raise PlatformError(str(error), url=url) from None
    request_headers = {
        "User-Agent": user_agent(),
        "Accept": "application/json",
        "Content-Type": "application/json",
    }
    request_headers.update(headers or {})
    body = json.dumps(payload, ensure_ascii=False).encode()
    deadline = time.monotonic() + TOTAL_TIMEOUT_FACTOR * timeout
    with httpx.Client(
        timeout=httpx.Timeout(timeout), verify=_ssl_context(), trust_env=False
    ) as client:
        try:
            request = client.build_request("POST", url, headers=request_headers, content=body)
            with limiter.slot(url):
                response = client.send(request, stream=True, follow_redirects=False)
        except httpx.InvalidURL as exc:
            raise PlatformError(f"{url}: not a valid URL ({exc})", url=url) from None
        except httpx.HTTPError as exc:
            raise PlatformError(str(_translate(exc, url, timeout)), url=url) from None
        try:
            peer = _peer_ip(response)
            if peer is not None:
                check_peer_address(peer, url)
            try:
                content = _read_body(response, url, MAX_ANSWER_BYTES, deadline)
            except httpx.HTTPError as exc:
                raise PlatformError(str(_translate(exc, url, timeout)), url=url) from None
            status = response.status_code
        except CollectError as error:
            raise PlatformError(str(error), url=url) from None
        finally:
            response.close()
    if status >= 300:
        said = _platform_message(content)
        reason = f"HTTP {status} {response.reason_phrase or ''}".rstrip()
        raise PlatformError(
            f"{url}: {reason}" + (f" ({said})" if said else ""), url=url, status=status
        )
    try:
        return json.loads(content)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise PlatformError(f"{url}: the answer is not JSON", url=url, status=status) from None


def get_json(
    url: str, *, params: Mapping[str, Any] | None = None, headers: Mapping[str, str] | None = None
) -> Any:
    """fetch_json() with its errors as PlatformError."""
    try:
        return fetch_json(url, params=params, headers=headers)
    except FetchError as error:
        raise PlatformError(str(error), url=error.url, status=error.status) from None
    except CollectError as error:
        raise PlatformError(str(error), url=url) from None
