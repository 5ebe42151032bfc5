"""The SSRF guard: veille only fetches public http(s) URLs unless told otherwise.

Every URL we fetch comes from someone else (a source a user typed, a redirect a server
sent, a link inside a feed), so each one is checked before the request is made, and the
address the connection actually reached is checked again afterwards (DNS rebinding).
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import SplitResult, urlsplit

from django.conf import settings

from veille.collect.base import CollectError

ALLOWED_SCHEMES = frozenset({"http", "https"})
DEFAULT_PORTS = {"http": 80, "https": 443}

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_HINT = "set VEILLE_ALLOW_PRIVATE_URLS=1 only for local testing"


class UnsafeURLError(CollectError):
    """A URL veille refuses to fetch (wrong scheme, credentials, or a non-public address)."""


def private_urls_allowed() -> bool:
    """Whether the guard lets private, loopback and link-local addresses through."""
    return bool(getattr(settings, "VEILLE_ALLOW_PRIVATE_URLS", False))


def split_url(url: str) -> SplitResult:
    """Split `url`, refusing what is never fetchable whatever the settings say."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 -- raises ValueError on a bad port
    except ValueError as exc:
        raise UnsafeURLError(f"{url}: not a valid URL ({exc})") from None
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        shown = f"scheme {scheme!r}" if scheme else "no scheme"
        raise UnsafeURLError(f"{url}: {shown} is not allowed; only http and https are fetched")
    if parts.username is not None or parts.password is not None:
        raise UnsafeURLError(f"{url}: URLs with credentials (user:password@) are not fetched")
    if not parts.hostname:
        raise UnsafeURLError(f"{url}: no host name")
    return parts


def unsafe_reason(address: IPAddress) -> str | None:
    """Why `address` is not a public unicast address, or None when it is one."""
    if isinstance(address, ipaddress.IPv6Address):
        # An IPv6 address can carry an IPv4 one that the kernel will really connect to.
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address.teredo:
            embedded = address.teredo[1]
        if embedded is not None:
            return unsafe_reason(embedded)
    if address.is_loopback:
        return "loopback"
    if address.is_unspecified:
        return "unspecified"
    if address.is_link_local:
        return "link-local"
    if address.is_multicast:
        return "multicast"
    if address.is_private:
        return "private"
    if address.is_reserved:
        return "reserved"
    if not address.is_global:
        return "non-public"
    return None


def _parse_ip(text: str) -> IPAddress | None:
    # getaddrinfo may append an IPv6 zone ("fe80::1%eth0"); ip_address() wants it without.
    try:
        return ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return None


def _refuse(url: str, ip: str, reason: str) -> UnsafeURLError:
    article = "an" if reason[0] in "aeiou" else "a"
    return UnsafeURLError(f"{url}: resolves to {article} {reason} address {ip}; {_HINT}")


def check_url(url: str) -> None:
    """Refuse `url` unless it is http(s), has no credentials and every address is public.

    Raises UnsafeURLError (a CollectError) saying why; raises CollectError when the host
    name does not resolve. With VEILLE_ALLOW_PRIVATE_URLS only the scheme, credentials and
    host checks apply.
    """
    parts = split_url(url)
    if private_urls_allowed():
        return
    host = parts.hostname or ""
    port = parts.port or DEFAULT_PORTS[parts.scheme.lower()]
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise CollectError(f"{url}: cannot resolve host {host!r} ({exc})") from None
    if not infos:
        raise CollectError(f"{url}: host {host!r} has no address")
    for *_, sockaddr in infos:
        ip = str(sockaddr[0])
        address = _parse_ip(ip)
        if address is None:
            raise UnsafeURLError(f"{url}: resolves to an unparseable address {ip!r}")
        reason = unsafe_reason(address)
        if reason is not None:
            raise _refuse(url, ip, reason)


def check_peer_address(ip: str, url: str) -> None:
    """Refuse the address a connection for `url` actually reached, if it is not public.

    The name may have resolved differently between check_url and the connection (DNS
    rebinding), so the socket's peer address is checked too.
    """
    if private_urls_allowed():
        return
    address = _parse_ip(ip)
    if address is None:
        raise UnsafeURLError(f"{url}: connected to an unparseable address {ip!r}")
    reason = unsafe_reason(address)
    if reason is not None:
        raise _refuse(url, ip, reason)
