"""Fetch one web page for a stranger without letting them aim us at our own network (SSRF).

The only module that talks HTTP. A URL is refused *before anything is sent* unless it is
http(s), on an allowed port, and every address its name resolves to is a public address.
The connection then goes to exactly the address that was checked (a DNS answer that changes
between check and connect - "DNS rebinding" - cannot redirect us), while the Host header, TLS
SNI and certificate check still use the name. Redirects are followed by hand, each hop checked
the same way. Size, time and compression are bounded while streaming, not after.

Decisions worth knowing:
- URLs with a user name/password (anything before '@' in the authority) or with a backslash are
  refused outright: parsers disagree on them, and news links never need them.
- Numeric host spellings (`2130706433`, `0x7f.1`, `127.1`, `0177.0.0.1`) are read the way a
  browser reads them (WHATWG URL rules), so the address check sees the address they really mean.
- Cloud metadata endpoints are refused even with `allow_private_urls` (an intranet switch,
  not a "read my cloud credentials" switch).
- Error messages name the host the user gave but never an address it resolved to, so the
  service cannot be used to map an internal network through its error messages.
- A Retry-After longer than `_MAX_RETRY_WAIT` is not waited for: we report the status instead
  of retrying early against the server's wish or holding a worker for minutes.
- Page content is never logged.
"""

from __future__ import annotations

import contextlib
import functools
import ipaddress
import logging
import re
import socket
import ssl
import threading
import time
import zlib
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Callable, Iterator, NamedTuple, Sequence
from urllib.parse import quote, urljoin

import httpcore
import httpx
import idna

from .config import Settings
from .errors import (
    BlockedURLError,
    FetchError,
    FetchTimeoutError,
    HTTPStatusError,
    InvalidURLError,
    ResponseTooLargeError,
    TooManyRedirectsError,
    UnsupportedContentError,
)

__all__ = ["FetchedPage", "Resolver", "check_url", "fetch", "normalize_url"]

log = logging.getLogger(__name__)

Resolver = Callable[[str, int], Sequence[str]]
"""(host, port) -> IP address strings. The default asks the system (socket.getaddrinfo)."""


@dataclass(frozen=True)
class FetchedPage:
    url: str  # final URL after redirects
    requested_url: str
    status: int
    content_type: str  # lower-case media type, e.g. "text/html"
    charset: str | None  # charset parameter of the Content-Type header (lower-cased), if any
    body: bytes  # after Content-Encoding decoding, never more than settings.max_body_bytes


MAX_URL_CHARS = 2048
_MAX_RETRY_WAIT = 5.0  # seconds; a longer Retry-After is reported, not waited for
_DEFAULT_RETRY_WAIT = 1.0
_MAX_ENCODINGS = 2
_CHUNK = 64 * 1024
_REDIRECT_STATUSES = {301, 302, 303, 307, 308}
_RETRY_STATUSES = {429, 502, 503, 504}
_PAGE_TYPES = {"text/html", "application/xhtml+xml", "text/plain"}
_DEFAULT_PORTS = {"http": 80, "https": 443}

_PASTE = "Paste the article text instead."
_MSG_DEADLINE = (
    "Reading the page took longer than the time allowed. The site may be slow or overloaded: "
    "try again later, or paste the article text instead."
)

# ---------------------------------------------------------------------------------------------
# URL normalisation: one canonical spelling, so the check and the request see the same URL.
# ---------------------------------------------------------------------------------------------


class _Target(NamedTuple):
    url: str
    scheme: str
    host: str  # lower-case ASCII name, dotted IPv4, or IPv6 without brackets
    port: int
    ip: ipaddress.IPv4Address | ipaddress.IPv6Address | None  # set when the host is an address


_SCHEME_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):(.*)$", re.DOTALL)
_PORT_THEN_PATH_RE = re.compile(r"^[0-9]+(?:[/?#]|$)")
_LABEL_RE = re.compile(r"^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$")
_BAD_PERCENT_RE = re.compile(r"%(?![0-9A-Fa-f]{2})")
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"
_QUERY_SAFE = _PATH_SAFE + "?"


def normalize_url(url: str) -> str:
    """Canonical http(s) URL for what a user typed or pasted; scheme-less input means https."""
    return _normalize(url).url


def _normalize(url: str) -> _Target:
    if not isinstance(url, str):
        raise InvalidURLError("Please give the article's web address as text.")
    text = url.strip()
    if not text:
        raise InvalidURLError("Please enter the article's web address, e.g. https://www.kompas.com/...")
    if len(text) > MAX_URL_CHARS:
        raise InvalidURLError(
            f"This web address is longer than {MAX_URL_CHARS} characters, which no news article needs. "
            "Check that you copied only the address."
        )
    if "\\" in text:
        raise InvalidURLError(
            "This web address contains a backslash (\\), which real web addresses do not use. "
            "Copy the address again from the browser's address bar."
        )
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in text):
        raise InvalidURLError(
            "This web address contains control characters. Copy it again from the address bar."
        )

    if text.startswith("//"):
        text = "https:" + text
    m = _SCHEME_RE.match(text)
    if m and not _PORT_THEN_PATH_RE.match(m.group(2)):  # "kompas.com:443/x" is a host, not a scheme
        scheme, rest = m.group(1).lower(), m.group(2)
    else:
        scheme, rest = "https", "//" + text
    if scheme not in _DEFAULT_PORTS:
        raise InvalidURLError(
            f"Only web addresses starting with http:// or https:// can be read; this one starts with "
            f"'{scheme}:'. Give the address of the article's web page."
        )
    if not rest.startswith("//"):
        raise InvalidURLError("This web address has no site name after 'http://' or 'https://'.")

    authority, path, query = _split_rest(rest[2:])
    if "@" in authority:
        raise InvalidURLError(
            "This web address contains a user name or password (the part before '@'), which this "
            "service does not send. Remove it, or give the article's address without it."
        )
    host_text, port = _split_authority(authority, scheme)
    host, ip = _canonical_host(host_text)

    host_part = f"[{host}]" if isinstance(ip, ipaddress.IPv6Address) else host
    port_part = "" if port == _DEFAULT_PORTS[scheme] else f":{port}"
    path = _quote(path or "/", _PATH_SAFE)
    query_part = "" if query is None else "?" + _quote(query, _QUERY_SAFE)
    canonical = f"{scheme}://{host_part}{port_part}{path}{query_part}"
    if len(canonical) > MAX_URL_CHARS:
        raise InvalidURLError(
            f"This web address is longer than {MAX_URL_CHARS} characters once spelled out, which no news "
            "article needs. Check that you copied only the address."
        )
    return _Target(canonical, scheme, host, port, ip)


def _split_rest(rest: str) -> tuple[str, str, str | None]:
    """Split 'authority/path?query#fragment'; the fragment is dropped (it is never sent)."""
    rest = rest.split("#", 1)[0]
    end = min((i for i in (rest.find("/"), rest.find("?")) if i >= 0), default=len(rest))
    authority, tail = rest[:end], rest[end:]
    path, sep, query = tail.partition("?")
    return authority, path, (query if sep else None)


def _split_authority(authority: str, scheme: str) -> tuple[str, int]:
    if authority.startswith("["):
        close = authority.find("]")
        if close < 0:
            raise InvalidURLError("This web address has an unclosed '[' in its site name.")
        host, after = authority[: close + 1], authority[close + 1 :]
        if after and not after.startswith(":"):
            raise InvalidURLError("This web address has text after the ']' of its site address.")
        port_text = after[1:] if after else ""
    else:
        host, sep, port_text = authority.partition(":")
        if ":" in port_text:
            raise InvalidURLError("This web address has more than one ':' in its site name.")
    if not host:
        raise InvalidURLError(
            "This web address has no site name. It should look like https://www.kompas.com/..."
        )
    if port_text == "":
        return host, _DEFAULT_PORTS[scheme]
    if not (port_text.isascii() and port_text.isdigit()) or not 1 <= int(port_text) <= 65535:
        raise InvalidURLError(
            f"This web address has an invalid port ':{port_text[:10]}'; a port is a number from 1 to 65535. "
            "Most addresses need none."
        )
    return host, int(port_text)


def _canonical_host(host: str) -> tuple[str, ipaddress.IPv4Address | ipaddress.IPv6Address | None]:
    """Lower-case ASCII host (IDNA), or the address a numeric/bracketed host really means."""
    bad_name = (
        "The site name in this web address is not a valid domain name. Check it for typos "
        "or copy the address again."
    )
    if host.startswith("["):
        inner = host[1:-1]
        if "%" in inner:
            raise InvalidURLError("This web address names a network interface ('%'), which is not allowed.")
        try:
            v6 = ipaddress.IPv6Address(inner)
        except ValueError:
            raise InvalidURLError("The address between '[' and ']' in this address is not valid.") from None
        return v6.compressed, v6
    if "%" in host or any(ch.isspace() for ch in host):
        raise InvalidURLError(bad_name)
    if host.isascii():
        name = host.lower()
    else:
        try:
            name = idna.encode(host, uts46=True).decode("ascii").lower()
        except (idna.IDNAError, UnicodeError, ValueError):
            raise InvalidURLError(bad_name) from None
    if name.endswith("."):  # "localhost." is "localhost"
        name = name[:-1]
    v4 = _numeric_ipv4(name)
    if v4 is not None:
        return str(v4), v4
    labels = name.split(".")
    if not name or len(name) > 253 or not all(_LABEL_RE.match(label) for label in labels):
        raise InvalidURLError(bad_name)
    for label in labels:
        if label.startswith("xn--"):
            try:
                idna.decode(label)
            except (idna.IDNAError, UnicodeError, ValueError):
                raise InvalidURLError(bad_name) from None
    return name, None


def _numeric_ipv4(host: str) -> ipaddress.IPv4Address | None:
    """WHATWG IPv4 parsing: a host whose last label is a number is an address (or invalid)."""
    parts = host.split(".")
    if not _ipv4_number_ok(parts[-1]):
        return None
    if len(parts) > 4 or not all(_ipv4_number_ok(part) for part in parts):
        raise InvalidURLError(
            "This web address's site name looks like a numeric address but is not a valid one."
        )
    numbers = [_ipv4_number(part) for part in parts]
    if any(n > 255 for n in numbers[:-1]) or numbers[-1] >= 256 ** (5 - len(numbers)):
        raise InvalidURLError("This web address's numeric site address is out of range.")
    value = numbers[-1]
    for i, n in enumerate(numbers[:-1]):
        value += n * 256 ** (3 - i)
    return ipaddress.IPv4Address(value)


def _ipv4_number_ok(part: str) -> bool:
    if part[:2] in ("0x", "0X"):
        return all(c in "0123456789abcdefABCDEF" for c in part[2:])
    if part.startswith("0") and len(part) > 1:
        return all(c in "01234567" for c in part[1:]) or (part.isascii() and part.isdigit())
    return part != "" and part.isascii() and part.isdigit()


def _ipv4_number(part: str) -> int:
    if part[:2] in ("0x", "0X"):
        return int(part[2:] or "0", 16)
    if part.startswith("0") and len(part) > 1:
        if not all(c in "01234567" for c in part[1:]):
            raise InvalidURLError("This web address's numeric site address is not valid (bad octal number).")
        return int(part, 8)
    return int(part)


def _quote(text: str, safe: str) -> str:
    return quote(_BAD_PERCENT_RE.sub("%25", text), safe=safe)


# ---------------------------------------------------------------------------------------------
# The guard: which destinations may be contacted at all.
# ---------------------------------------------------------------------------------------------

_IP = ipaddress.IPv4Address | ipaddress.IPv6Address
_METADATA_ADDRESSES = {
    ipaddress.ip_address(a)
    for a in ("169.254.169.254", "169.254.170.2", "fd00:ec2::254", "100.100.100.200")
}
_METADATA_NAMES = {"metadata.google.internal", "metadata.goog", "metadata", "instance-data"}
_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_THIS_NETWORK = ipaddress.ip_network("0.0.0.0/8")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_IPV4_MAPPED = ipaddress.ip_network("::ffff:0:0/96")
# Transition ranges whose embedded IPv4 may be anything and which no news site needs.
_TUNNELS = tuple(
    ipaddress.ip_network(n)
    for n in ("2002::/16", "2001::/32", "64:ff9b:1::/48", "::/96", "::ffff:0:0:0/96", "100::/64")
)

_MSG_LOOPBACK = (
    "This address points to the server itself (localhost), which this service does not fetch. " + _PASTE
)
_MSG_PRIVATE = "This address points into a private network, which this service does not fetch. " + _PASTE
_MSG_METADATA = (
    "This address is a cloud metadata service, which this service never fetches. "
    "Give the address of a news article."
)
_MSG_SPECIAL = (
    "This address is not a public internet address (it is reserved, multicast or otherwise special), "
    "so this service does not fetch it. " + _PASTE
)


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip in _IPV4_MAPPED or ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def _address_problem(ip: _IP, allow_private: bool) -> str | None:
    """Why this address must not be contacted, as a message for the user; None when it may."""
    inner = _embedded_ipv4(ip) if isinstance(ip, ipaddress.IPv6Address) else None
    if ip in _METADATA_ADDRESSES or inner in _METADATA_ADDRESSES:
        return _MSG_METADATA
    if allow_private:
        return None
    if inner is not None:  # ::ffff:a.b.c.d and 64:ff9b::a.b.c.d reach a.b.c.d: judge that
        return _address_problem(inner, allow_private)
    if ip.is_loopback:
        return _MSG_LOOPBACK
    if isinstance(ip, ipaddress.IPv4Address):
        if ip in _THIS_NETWORK or ip.is_unspecified or ip.is_multicast or ip.is_reserved:
            return _MSG_SPECIAL
        if ip.is_private or ip.is_link_local or ip in _CGNAT or not ip.is_global:
            return _MSG_PRIVATE
        return None
    if any(ip in net for net in _TUNNELS) or ip.is_unspecified or ip.is_multicast or ip.is_reserved:
        return _MSG_SPECIAL
    if ip.is_private or ip.is_link_local or ip.is_site_local or not ip.is_global:
        return _MSG_PRIVATE
    return None


def _name_problem(host: str, allow_private: bool) -> str | None:
    if host in _METADATA_NAMES or (host.startswith("metadata.") and host.endswith(".internal")):
        return _MSG_METADATA
    if not allow_private and (host == "localhost" or host.endswith(".localhost")):
        return _MSG_LOOPBACK
    return None


def _system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def _resolve(host: str, port: int, resolver: Resolver | None, timeout: float) -> list[str]:
    """Ask the resolver; the system one runs in a thread so a hung DNS server cannot outlast `timeout`."""
    if resolver is not None:
        return list(resolver(host, port))
    outcome: dict[str, object] = {}

    def lookup() -> None:
        try:
            outcome["answers"] = _system_resolver(host, port)
        except Exception as exc:  # handed to the caller below
            outcome["error"] = exc

    worker = threading.Thread(target=lookup, name="fetch-dns", daemon=True)
    worker.start()
    worker.join(max(timeout, 0.0))
    if worker.is_alive():  # left to finish on its own; getaddrinfo cannot be cancelled
        raise FetchTimeoutError(
            f"Looking up the site name '{host}' took longer than {timeout:.0f} seconds. Try again later."
        )
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["answers"]  # type: ignore[return-value]


def check_url(url: str, settings: Settings, *, resolver: Resolver | None = None) -> list[str]:
    """Addresses that `url` may be fetched from, all checked; raises instead of sending a request.

    The only traffic is the DNS lookup of the name (none for refused names and for addresses).
    """
    return _check(_normalize(url), settings, resolver, settings.fetch_timeout)


def _check(target: _Target, settings: Settings, resolver: Resolver | None, timeout: float) -> list[str]:
    if not settings.allow_private_urls and target.port not in settings.allowed_ports:
        allowed = ", ".join(str(p) for p in settings.allowed_ports) or "none"
        raise BlockedURLError(
            f"This address uses port {target.port}; this service only fetches ordinary web addresses "
            f"(ports {allowed}). Give the article's normal address, or paste the article text instead."
        )
    if target.ip is not None:
        problem = _address_problem(target.ip, settings.allow_private_urls)
        if problem:
            raise BlockedURLError(problem)
        return [str(target.ip)]
    problem = _name_problem(target.host, settings.allow_private_urls)
    if problem:
        raise BlockedURLError(problem)

    not_found = f"The site name '{target.host}' could not be found. Check the address for typos."
    try:
        answers = _resolve(target.host, target.port, resolver, timeout)
    except (OSError, UnicodeError, ValueError):
        raise FetchError(not_found) from None
    addresses: list[str] = []
    for answer in answers:
        try:
            ip = ipaddress.ip_address(str(answer).split("%", 1)[0])
        except ValueError:
            raise FetchError(f"The site name '{target.host}' resolved to something that is not an address.")
        problem = _address_problem(ip, settings.allow_private_urls)
        if problem:  # one bad address spoils the name: we cannot choose which one a client would use
            raise BlockedURLError(
                f"The site name '{target.host}' leads to an address that is not allowed. {problem}"
            )
        if str(answer) not in addresses:
            addresses.append(str(answer))
    if not addresses:
        raise FetchError(not_found)
    return addresses


# ---------------------------------------------------------------------------------------------
# Network layer: connect only to checked addresses; never block past the deadline.
# ---------------------------------------------------------------------------------------------


def _raw_backend() -> httpcore.NetworkBackend:
    """The real socket layer (tests replace it to route public test addresses to a local server)."""
    return httpcore.SyncBackend()


@functools.lru_cache(maxsize=1)
def _ssl_context() -> ssl.SSLContext:
    """Verifying context (certifi roots); created once because loading the roots costs ~20 ms."""
    return httpx.create_ssl_context(verify=True, trust_env=False)


def _clamp(timeout: float | None, deadline: float, error: type[Exception]) -> float:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise error("deadline passed")
    return remaining if timeout is None else min(timeout, remaining)


class _DeadlineStream(httpcore.NetworkStream):
    """A stream whose every read/write is cut off at the fetch deadline (defeats slow drips)."""

    def __init__(self, inner: httpcore.NetworkStream, deadline: float) -> None:
        self._inner = inner
        self._deadline = deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _clamp(timeout, self._deadline, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _clamp(timeout, self._deadline, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        inner = self._inner.start_tls(
            ssl_context, server_hostname, _clamp(timeout, self._deadline, httpcore.ConnectTimeout)
        )
        return _DeadlineStream(inner, self._deadline)

    def get_extra_info(self, info: str) -> object:
        return self._inner.get_extra_info(info)


class _PinnedBackend(httpcore.NetworkBackend):
    """Connects to the addresses the guard approved for (host, port), never to a fresh DNS answer.

    httpcore asks for the URL's host name, and keeps using that name for SNI and certificate
    checks; only the TCP connection goes to the pinned address.
    """

    def __init__(self, deadline: float) -> None:
        self._raw = _raw_backend()
        self._deadline = deadline
        self._pins: dict[tuple[str, int], list[str]] = {}

    def pin(self, host: str, port: int, addresses: Sequence[str]) -> None:
        self._pins[(host, port)] = list(addresses)

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: object = None,
    ) -> httpcore.NetworkStream:
        addresses = self._pins.get((host.lower(), port))
        if not addresses:  # a bug, not a user error: refuse rather than resolve on our own
            raise BlockedURLError("Refused to connect to an address that was not checked.")
        failure: Exception | None = None
        for address in addresses:
            try:
                stream = self._raw.connect_tcp(
                    address,
                    port,
                    timeout=_clamp(timeout, self._deadline, httpcore.ConnectTimeout),
                    local_address=local_address,
                    socket_options=socket_options,  # type: ignore[arg-type]
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
                continue
            return _DeadlineStream(stream, self._deadline)
        assert failure is not None
        raise failure

    def connect_unix_socket(self, path: str, timeout: float | None = None, socket_options: object = None):
        raise BlockedURLError("Refused to connect to a local socket.")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class _CoreStream(httpx.SyncByteStream):
    def __init__(self, stream: object) -> None:
        self._stream = stream

    def __iter__(self) -> Iterator[bytes]:
        yield from self._stream  # type: ignore[misc]

    def close(self) -> None:
        close = getattr(self._stream, "close", None)
        if close is not None:
            close()


class _PinnedTransport(httpx.BaseTransport):
    """httpx.HTTPTransport's request path over a pool that uses our backend.

    httpcore errors are left as they are: `_network_errors` translates them, in one place.
    """

    def __init__(self, backend: _PinnedBackend) -> None:
        self._pool = httpcore.ConnectionPool(
            ssl_context=_ssl_context(), network_backend=backend, max_connections=4, retries=0
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        assert isinstance(request.stream, httpx.SyncByteStream)
        core_request = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=request.url.raw_scheme,
                host=request.url.raw_host,
                port=request.url.port,
                target=request.url.raw_path,
            ),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        response = self._pool.handle_request(core_request)
        return httpx.Response(
            status_code=response.status,
            headers=response.headers,
            stream=_CoreStream(response.stream),
            extensions=response.extensions,
            request=request,
        )

    def close(self) -> None:
        self._pool.close()


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


_FOREIGN = (
    httpx.HTTPError,
    httpx.InvalidURL,
    httpx.StreamError,
    httpcore.TimeoutException,
    httpcore.NetworkError,
    httpcore.ProtocolError,
    httpcore.UnsupportedProtocol,
    OSError,
)


@contextlib.contextmanager
def _network_errors(host: str, settings: Settings, deadline: float) -> Iterator[None]:
    """The one place where httpx/httpcore/socket/ssl errors become our own, with advice."""
    try:
        yield
    except FetchError:
        raise
    except _FOREIGN as exc:
        chain = list(_chain(exc))
        if time.monotonic() >= deadline - 0.01:
            raise FetchTimeoutError(_MSG_DEADLINE) from None
        cert = next((e for e in chain if isinstance(e, ssl.SSLCertVerificationError)), None)
        if cert is not None:
            reason = getattr(cert, "verify_message", "") or "not trusted"
            raise FetchError(
                f"The security certificate of {host} could not be verified ({reason}), so the page was not "
                "read: the connection could be intercepted. Check the address, or paste the article text."
            ) from None
        if any(isinstance(e, ssl.SSLError) for e in chain):
            raise FetchError(
                f"A secure connection to {host} could not be set up. "
                "Check the address, or paste the article text."
            ) from None
        if any(isinstance(e, (httpx.ConnectTimeout, httpcore.ConnectTimeout)) for e in chain):
            raise FetchTimeoutError(
                f"{host} did not answer within {settings.fetch_timeout:g} seconds. "
                "The site may be down or very slow; try again later."
            ) from None
        timeouts = (httpx.TimeoutException, httpcore.TimeoutException, TimeoutError)
        if any(isinstance(e, timeouts) for e in chain):
            raise FetchTimeoutError(
                f"{host} stopped sending the page for more than {settings.fetch_timeout:g} seconds. "
                "Try again later, or paste the article text."
            ) from None
        if any(isinstance(e, ConnectionRefusedError) for e in chain):
            raise FetchError(
                f"{host} refused the connection. The site may be down, or the address may be wrong."
            ) from None
        if any(isinstance(e, (httpx.RemoteProtocolError, httpcore.RemoteProtocolError)) for e in chain):
            raise FetchError(
                f"{host} sent a broken response that is not valid HTTP. "
                "Try again later, or paste the article text."
            ) from None
        raise FetchError(
            f"The connection to {host} failed ({type(exc).__name__}). "
            "Try again later, or paste the article text."
        ) from None


# ---------------------------------------------------------------------------------------------
# Fetching: redirects, retries, status, content type, bounded body.
# ---------------------------------------------------------------------------------------------


def fetch(
    url: str, settings: Settings, *, resolver: Resolver | None = None, deadline: float | None = None
) -> FetchedPage:
    """GET one page for a user, every hop checked by the guard; see the module docstring."""
    if deadline is None:
        deadline = time.monotonic() + settings.fetch_deadline
    target = _normalize(url)
    requested = target.url
    session = _Session(settings, deadline)
    visited: set[tuple[str, tuple]] = set()
    redirects = 0
    with session:
        while True:
            visit = (target.url, session.cookie_state())
            if visit in visited:
                raise TooManyRedirectsError(
                    "The site keeps redirecting in a loop, so the page cannot be read. "
                    "Open it in a browser and paste the article text instead."
                )
            visited.add(visit)
            _check_time(deadline)
            addresses = _check_hop(target, settings, resolver, redirects, deadline)
            session.backend.pin(target.host, target.port, addresses)
            response = _get(session, target, settings, deadline)
            try:
                location = _redirect_location(response)
                if location is None:
                    return _page(response, requested, target, settings, deadline)
            finally:
                response.close()
            redirects += 1
            if redirects > settings.max_redirects:
                raise TooManyRedirectsError(
                    f"The site redirected more than {settings.max_redirects} times, "
                    "so the page was not read. "
                    "Open it in a browser and use the address it finally shows, or paste the article text."
                )
            target = _redirect_target(target.url, location)


class _Session:
    """One fetch's connections and cookies.

    Deliberately not an httpx.Client: the client parses every Location header itself (even with
    follow_redirects=False) and fails on ones we want to refuse with a clear message, and we
    want each request to be exactly the one the guard approved.
    """

    def __init__(self, settings: Settings, deadline: float) -> None:
        self.backend = _PinnedBackend(deadline)
        self.transport = _PinnedTransport(self.backend)
        self.cookies = httpx.Cookies()  # cookie-check redirects ("set cookie, come back") need them
        self.headers = {
            "User-Agent": settings.user_agent,
            "Accept": "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8",
            "Accept-Encoding": "gzip, deflate",
            "Accept-Language": "id,en;q=0.8",
        }
        self.timeout = httpx.Timeout(settings.fetch_timeout).as_dict()

    def get(self, url: str) -> httpx.Response:
        request = httpx.Request("GET", url, headers=self.headers, extensions={"timeout": self.timeout})
        self.cookies.set_cookie_header(request)
        response = self.transport.handle_request(request)
        self.cookies.extract_cookies(response)
        return response

    def cookie_state(self) -> tuple:
        """A redirect back to a URL is a loop only if nothing (such as a cookie) changed meanwhile."""
        return tuple(sorted((c.domain, c.path, c.name, c.value or "") for c in self.cookies.jar))

    def __enter__(self) -> "_Session":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.transport.close()


def _check_hop(
    target: _Target, settings: Settings, resolver: Resolver | None, redirects: int, deadline: float
) -> list[str]:
    try:
        return _check(target, settings, resolver, min(settings.fetch_timeout, deadline - time.monotonic()))
    except (BlockedURLError, InvalidURLError) as exc:
        if not redirects:
            raise
        raise type(exc)(f"The site redirected to {target.host}, which cannot be followed. {exc}") from None


def _check_time(deadline: float) -> None:
    if time.monotonic() >= deadline:
        raise FetchTimeoutError(_MSG_DEADLINE)


def _redirect_location(response: httpx.Response) -> str | None:
    if response.status_code not in _REDIRECT_STATUSES:
        return None
    location = response.headers.get("location", "").strip()
    return location or None


def _redirect_target(current: str, location: str) -> _Target:
    try:
        return _normalize(urljoin(current, location))
    except (InvalidURLError, ValueError) as exc:
        shown = location if len(location) <= 80 else location[:77] + "..."
        raise InvalidURLError(f"The site redirected to '{shown}', which cannot be followed. {exc}") from None


def _get(session: _Session, target: _Target, settings: Settings, deadline: float) -> httpx.Response:
    """One GET, retried for 429/502/503/504 while the server's Retry-After fits the deadline."""
    attempt = 0
    while True:
        _check_time(deadline)
        with _network_errors(target.host, settings, deadline):
            response = session.get(target.url)
        log.debug("GET %s -> %d", target.url, response.status_code)
        if response.status_code not in _RETRY_STATUSES or attempt >= settings.max_retries:
            return response
        wait = _retry_wait(response.headers.get("retry-after"))
        response.close()
        if wait is None or time.monotonic() + wait >= deadline:
            raise _status_error(response.status_code, target.host)
        time.sleep(wait)
        attempt += 1


def _retry_wait(value: str | None) -> float | None:
    """Seconds to wait before retrying, or None when the server asks for longer than we wait."""
    if value is None or not value.strip():
        return _DEFAULT_RETRY_WAIT
    value = value.strip()
    if value.isdigit():
        seconds = float(value)
    else:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return _DEFAULT_RETRY_WAIT
        if when is None:
            return _DEFAULT_RETRY_WAIT
        seconds = when.timestamp() - time.time()
    seconds = max(0.0, seconds)
    return seconds if seconds <= _MAX_RETRY_WAIT else None


def _status_error(status: int, host: str) -> HTTPStatusError:
    if status == 401:
        msg = f"{host} asks for a login before showing this page (HTTP 401). " + _PASTE
    elif status == 403:
        msg = (
            f"{host} refused to show this page to this service (HTTP 403); it may block automated readers "
            "or need a subscription. " + _PASTE
        )
    elif status == 404:
        msg = f"{host} says this page does not exist (HTTP 404). Check the address for typos."
    elif status == 410:
        msg = f"{host} says this page has been removed (HTTP 410). " + _PASTE
    elif status == 451:
        msg = f"{host} says this page is unavailable for legal reasons (HTTP 451). " + _PASTE
    elif status == 429:
        msg = f"{host} is limiting how often it can be read (HTTP 429). Try again in a few minutes."
    elif 500 <= status <= 599:
        msg = f"{host} had a problem answering (HTTP {status}). Try again later, or paste the article text."
    elif 300 <= status <= 399:
        msg = f"{host} answered with a redirect that cannot be followed (HTTP {status}). " + _PASTE
    else:
        msg = f"{host} did not return the page (HTTP {status}). Check the address, or paste the article text."
    return HTTPStatusError(msg, status)


def _parse_content_type(value: str | None) -> tuple[str, str | None]:
    if not value:
        return "", None
    media, *params = value.split(";")
    charset = None
    for param in params:
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset":
            charset = val.strip().strip("\"'").strip().lower() or None
    return media.strip().lower(), charset


def _unsupported(media: str, host: str) -> UnsupportedContentError:
    if media == "application/pdf":
        what = "a PDF document"
    elif media.startswith("image/"):
        what = "an image"
    elif media.startswith(("audio/", "video/")):
        what = "audio or video"
    elif media in ("application/octet-stream", "application/zip", "application/x-download"):
        what = "a file download"
    else:
        what = f"'{media}' content"
    return UnsupportedContentError(
        f"The address on {host} is {what}, not a web page with an article, so it cannot be read here. "
        "Open it yourself and paste the article text instead."
    )


_MAGIC = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF8", "image/gif"),
    (b"PK\x03\x04", "application/zip"),
)


def _page(
    response: httpx.Response, requested: str, target: _Target, settings: Settings, deadline: float
) -> FetchedPage:
    status = response.status_code
    if not 200 <= status <= 299:
        raise _status_error(status, target.host)
    media, charset = _parse_content_type(response.headers.get("content-type"))
    if media and media not in _PAGE_TYPES:
        raise _unsupported(media, target.host)
    declared = response.headers.get("content-length", "").strip()
    if declared.isdigit() and int(declared) > settings.max_body_bytes:
        raise _too_large(settings, target.host)
    encodings = [
        e.strip().lower()
        for value in response.headers.get_list("content-encoding")
        for e in value.split(",")
        if e.strip() and e.strip().lower() != "identity"
    ]
    if len(encodings) > _MAX_ENCODINGS:
        raise UnsupportedContentError(
            f"{target.host} sent the page compressed {len(encodings)} times over; "
            "this service undoes at most "
            f"{_MAX_ENCODINGS} layers (more is the mark of a broken server or a trap). " + _PASTE
        )
    unknown = [e for e in encodings if e not in ("gzip", "x-gzip", "deflate")]
    if unknown:
        raise UnsupportedContentError(
            f"{target.host} sent the page in a compression this service does not read ({unknown[0]}). "
            + _PASTE
        )
    body = _read_body(response, encodings, target, settings, deadline)
    sniffed = next((kind for magic, kind in _MAGIC if body.startswith(magic)), None)
    if sniffed:  # a PDF served as text/html is still a PDF
        raise _unsupported(sniffed, target.host)
    return FetchedPage(
        url=target.url,
        requested_url=requested,
        status=status,
        content_type=media or "text/html",
        charset=charset,
        body=body,
    )


def _too_large(settings: Settings, host: str) -> ResponseTooLargeError:
    return ResponseTooLargeError(
        f"The page on {host} is larger than {settings.max_body_bytes // 1024:,} KB, far more than a news "
        "article needs, so it was not read. " + _PASTE
    )


def _read_body(
    response: httpx.Response, encodings: list[str], target: _Target, settings: Settings, deadline: float
) -> bytes:
    limit = settings.max_body_bytes
    stages = [_Inflate(e, limit, target.host) for e in reversed(encodings)]
    received = 0
    parts: list[bytes] = []
    size = 0
    with _network_errors(target.host, settings, deadline):
        for chunk in response.iter_raw(_CHUNK):
            received += len(chunk)
            if received > limit:
                raise _too_large(settings, target.host)
            _check_time(deadline)
            for stage in stages:
                chunk = stage.feed(chunk)
            size += len(chunk)
            if size > limit:
                raise _too_large(settings, target.host)
            parts.append(chunk)
    tail = b""
    for stage in stages:  # flush each layer through the layers after it
        tail = stage.feed(tail) + stage.finish()
    if tail:
        size += len(tail)
        if size > limit:
            raise _too_large(settings, target.host)
        parts.append(tail)
    return b"".join(parts)


class _Inflate:
    """One gzip/deflate layer, never producing more than `limit` bytes (decompression bombs).

    Lenient like browsers: 'gzip' also takes a zlib or bare deflate stream, 'deflate' takes both
    the zlib-wrapped and the bare form, and concatenated gzip members are all read.
    """

    def __init__(self, encoding: str, limit: int, host: str) -> None:
        self._gzip = encoding in ("gzip", "x-gzip")
        self._limit = limit
        self._host = host
        self._d = zlib.decompressobj(47 if self._gzip else 15)  # 47: gzip or zlib header, auto-detected
        self._fresh = True  # nothing decoded yet: a header error may mean a bare deflate stream
        self._head = b""  # input seen while fresh, replayed into the bare-deflate decoder
        self._produced = 0
        self._done = False
        self._consumed_any = False

    def _bad(self) -> FetchError:
        return FetchError(
            f"{self._host} sent compressed data that could not be decoded (the page is corrupt). "
            "Try again later, or paste the article text."
        )

    def feed(self, data: bytes) -> bytes:
        out: list[bytes] = []
        if self._fresh:
            self._head += data
        buf = data
        while buf and not self._done:
            self._consumed_any = True
            try:
                piece = self._d.decompress(buf, self._limit + 1 - self._produced)
            except zlib.error:
                if self._fresh and not self._head.startswith(b"\x1f\x8b"):
                    self._fresh = False
                    self._d = zlib.decompressobj(-15)
                    buf, self._head = self._head, b""
                    continue
                raise self._bad() from None
            if piece:
                self._fresh = False
                self._head = b""
            self._produced += len(piece)
            if self._produced > self._limit:
                raise ResponseTooLargeError(
                    f"The page on {self._host} unpacks to more than {self._limit // 1024:,} KB, "
                    "far more than a news article needs, so it was not read. " + _PASTE
                )
            out.append(piece)
            if self._d.eof:
                rest = self._d.unused_data
                if self._gzip and rest.startswith(b"\x1f\x8b"):  # another gzip member follows
                    self._d = zlib.decompressobj(31)
                    buf = rest
                    continue
                self._done = True  # trailing bytes after the stream are ignored, as browsers do
                break
            buf = self._d.unconsumed_tail
        return b"".join(out)

    def finish(self) -> bytes:
        if self._done or not self._consumed_any:
            return b""
        try:
            tail = self._d.flush()
        except zlib.error:
            raise self._bad() from None
        if not self._produced and not tail:
            raise self._bad()
        self._produced += len(tail)
        if self._produced > self._limit:
            raise ResponseTooLargeError(
                f"The page on {self._host} unpacks to more than {self._limit // 1024:,} KB. " + _PASTE
            )
        return tail
