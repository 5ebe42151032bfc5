"""Template filters for showing untrusted data safely."""

from __future__ import annotations

from urllib.parse import urlsplit

from django import template

register = template.Library()


@register.filter
def safe_http_url(value: object) -> str:
    """The URL itself if it is an absolute http(s) URL, else "".

    Anything with whitespace or control characters is refused outright, because
    browsers drop such characters inside a scheme ("java\\tscript:" runs as JavaScript).
    The result stays an ordinary string, so autoescaping still applies to it.
    """
    if not isinstance(value, str) or not value:
        return ""
    if any(char.isspace() or ord(char) < 0x20 or ord(char) == 0x7F for char in value):
        return ""
    try:
        parts = urlsplit(value)
    except ValueError:
        return ""
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
        return ""
    if not value.lower().startswith(("http://", "https://")):
        return ""
    return value
