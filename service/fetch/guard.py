"""Which URLs a stranger may make us fetch: one canonical spelling, then an SSRF check.

Pure code: never talks HTTP (service/fetch.py does, and asks this module first). A URL passes
only if it is http(s), on an allowed port, and every address its name resolves to is public.
`check_target` returns the checked addresses; fetch.py connects to exactly those, so a DNS
answer that changes between check and connect ("DNS rebinding") cannot move the connection.

Decisions worth knowing:
- URLs with a user name/password (anything before '@' in the authority) or with a backslash are
  refused outright: parsers disagree on them, and news links never need them.
- Numeric host spellings (`2130706433`, `0x7f.1`, `127.1`, `0177.0.0.1`) are read the way a
  browser reads them (WHATWG URL rules), so the address check sees the address they really mean.
- One bad address spoils a name: we cannot choose which of its addresses a client would use.
- Cloud metadata endpoints are refused even with `allow_private_urls` (an intranet switch,
  not a "read my cloud credentials" switch), also when spelled as an IPv6 transition address
  that leads to them (IPv4-mapped/-translated/-compatible, NAT64, 6to4, Teredo).
- Error messages name the host the user gave but never an address it resolved to, so the
  service cannot be used to map an internal network through its error messages.
- The system name lookup runs in a thread, so a hung DNS server costs at most the timeout.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import threading
from typing import Callable, NamedTuple, Sequence
from urllib.parse import quote

import idna

from ..config import Settings
from ..errors import (
    BlockedURLError,
    FetchError,
    FetchTimeoutError,
    HostNotFoundError,
    InvalidURLError,
    PrivateURLError,
)

__all__ = ["MAX_URL_CHARS", "Resolver", "Target", "check_target", "check_url", "normalize_url", "parse_url"]

Resolver = Callable[[str, int], Sequence[str]]
"""(host, port) -> IP address strings. The default asks the system (socket.getaddrinfo)."""

MAX_URL_CHARS = 2048
_DEFAULT_PORTS = {"http": 80, "https": 443}
_PASTE = "Paste the article text instead."

# ---------------------------------------------------------------------------------------------
# URL normalisation: one canonical spelling, so the check and the request see the same URL.
# ---------------------------------------------------------------------------------------------


class Target(NamedTuple):
    """A parsed, canonical URL: what is checked is exactly what is requested."""

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
    return parse_url(url).url


def parse_url(url: str) -> Target:
    """`normalize_url` with the parts the guard and the fetcher need; raises InvalidURLError."""
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
    return Target(canonical, scheme, host, port, ip)


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
    ipaddress.ip_address(a) for a in ("169.254.169.254", "169.254.170.2", "fd00:ec2::254", "100.100.100.200")
}
_METADATA_NAMES = {"metadata.google.internal", "metadata.goog", "metadata", "instance-data"}
_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_THIS_NETWORK = ipaddress.ip_network("0.0.0.0/8")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_IPV4_MAPPED = ipaddress.ip_network("::ffff:0:0/96")
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")  # RFC 8215: the operator picks the prefix length
_IPV4_TRANSLATED = ipaddress.ip_network("::ffff:0:0:0/96")
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")
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


def _ipv4_inside(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """Every IPv4 address this IPv6 address might lead to through a transition mechanism.

    Used for the metadata check, which must hold even with `allow_private_urls` on (when the
    transition ranges are not refused as a whole). Errs towards finding too many: a spurious
    candidate only matters if it happens to be a metadata address.
    """
    v = int(ip)
    found: list[ipaddress.IPv4Address] = []
    if ip in _IPV4_MAPPED or ip in _IPV4_TRANSLATED or ip in _IPV4_COMPATIBLE or ip in _NAT64:
        found.append(ipaddress.IPv4Address(v & 0xFFFFFFFF))
    if ip.sixtofour is not None:  # 2002:AABB:CCDD::/48 routes to AA.BB.CC.DD
        found.append(ip.sixtofour)
    if ip.teredo is not None:  # 2001::/32 carries the Teredo server and the (obfuscated) client
        found.extend(ip.teredo)
    if ip in _NAT64_LOCAL:  # RFC 6052 layouts for /48, /56, /64 and /96 prefixes (bits 64-71 skipped)
        found.append(ipaddress.IPv4Address((((v >> 64) & 0xFFFF) << 16) | ((v >> 40) & 0xFFFF)))
        found.append(ipaddress.IPv4Address((((v >> 64) & 0xFF) << 24) | ((v >> 32) & 0xFFFFFF)))
        found.append(ipaddress.IPv4Address((v >> 24) & 0xFFFFFFFF))
        found.append(ipaddress.IPv4Address(v & 0xFFFFFFFF))
    return found


def _is_metadata(ip: _IP) -> bool:
    if ip in _METADATA_ADDRESSES:
        return True
    return isinstance(ip, ipaddress.IPv6Address) and any(v4 in _METADATA_ADDRESSES for v4 in _ipv4_inside(ip))


def _address_problem(ip: _IP, allow_private: bool) -> str | None:
    """Why this address must not be contacted, as a message for the user; None when it may."""
    if _is_metadata(ip):
        return _MSG_METADATA
    inner = _embedded_ipv4(ip) if isinstance(ip, ipaddress.IPv6Address) else None
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


def _blocked(message: str, private_only: bool) -> BlockedURLError:
    """PrivateURLError where allowing private addresses would lift the refusal."""
    return PrivateURLError(message) if private_only else BlockedURLError(message)


def check_url(url: str, settings: Settings, *, resolver: Resolver | None = None) -> list[str]:
    """Addresses that `url` may be fetched from, all checked; raises instead of sending a request.

    The only traffic is the DNS lookup of the name (none for refused names and for addresses).
    """
    return check_target(parse_url(url), settings, resolver, settings.fetch_timeout)


def check_target(target: Target, settings: Settings, resolver: Resolver | None, timeout: float) -> list[str]:
    """`check_url` for a parsed URL, with the name lookup bounded by `timeout` seconds."""
    if not settings.allow_private_urls and target.port not in settings.allowed_ports:
        allowed = ", ".join(str(p) for p in settings.allowed_ports) or "none"
        raise PrivateURLError(
            f"This address uses port {target.port}; this service only fetches ordinary web addresses "
            f"(ports {allowed}). Give the article's normal address, or paste the article text instead."
        )
    if target.ip is not None:
        problem = _address_problem(target.ip, settings.allow_private_urls)
        if problem:
            raise _blocked(problem, _address_problem(target.ip, True) is None)
        return [str(target.ip)]
    problem = _name_problem(target.host, settings.allow_private_urls)
    if problem:
        raise _blocked(problem, _name_problem(target.host, True) is None)

    not_found = f"The site name '{target.host}' could not be found. Check the address for typos."
    try:
        answers = _resolve(target.host, target.port, resolver, timeout)
    except (OSError, UnicodeError, ValueError):
        raise HostNotFoundError(not_found) from None
    addresses: list[str] = []
    for answer in answers:
        try:
            ip = ipaddress.ip_address(str(answer).split("%", 1)[0])
        except ValueError:
            raise FetchError(f"The site name '{target.host}' resolved to something that is not an address.")
        problem = _address_problem(ip, settings.allow_private_urls)
        if problem:  # one bad address spoils the name: we cannot choose which one a client would use
            raise _blocked(
                f"The site name '{target.host}' leads to an address that is not allowed. {problem}",
                _address_problem(ip, True) is None,
            )
        if str(answer) not in addresses:
            addresses.append(str(answer))
    if not addresses:
        raise HostNotFoundError(not_found)
    return addresses
