"""The SSRF guard: a stranger's URL never makes us contact our own network.

Every refusal is checked against a "fake internet": the fetcher's socket layer is replaced by
one that records where each connection was meant to go and delivers it to a local test
server. So if the guard let a URL through, the connection would succeed, be recorded, and the
server would log the request - "nothing was sent" is observed, not assumed. Name lookups go
through an injected resolver, so no test touches real DNS or a real public address.
"""

from __future__ import annotations

import time
from dataclasses import replace
from types import SimpleNamespace

import httpcore
import pytest
from localserver import serve

import service.fetch.client as fetch_module
from service.config import Settings
from service.errors import (
    BlockedURLError,
    FetchError,
    HostNotFoundError,
    InvalidURLError,
    TooManyRedirectsError,
)
from service.fetch import check_url, fetch, normalize_url

PUBLIC = "93.184.216.34"  # passes ipaddress' is_global; never really contacted (see Internet)
PUBLIC_2 = "93.184.216.35"

GUARDED = Settings(allow_private_urls=False, fetch_timeout=3.0, fetch_deadline=5.0)


class Internet(httpcore.NetworkBackend):
    """Stands in for the real network: records each connect, delivers it to one local server."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.connects: list[tuple[str, int]] = []
        self._real = httpcore.SyncBackend()

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        self.connects.append((host, port))
        return self._real.connect_tcp("127.0.0.1", self.port, timeout=timeout, socket_options=socket_options)

    def connect_unix_socket(self, path, timeout=None, socket_options=None):
        raise AssertionError("the fetcher must never open a unix socket")

    def sleep(self, seconds):
        time.sleep(seconds)


class Resolver:
    """A DNS stand-in: name -> addresses, or a function of the call number (for rebinding)."""

    def __init__(self, table):
        self.table = table
        self.calls: list[str] = []

    def __call__(self, host: str, port: int):
        self.calls.append(host)
        answer = self.table.get(host)
        if answer is None:
            raise OSError(f"no such name: {host}")
        return answer(len([c for c in self.calls if c == host])) if callable(answer) else answer


@pytest.fixture
def web(monkeypatch):
    routes: dict = {}
    with serve(routes) as base:
        internet = Internet(int(base.rsplit(":", 1)[1]))
        monkeypatch.setattr(fetch_module, "_raw_backend", lambda: internet)
        yield SimpleNamespace(routes=routes, requests=base.requests, connects=internet.connects)


def _page(body: str = "<html><body><p>Berita hari ini.</p></body></html>"):
    return (200, {"Content-Type": "text/html; charset=utf-8"}, body)


# --- the fake internet itself works: without this the refusals below would prove nothing -------


def test_a_public_name_is_fetched_through_the_fake_internet(web):
    web.routes["/berita"] = _page()
    dns = Resolver({"news.example": [PUBLIC]})
    page = fetch("http://news.example/berita", GUARDED, resolver=dns)
    assert b"Berita hari ini" in page.body
    assert web.connects == [(PUBLIC, 80)]
    assert [r.path for r in web.requests] == ["/berita"]
    assert web.requests[0].header("host") == "news.example"


def test_check_url_returns_every_checked_address_and_sends_nothing(web):
    dns = Resolver({"news.example": [PUBLIC, PUBLIC_2, PUBLIC]})
    assert check_url("news.example/x", GUARDED, resolver=dns) == [PUBLIC, PUBLIC_2]
    assert check_url("http://[2606:4700::1111]/", GUARDED, resolver=dns) == ["2606:4700::1111"]
    assert check_url(f"http://[::ffff:{PUBLIC}]/", GUARDED, resolver=dns) == ["::ffff:5db8:d822"]
    assert web.connects == [] and web.requests == []


# --- refused before anything is sent ------------------------------------------------------------

INVALID = [
    "file:///etc/passwd",
    "ftp://news.example/berita.html",
    "gopher://news.example:70/_GET%20/",
    "data:text/html,<p>hi</p>",
    "javascript:alert(document.cookie)",
    "http:///berita",  # empty host
    "http://:80/",
    "http://news.example:99999/",
    "http://news.example:0/",
    "http://news.example/" + "a" * 2100,
    "http://\u2603.example/",  # IDNA-disallowed code point
    "http://xn--zz.example/",  # broken punycode
    "http://a@evil.example@127.0.0.1/",
    "http://user:secret@news.example/",
    "http://news.example\\@127.0.0.1/",
    "http://127.0.0.1\\@news.example/",
    "http://[fe80::1%25eth0]/",
    "http://1.2.3.999/",
]

BLOCKED_LITERALS = [
    "http://127.0.0.1/",
    "http://127.8.9.10/",
    "http://10.1.2.3/",
    "http://172.16.0.1/",
    "http://172.31.255.254/",
    "http://192.168.1.1/",
    "http://169.254.169.254/latest/meta-data/",
    "http://100.64.0.1/",
    "http://0.0.0.0/",
    "http://224.0.0.1/",
    "http://240.0.0.1/",
    "http://255.255.255.255/",
    "http://[::1]/",
    "http://[::]/",
    "http://[fe80::1]/",
    "http://[fc00::1]/",
    "http://[fd00:ec2::254]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:10.0.0.1]/",
    "http://[64:ff9b::a9fe:a9fe]/",  # NAT64 of 169.254.169.254
    "http://[64:ff9b::7f00:1]/",  # NAT64 of 127.0.0.1
    "http://[2002:7f00:1::1]/",  # 6to4 of 127.0.0.1
    "http://[::127.0.0.1]/",  # IPv4-compatible
    "http://2130706433/",
    "http://0x7f.1/",
    "http://127.1/",
    "http://0177.0.0.1/",
    "http://0x7f000001/",
    "http://\uff11\uff12\uff17.0.0.1/",  # full-width digits
    "http://localhost/",
    "http://localhost./",
    "http://LOCALHOST/",
    "http://api.localhost/",
    "http://metadata.google.internal/computeMetadata/v1/",
    "127.0.0.1/",  # scheme-less still guarded
]


@pytest.mark.parametrize("url", INVALID)
def test_unusable_urls_are_refused_without_contact(web, url):
    dns = Resolver({"news.example": [PUBLIC], "evil.example": [PUBLIC]})
    with pytest.raises(InvalidURLError):
        check_url(url, GUARDED, resolver=dns)
    with pytest.raises(InvalidURLError):
        fetch(url, GUARDED, resolver=dns)
    assert dns.calls == [] and web.connects == [] and web.requests == []


@pytest.mark.parametrize("url", BLOCKED_LITERALS)
def test_local_and_special_destinations_are_refused_without_contact(web, url):
    dns = Resolver({})  # literal addresses and refused names never reach DNS
    with pytest.raises(BlockedURLError):
        check_url(url, GUARDED, resolver=dns)
    with pytest.raises(BlockedURLError):
        fetch(url, GUARDED, resolver=dns)
    assert dns.calls == [] and web.connects == [] and web.requests == []


@pytest.mark.parametrize(
    "answer",
    [
        ["127.0.0.1"],
        ["10.0.0.7"],
        ["192.168.0.10"],
        ["169.254.169.254"],
        ["100.64.1.1"],
        ["::1"],
        ["fe80::1%eth0"],
        ["::ffff:10.0.0.1"],
        ["64:ff9b::a9fe:a9fe"],
        [PUBLIC, "10.0.0.7"],  # one private answer spoils the name
        ["10.0.0.7", PUBLIC],
    ],
)
def test_a_name_resolving_to_any_private_address_is_refused(web, answer):
    dns = Resolver({"intranet.example": answer})
    with pytest.raises(BlockedURLError) as info:
        fetch("http://intranet.example/", GUARDED, resolver=dns)
    assert web.connects == [] and web.requests == []
    message = str(info.value)
    assert "intranet.example" in message
    assert "Paste the article text" in message or "metadata" in message
    assert all(address.split("%")[0] not in message for address in answer)  # no internal map leaks


def test_private_network_message_tells_the_user_what_to_do():
    with pytest.raises(BlockedURLError, match="private network.*Paste the article text instead"):
        check_url("http://192.168.1.1/", GUARDED)


def test_ports_other_than_the_allowed_ones_are_refused_before_dns(web):
    dns = Resolver({"news.example": [PUBLIC]})
    with pytest.raises(BlockedURLError, match="port 8080"):
        fetch("http://news.example:8080/", GUARDED, resolver=dns)
    assert dns.calls == [] and web.connects == []
    only_https = replace(GUARDED, allowed_ports=(443,))
    with pytest.raises(BlockedURLError):
        check_url("http://news.example/", only_https, resolver=dns)


def test_allow_private_opens_the_intranet_but_not_other_schemes_or_cloud_metadata(web):
    intranet = replace(GUARDED, allow_private_urls=True)
    dns = Resolver({"metadata.google.internal": [PUBLIC], "wiki.corp": ["10.0.0.5"]})
    assert check_url("http://wiki.corp:8080/", intranet, resolver=dns) == ["10.0.0.5"]
    assert check_url("http://localhost:3000/", intranet, resolver=Resolver({"localhost": ["127.0.0.1"]}))
    with pytest.raises(InvalidURLError):
        check_url("file:///etc/passwd", intranet)
    for url in ("http://169.254.169.254/", "http://[fd00:ec2::254]/", "http://[64:ff9b::a9fe:a9fe]/",
                "http://metadata.google.internal/"):
        with pytest.raises(BlockedURLError, match="metadata"):
            fetch(url, intranet, resolver=dns)
    assert web.connects == [] and web.requests == []


# Cloud metadata hidden in IPv6 transition addresses. With the switch off these ranges are refused
# as a whole; with it on they are allowed, so the metadata check must look inside them.
METADATA_IN_DISGUISE = [
    "::ffff:169.254.169.254",  # IPv4-mapped
    "::ffff:0:a9fe:a9fe",  # IPv4-translated (SIIT)
    "::a9fe:a9fe",  # IPv4-compatible
    "64:ff9b::a9fe:a9fe",  # NAT64, well-known prefix
    "64:ff9b:1::a9fe:a9fe",  # NAT64, local-use prefix of length /96
    "64:ff9b:1:a9fe:a9:fe00::",  # ... of length /48
    "64:ff9b:1:a9:fe:a9fe::",  # ... of length /56
    "64:ff9b:1:0:a9:fea9:fe00:0",  # ... of length /64
    "2002:a9fe:a9fe::1",  # 6to4 of 169.254.169.254
    "2002:a9fe:aa02::",  # 6to4 of 169.254.170.2 (ECS task metadata)
    "2002:6464:64c8:1::5",  # 6to4 of 100.100.100.200 (Alibaba)
    "2001:0:a9fe:a9fe:8000:63bf:34ff:8efa",  # Teredo with 169.254.169.254 as server
    "2001:0:4136:e378:8000:63bf:5601:5601",  # Teredo with 169.254.169.254 as (obfuscated) client
]


@pytest.mark.parametrize("address", METADATA_IN_DISGUISE)
def test_cloud_metadata_inside_a_transition_address_is_refused_even_for_the_intranet(web, address):
    intranet = replace(GUARDED, allow_private_urls=True)
    with pytest.raises(BlockedURLError, match="metadata"):
        fetch(f"http://[{address}]/", intranet, resolver=Resolver({}))
    with pytest.raises(BlockedURLError, match="metadata"):
        fetch("http://cloud.example/", intranet, resolver=Resolver({"cloud.example": [address]}))
    with pytest.raises(BlockedURLError, match="metadata"):  # and with the switch off, the reason is right
        check_url(f"http://[{address}]/", GUARDED, resolver=Resolver({}))
    assert web.connects == [] and web.requests == []


@pytest.mark.parametrize(
    "address",
    ["2002:c000:201::1", "2001:0:4136:e378:8000:63bf:3fff:fdd2", "64:ff9b::a00:1", "::ffff:c0a8:101"],
    ids=["6to4", "teredo", "nat64", "mapped"],
)
def test_the_intranet_switch_still_allows_transition_addresses_that_are_not_metadata(address):
    intranet = replace(GUARDED, allow_private_urls=True)
    assert check_url(f"http://[{address}]/", intranet, resolver=Resolver({})) == [address]


# --- DNS rebinding: the connection goes to the address that was checked ----------------------------


def test_dns_rebinding_cannot_move_the_connection_after_the_check(web):
    web.routes["/"] = _page()
    # First answer public (passes the check), every later answer loopback: a fetcher that
    # resolved again when connecting would connect to 127.0.0.1 and the record would show it.
    dns = Resolver({"rebind.example": lambda n: [PUBLIC] if n == 1 else ["127.0.0.1"]})
    page = fetch("http://rebind.example/", GUARDED, resolver=dns)
    assert page.status == 200
    assert dns.calls == ["rebind.example"]
    assert web.connects == [(PUBLIC, 80)]
    assert web.requests[0].header("host") == "rebind.example"


def test_each_redirect_hop_is_resolved_and_checked_again(web):
    web.routes["/start"] = (302, {"Location": "http://other.example/end"}, b"")
    web.routes["/end"] = _page()
    dns = Resolver({"news.example": [PUBLIC], "other.example": [PUBLIC_2]})
    page = fetch("http://news.example/start", GUARDED, resolver=dns)
    assert page.url == "http://other.example/end"
    assert dns.calls == ["news.example", "other.example"]
    assert web.connects == [(PUBLIC, 80), (PUBLIC_2, 80)]


@pytest.mark.parametrize(
    "location",
    [
        "http://127.0.0.1/admin",
        "http://[::1]/admin",
        "//127.0.0.1/admin",
        "http://2130706433/admin",
        "http://localhost/admin",
        "http://intranet.example/admin",  # resolves to 10.0.0.7
        "http://169.254.169.254/latest/meta-data/",
        "http://news.example:8080/admin",  # disallowed port
        "file:///etc/passwd",
        "gopher://news.example/admin",
        "http://u:p@news.example/admin",
    ],
)
def test_a_redirect_into_the_private_network_is_refused(web, location):
    # The first hop is a "public" site (really the local server, via the fake internet); it
    # redirects inward. Had the fetcher followed, /admin would show up in the server's log.
    web.routes["/"] = (302, {"Location": location}, b"")
    web.routes["/admin"] = _page("secret")
    dns = Resolver({"news.example": [PUBLIC], "intranet.example": ["10.0.0.7"]})
    with pytest.raises((BlockedURLError, InvalidURLError), match="redirected"):
        fetch("http://news.example/", GUARDED, resolver=dns)
    assert [r.path for r in web.requests] == ["/"]
    assert web.connects == [(PUBLIC, 80)]


def test_redirect_loops_between_public_sites_are_detected(web):
    web.routes["/a"] = (302, {"Location": "http://other.example/b"}, b"")
    web.routes["/b"] = (302, {"Location": "http://news.example/a"}, b"")
    dns = Resolver({"news.example": [PUBLIC], "other.example": [PUBLIC_2]})
    with pytest.raises(TooManyRedirectsError, match="loop"):
        fetch("http://news.example/a", GUARDED, resolver=dns)
    assert [r.path for r in web.requests] == ["/a", "/b"]


def test_a_name_that_does_not_resolve_is_a_clear_fetch_error(web):
    with pytest.raises(HostNotFoundError, match="could not be found"):
        fetch("http://nowhere.example/", GUARDED, resolver=Resolver({}))
    with pytest.raises(HostNotFoundError, match="could not be found"):
        fetch("http://empty.example/", GUARDED, resolver=Resolver({"empty.example": []}))
    assert web.connects == []


# --- normalisation ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("kompas.com/x", "https://kompas.com/x"),
        ("  www.kompas.com/read/2024/01/02/berita  \n", "https://www.kompas.com/read/2024/01/02/berita"),
        ("kompas.com", "https://kompas.com/"),
        ("kompas.com:8443/x", "https://kompas.com:8443/x"),
        ("//kompas.com/x", "https://kompas.com/x"),
        ("HTTP://Kompas.COM:80/a b#comments", "http://kompas.com/a%20b"),
        ("https://bücher.example/", "https://xn--bcher-kva.example/"),
        ("http://0x7f.1/", "http://127.0.0.1/"),
    ],
)
def test_normalize_url(given, expected):
    assert normalize_url(given) == expected


def test_scheme_less_input_is_fetched_over_https(web):
    dns = Resolver({"kompas.example": [PUBLIC]})
    # The local server speaks plain HTTP and waits for a request line, so the TLS handshake times out
    # (after the connect, which is what this test is about).
    with pytest.raises(FetchError):
        fetch("kompas.example/x", replace(GUARDED, fetch_timeout=0.3), resolver=dns)
    assert web.connects == [(PUBLIC, 443)]
