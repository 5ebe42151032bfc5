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

_HINT = (
    "list the host in VEILLE_ALLOWED_PRIVATE_HOSTS"
    " or set VEILLE_ALLOW_PRIVATE_URLS=1 only for local testing"
)


class UnsafeURLError(CollectError):
    """A URL veille refuses to fetch (wrong scheme, credentials, or a non-public address)."""


def private_urls_allowed() -> bool:
    """Whether the guard lets private, loopback and link-local addresses through."""
    return bool(getattr(settings, "VEILLE_ALLOW_PRIVATE_URLS", False))


def _normal_host(host: str) -> str:
    """`host` lower-cased, without IPv6 brackets, an IP address in its canonical form."""
    host = host.strip().strip("[]").lower()
    address = _parse_ip(host)
    return str(address) if address is not None else host


def allowed_private_hosts() -> frozenset[tuple[str, int | None]]:
    """The (host, port or None for any port) pairs VEILLE_ALLOWED_PRIVATE_HOSTS names.

    Entries are host names or IP addresses, each optionally with a port: "127.0.0.1",
    "localhost:8080", "[::1]:8080". Raises CollectError on an entry that cannot be read.
    """
    entries = getattr(settings, "VEILLE_ALLOWED_PRIVATE_HOSTS", None) or []
    if isinstance(entries, str):
        entries = entries.split(",")
    allowed: set[tuple[str, int | None]] = set()
    for raw in entries:
        entry = raw.strip()
        if not entry:
            continue
        if _parse_ip(entry) is not None:  # a bare IPv6 address has colons but no port
            allowed.add((_normal_host(entry), None))
            continue
        try:
            parts = urlsplit(f"//{entry}")
            port = parts.port
        except ValueError as exc:
            raise CollectError(
                f"VEILLE_ALLOWED_PRIVATE_HOSTS: cannot read {entry!r} ({exc})"
            ) from None
        if not parts.hostname or parts.path or parts.query or parts.username is not None:
            raise CollectError(
                f"VEILLE_ALLOWED_PRIVATE_HOSTS: {entry!r} is not a host name or IP address,"
                " optionally with :port"
            )
        allowed.add((_normal_host(parts.hostname), port))
    return frozenset(allowed)


def _host_allowed(parts: SplitResult) -> bool:
    """Whether the URL's own host (as written, not as resolved) is listed as allowed."""
    allowed = allowed_private_hosts()
    if not allowed:
        return False
    host = _normal_host(parts.hostname or "")
    port = parts.port or DEFAULT_PORTS[parts.scheme.lower()]
    return (host, None) in allowed or (host, port) in allowed


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
    host checks apply; so it is for a URL whose host (and port, when the entry has one) is
    listed in VEILLE_ALLOWED_PRIVATE_HOSTS. The host is matched as written in the URL:
    listing 127.0.0.1 does not let "localhost" or any other name that resolves to it pass.
    """
    parts = split_url(url)
    if private_urls_allowed() or _host_allowed(parts):
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
    rebinding), so the socket's peer address is checked too. A URL whose host is listed
    in VEILLE_ALLOWED_PRIVATE_HOSTS may reach the private address that host has.
    """
    if private_urls_allowed() or _host_allowed(split_url(url)):
        return
    address = _parse_ip(ip)
    if address is None:
        raise UnsafeURLError(f"{url}: connected to an unparseable address {ip!r}")
    reason = unsafe_reason(address)
    if reason is not None:
        raise _refuse(url, ip, reason)
