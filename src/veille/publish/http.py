"""POST and GET of JSON to platform APIs, with the platform's own error in the message.

Both go through the collect client (veille.collect.http): post_once() for writes, never
retried and never redirected, since posting twice would publish the reply twice, and
fetch_json() for reads.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from veille.collect.base import CollectError
from veille.collect.http import FetchError, fetch_json, post_once

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
    body = json.dumps(payload, ensure_ascii=False).encode()
    request_headers = {"Accept": "application/json", "Content-Type": "application/json"}
    request_headers.update(headers or {})
    try:
        answer = post_once(
            url, body, headers=request_headers, timeout=timeout, max_bytes=MAX_ANSWER_BYTES
        )
    except CollectError as error:
        raise PlatformError(str(error), url=url) from None
    content, status = answer.content, answer.status
    if status >= 300:
        said = _platform_message(content)
        reason = f"HTTP {status} {answer.reason}".rstrip()
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
