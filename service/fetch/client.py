"""Fetch one web page for a stranger without letting them aim us at our own network (SSRF).

The only module that talks HTTP. Before anything is sent, each URL (the one given, and every
redirect hop) goes through the guard in service/urlguard.py, which says which addresses may be
contacted. The connection then goes to exactly an address that was checked (a DNS answer that
changes between check and connect - "DNS rebinding" - cannot redirect us), while the Host
header, TLS SNI and certificate check still use the name. Size, time and compression are
bounded while streaming, not after.

Where to find what:
- which URLs/addresses are refused, URL normalisation, DNS lookup: service/urlguard.py
- gzip/deflate decoding and the decompression-bomb cap: service/content_decoding.py
- here: `fetch` (redirect loop), retries and Retry-After, status and content-type checks, the
  capped body read, the pinned connection layer with its deadline, and `_network_errors`, the
  one place where httpx/httpcore/socket/ssl errors become our own.

Decisions worth knowing:
- Redirects are followed by hand, each hop checked by the guard like the first URL.
- One deadline (`settings.fetch_deadline`, or the caller's) covers the name lookups, connects,
  every read and write, redirects and retries: a server that drips one byte a second still
  fails at the deadline.
- A Retry-After longer than `_MAX_RETRY_WAIT` is not waited for: we report the status instead
  of retrying early against the server's wish or holding a worker for minutes.
- Page content is never logged.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import re
import ssl
import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Iterator, Sequence
from urllib.parse import urljoin

import httpcore
import httpx

from ..config import Settings
from ..errors import (
    BlockedURLError,
    ConnectionFailedError,
    FetchError,
    FetchTimeoutError,
    HTTPStatusError,
    InvalidURLError,
    ResponseTooLargeError,
    TooManyRedirectsError,
    UnsupportedContentError,
)
from .encoding import Decoder, content_codings
from .guard import Resolver, Target, check_target, check_url, normalize_url, parse_url

__all__ = ["FetchedPage", "Resolver", "check_url", "fetch", "normalize_url"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FetchedPage:
    """One page as `fetch` got it: bytes and the headers needed to decode them, nothing parsed yet."""

    url: str  # final URL after redirects
    requested_url: str
    status: int
    content_type: str  # lower-case media type, e.g. "text/html"
    charset: str | None  # charset parameter of the Content-Type header (lower-cased), if any
    body: bytes  # after Content-Encoding decoding, never more than settings.max_body_bytes


_MAX_RETRY_WAIT = 5.0  # seconds; a longer Retry-After is reported, not waited for
_DEFAULT_RETRY_WAIT = 1.0
_CHUNK = 64 * 1024
_REDIRECT_STATUSES = {301, 302, 303, 307, 308}
_RETRY_STATUSES = {429, 502, 503, 504}
_ASCII_DIGITS = re.compile(r"[0-9]+")  # header numbers; str.isdigit() also takes "²", int() does not
_PAGE_TYPES = {"text/html", "application/xhtml+xml", "text/plain"}

_PASTE = "Paste the article text instead."
_MSG_DEADLINE = (
    "Reading the page took longer than the time allowed. The site may be slow or overloaded: "
    "try again later, or paste the article text instead."
)


# ---------------------------------------------------------------------------------------------
# Fetching: the redirect loop, one session's cookies, retries.
# ---------------------------------------------------------------------------------------------


def fetch(
    url: str,
    settings: Settings,
    *,
    resolver: Resolver | None = None,
    deadline: float | None = None,
    accept: Sequence[str] | None = None,
) -> FetchedPage:
    """GET one page for a user, every hop checked by the guard; see the module docstring.

    `accept`: the media types taken instead of web pages (a news feed's XML, for batch
    inputs); also sent as the Accept header. None (the default) means web pages only.
    """
    if deadline is None:
        deadline = time.monotonic() + settings.fetch_deadline
    target = parse_url(url)
    requested = target.url
    session = _Session(settings, deadline, accept)
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
                    return _page(response, requested, target, settings, deadline, accept)
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

    def __init__(self, settings: Settings, deadline: float, accept: Sequence[str] | None = None) -> None:
        self.backend = _PinnedBackend(deadline)
        self.transport = _PinnedTransport(self.backend)
        self.cookies = httpx.Cookies()  # cookie-check redirects ("set cookie, come back") need them
        self.headers = {
            "User-Agent": settings.user_agent,
            "Accept": ",".join(accept)
            if accept
            else "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8",
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
    target: Target, settings: Settings, resolver: Resolver | None, redirects: int, deadline: float
) -> list[str]:
    try:
        timeout = min(settings.fetch_timeout, deadline - time.monotonic())
        return check_target(target, settings, resolver, timeout)
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


def _redirect_target(current: str, location: str) -> Target:
    try:
        return parse_url(urljoin(current, location))
    except (InvalidURLError, ValueError) as exc:
        shown = location if len(location) <= 80 else location[:77] + "..."
        raise InvalidURLError(f"The site redirected to '{shown}', which cannot be followed. {exc}") from None


def _get(session: _Session, target: Target, settings: Settings, deadline: float) -> httpx.Response:
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
    """Seconds to wait before retrying, or None when the server asks for longer than we wait.

    Strict: ASCII digits or an HTTP date; anything else counts as no Retry-After at all
    (str.isdigit() also says yes to "²" and "٣", which a server can send but float() refuses).
    """
    if value is None or not value.strip():
        return _DEFAULT_RETRY_WAIT
    value = value.strip()
    if _ASCII_DIGITS.fullmatch(value):
        seconds = float(value)
    else:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            return _DEFAULT_RETRY_WAIT
        if when is None:
            return _DEFAULT_RETRY_WAIT
        seconds = when.timestamp() - time.time()
    seconds = max(0.0, seconds)
    return seconds if seconds <= _MAX_RETRY_WAIT else None


# ---------------------------------------------------------------------------------------------
# The response: status, content type, bounded body.
# ---------------------------------------------------------------------------------------------


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
        "Open it yourself and paste the article text instead.",
        media=media,
    )


_MAGIC = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF8", "image/gif"),
    (b"PK\x03\x04", "application/zip"),
)


def _page(
    response: httpx.Response,
    requested: str,
    target: Target,
    settings: Settings,
    deadline: float,
    accept: Sequence[str] | None = None,
) -> FetchedPage:
    status = response.status_code
    if not 200 <= status <= 299:
        raise _status_error(status, target.host)
    media, charset = _parse_content_type(response.headers.get("content-type"))
    if media and media not in (frozenset(accept) if accept else _PAGE_TYPES):
        raise _unsupported(media, target.host)
    declared = response.headers.get("content-length", "").strip()
    if _ASCII_DIGITS.fullmatch(declared) and int(declared) > settings.max_body_bytes:
        raise _too_large(settings, target.host)
    encodings = content_codings(response.headers.get_list("content-encoding"), target.host)
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
    response: httpx.Response, encodings: list[str], target: Target, settings: Settings, deadline: float
) -> bytes:
    """The body, decoded, cut off as soon as either the raw or the decoded size passes the cap."""
    limit = settings.max_body_bytes
    decoder = Decoder(encodings, limit, target.host)
    received = 0
    parts: list[bytes] = []
    size = 0
    with _network_errors(target.host, settings, deadline):
        for chunk in response.iter_raw(_CHUNK):
            received += len(chunk)
            if received > limit:
                raise _too_large(settings, target.host)
            _check_time(deadline)
            chunk = decoder.feed(chunk)
            size += len(chunk)
            if size > limit:
                raise _too_large(settings, target.host)
            parts.append(chunk)
    tail = decoder.finish()
    if tail:
        size += len(tail)
        if size > limit:
            raise _too_large(settings, target.host)
        parts.append(tail)
    return b"".join(parts)


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


# ---------------------------------------------------------------------------------------------
# Foreign errors: httpx/httpcore/socket/ssl exceptions become our own, here and only here.
# ---------------------------------------------------------------------------------------------


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


def _hung_up(exc: BaseException) -> bool:
    """The server closed the connection before any response: httpcore's own RemoteProtocolError.

    When the bytes that did arrive are not HTTP, httpcore raises the same class with the HTTP
    parser's error attached underneath. A reset while our request is being written is swallowed
    by httpcore, which then finds the connection closed, so a reset can also end up here.
    """
    return isinstance(exc, httpcore.RemoteProtocolError) and exc.__cause__ is None and exc.__context__ is None


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
        if any(isinstance(e, ssl.SSLError) for e in chain):  # e.g. plain HTTP on the https port
            raise ConnectionFailedError(
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
            raise ConnectionFailedError(
                f"{host} refused the connection. The site may be down, or the address may be wrong."
            ) from None
        if any(isinstance(e, (ConnectionResetError, BrokenPipeError)) for e in chain) or _hung_up(exc):
            raise ConnectionFailedError(
                f"{host} cut the connection off before sending the page. The site may be overloaded or "
                "may block automated readers; try again later, or paste the article text."
            ) from None
        if any(isinstance(e, (httpx.RemoteProtocolError, httpcore.RemoteProtocolError)) for e in chain):
            raise ConnectionFailedError(
                f"{host} sent a broken response that is not valid HTTP. "
                "Try again later, or paste the article text."
            ) from None
        raise ConnectionFailedError(
            f"The connection to {host} failed ({type(exc).__name__}). "
            "Try again later, or paste the article text."
        ) from None
