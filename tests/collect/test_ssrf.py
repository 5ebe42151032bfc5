"""The SSRF guard refuses what veille must never fetch."""

import ipaddress

import pytest
from pytest_django.fixtures import Settings

from veille.collect.base import CollectError
from veille.collect.ssrf import UnsafeURLError, check_peer_address, check_url, unsafe_reason


@pytest.fixture
def strict(settings: Settings) -> None:
    settings.VEILLE_ALLOW_PRIVATE_URLS = False


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("file:///etc/passwd", "scheme 'file' is not allowed"),
        ("ftp://ftp.example.org/feed.xml", "scheme 'ftp' is not allowed"),
        ("gopher://127.0.0.1:11211/", "scheme 'gopher' is not allowed"),
        ("example.org/feed", "no scheme is not allowed"),
        ("http://user:secret@example.org/feed", "credentials"),
        ("http:///feed.xml", "no host name"),
        ("http://example.org:99999/", "not a valid URL"),
    ],
)
def test_never_fetchable_urls_are_refused_even_when_private_urls_are_allowed(
    url: str, why: str
) -> None:
    with pytest.raises(UnsafeURLError) as info:
        check_url(url)
    assert str(info.value).startswith(url)
    assert why in str(info.value)


@pytest.mark.usefixtures("strict")
@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1/", "loopback"),
        ("http://127.1:8080/feed", "loopback"),  # shorthand the resolver expands
        ("http://2130706433/", "loopback"),  # 127.0.0.1 as one decimal number
        ("http://localhost/", "loopback"),
        ("http://[::1]/", "loopback"),
        ("http://[::ffff:127.0.0.1]/", "loopback"),  # IPv4-mapped IPv6
        ("http://10.1.2.3/", "private"),
        ("https://192.168.0.1/admin", "private"),
        ("http://172.16.5.4/", "private"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),  # cloud metadata
        ("http://[fe80::1]/", "link-local"),
        ("http://0.0.0.0/", "unspecified"),
        ("http://224.0.0.1/", "multicast"),
        ("http://100.64.0.1/", "non-public"),  # carrier-grade NAT
        ("http://[fc00::1]/", "private"),
        ("http://[2002:7f00:1::]/", "loopback"),  # 6to4 wrapping 127.0.0.1
    ],
)
def test_non_public_addresses_are_refused(url: str, reason: str) -> None:
    with pytest.raises(UnsafeURLError) as info:
        check_url(url)
    message = str(info.value)
    assert message.startswith(f"{url}: resolves to")
    assert f"{reason} address" in message
    assert "VEILLE_ALLOW_PRIVATE_URLS=1 only for local testing" in message


def test_the_message_names_url_reason_and_the_way_out(strict: None) -> None:
    with pytest.raises(UnsafeURLError) as info:
        check_url("http://127.0.0.1/")
    assert str(info.value) == (
        "http://127.0.0.1/: resolves to a loopback address 127.0.0.1;"
        " list the host in VEILLE_ALLOWED_PRIVATE_HOSTS"
        " or set VEILLE_ALLOW_PRIVATE_URLS=1 only for local testing"
    )


def test_private_addresses_pass_when_allowed() -> None:
    check_url("http://127.0.0.1:8000/feed.xml")
    check_url("http://[::1]/")
    check_peer_address("10.0.0.1", "http://intranet.example/")


@pytest.mark.usefixtures("strict")
def test_public_ip_literals_pass() -> None:
    check_url("http://93.184.215.14/feed.xml")
    check_url("https://[2606:4700:4700::1111]/")


def test_unresolvable_host_is_a_collect_error(strict: None) -> None:
    with pytest.raises(CollectError) as info:
        check_url("http://no-such-host.invalid/feed")
    assert "http://no-such-host.invalid/feed: cannot resolve host" in str(info.value)


@pytest.mark.usefixtures("strict")
@pytest.mark.parametrize("ip", ["127.0.0.1", "::1", "::ffff:10.0.0.8", "fe80::1%eth0"])
def test_peer_address_check_refuses_rebound_connections(ip: str) -> None:
    with pytest.raises(UnsafeURLError) as info:
        check_peer_address(ip, "http://rebound.example/feed")
    assert str(info.value).startswith("http://rebound.example/feed: resolves to")


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("8.8.8.8", None),
        ("2001:4860:4860::8888", None),
        ("192.0.2.1", "private"),  # TEST-NET documentation range
        ("240.0.0.1", "private"),  # reserved, which Python also lists as private
        ("::ffff:8.8.8.8", None),
    ],
)
def test_unsafe_reason(address: str, expected: str | None) -> None:
    assert unsafe_reason(ipaddress.ip_address(address)) == expected
