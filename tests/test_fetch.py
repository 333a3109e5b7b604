"""What a user sees when the fetcher meets real (local) servers, well-behaved and hostile.

All servers run on 127.0.0.1, so these tests use `allow_private_urls=True`; the guard itself
(with the switch off) is tested in test_fetch_guard.py.
"""

from __future__ import annotations

import contextlib
import gzip
import logging
import shutil
import socket
import ssl
import struct
import subprocess
import threading
import time
import tracemalloc
import zlib
from dataclasses import replace

import pytest
from localserver import Raw, serve, unused_port

import service.fetch.client as fetch_module
import service.fetch.guard as urlguard
from service.config import Settings
from service.errors import (
    ConnectionFailedError,
    FetchError,
    FetchTimeoutError,
    HostNotFoundError,
    HTTPStatusError,
    InvalidURLError,
    ResponseTooLargeError,
    TooManyRedirectsError,
    UnsupportedContentError,
)
from service.fetch import fetch

LOCAL = Settings(allow_private_urls=True, fetch_timeout=5.0, fetch_deadline=10.0)
HTML = {"Content-Type": "text/html; charset=utf-8"}
ARTICLE = "<html><body><h1>Banjir di Jakarta</h1><p>Hujan deras sejak pagi.</p></body></html>"


def _hold_open(head: bytes, seconds: float = 5.0):
    """Send `head`, then keep the connection open without sending more (stops when the server does)."""
    yield head
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        time.sleep(0.02)
        yield b""


def _drip(head: bytes, piece: bytes = b"x", every: float = 0.1, seconds: float = 10.0):
    yield head
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        time.sleep(every)
        yield piece


# --- ordinary pages -------------------------------------------------------------------------------


def test_an_html_page_comes_back_with_its_charset_and_type():
    body = "<p>Berita terkini: harga beras naik</p>".encode("cp1252")
    with serve({"/a": (200, {"Content-Type": "text/html; Charset=\"Windows-1252\""}, body)}) as base:
        page = fetch(base + "/a", LOCAL)
    assert page.status == 200
    assert page.url == page.requested_url == base + "/a"
    assert page.content_type == "text/html"
    assert page.charset == "windows-1252"
    assert page.body == body


@pytest.mark.parametrize("ctype", ["text/plain", "application/xhtml+xml; charset=UTF-8", "TEXT/HTML"])
def test_other_page_types_are_accepted(ctype):
    with serve({"/": (200, {"Content-Type": ctype}, "Teks berita.")}) as base:
        page = fetch(base, LOCAL)
    assert page.content_type == ctype.split(";")[0].lower()
    assert page.body == b"Teks berita."


def test_requests_say_who_we_are_and_ask_only_for_gzip_or_deflate():
    with serve({"/": (200, HTML, ARTICLE)}) as base:
        fetch(base + "/", LOCAL)
    request = base.requests[0]
    assert request.header("user-agent") == LOCAL.user_agent
    assert request.header("accept-encoding") == "gzip, deflate"
    assert request.header("host") == base.split("//", 1)[1]


def test_page_content_is_never_logged(caplog):
    secret = "RAHASIA-7731-isi-halaman"
    with caplog.at_level(logging.DEBUG), serve({"/": (200, HTML, f"<p>{secret}</p>")}) as base:
        page = fetch(base + "/", LOCAL)
    assert secret.encode() in page.body
    assert secret not in caplog.text


# --- redirects ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "location",
    ["final", "/news/final", "../news/final", "{base}/news/final", "//{host}/news/final"],
    ids=["relative", "absolute-path", "dot-dot", "absolute-url", "scheme-relative"],
)
def test_redirects_are_followed(location):
    routes = {"/news/final": (200, HTML, ARTICLE)}
    with serve(routes) as base:
        host = base.split("//", 1)[1]
        routes["/news/start"] = (301, {"Location": location.format(base=base, host=host)}, b"")
        page = fetch(base + "/news/start", LOCAL)
    assert page.url == base + "/news/final"
    assert page.requested_url == base + "/news/start"
    assert [r.path for r in base.requests] == ["/news/start", "/news/final"]


@pytest.mark.parametrize("status", [302, 303, 307, 308])
def test_every_redirect_status_is_followed(status):
    with serve({"/old": (status, {"Location": "/new"}, b""), "/new": (200, HTML, ARTICLE)}) as base:
        assert fetch(base + "/old", LOCAL).url == base + "/new"


def _hops(n: int):
    routes = {f"/hop/{i}": (302, {"Location": f"/hop/{i + 1}"}, b"") for i in range(n)}
    routes[f"/hop/{n}"] = (200, HTML, ARTICLE)
    return routes


def test_five_redirects_are_followed():
    with serve(_hops(5)) as base:
        assert fetch(base + "/hop/0", LOCAL).url == base + "/hop/5"


def test_a_sixth_redirect_is_refused_and_not_followed():
    with serve(_hops(6)) as base:
        with pytest.raises(TooManyRedirectsError, match="more than 5"):
            fetch(base + "/hop/0", LOCAL)
    assert [r.path for r in base.requests] == [f"/hop/{i}" for i in range(6)]


def test_a_redirect_loop_is_stopped_at_once():
    with serve({"/a": (302, {"Location": "/b"}, b""), "/b": (302, {"Location": "/a"}, b"")}) as base:
        with pytest.raises(TooManyRedirectsError, match="loop"):
            fetch(base + "/a", LOCAL)
    assert [r.path for r in base.requests] == ["/a", "/b"]


def test_a_cookie_check_redirect_back_to_the_same_page_is_not_a_loop():
    def page(request):
        if "visited=1" in (request.header("cookie") or ""):
            return (200, HTML, ARTICLE)
        return (302, {"Location": "/p", "Set-Cookie": "visited=1; Path=/"}, b"")

    with serve({"/p": page}) as base:
        assert fetch(base + "/p", LOCAL).body == ARTICLE.encode()


@pytest.mark.parametrize("location", ["file:///etc/passwd", "javascript:alert(1)", "http://user@127.0.0.1/"])
def test_a_redirect_to_something_that_is_not_a_web_page_is_refused(location):
    with serve({"/": (302, {"Location": location}, b"")}) as base:
        with pytest.raises(InvalidURLError, match="redirected"):
            fetch(base + "/", LOCAL)
    assert len(base.requests) == 1


# --- content types --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ctype", "body", "says"),
    [
        ("application/pdf", b"%PDF-1.7 ...", "PDF"),
        ("image/jpeg", b"\xff\xd8\xff\xe0", "image"),
        ("image/png", b"\x89PNG\r\n\x1a\n", "image"),
        ("application/octet-stream", b"\x00\x01", "file download"),
        ("text/html", b"%PDF-1.4 mislabelled", "PDF"),  # what it is, not what it says
        (None, b"%PDF-1.4 unlabelled", "PDF"),
    ],
)
def test_files_that_are_not_web_pages_are_refused(ctype, body, says):
    headers = {"Content-Type": ctype} if ctype else {}
    with serve({"/f": (200, headers, body)}) as base:
        with pytest.raises(UnsupportedContentError, match=says) as info:
            fetch(base + "/f", LOCAL)
    assert "paste the article text" in str(info.value).lower()


# --- size limits ----------------------------------------------------------------------------------


def test_a_declared_one_gigabyte_body_is_refused_before_reading():
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 1073741824\r\n\r\n"
    # The server sends nothing after the headers: a fetcher that started reading would wait for
    # the deadline and fail with a timeout, not with "too large".
    with serve(lambda r: Raw(_hold_open(head))) as base:
        with pytest.raises(ResponseTooLargeError, match="larger than"):
            fetch(base + "/", replace(LOCAL, fetch_timeout=3.0, fetch_deadline=3.0))


def test_an_endless_chunked_body_is_cut_at_the_cap_and_the_connection_closed():
    def endless():
        while True:
            yield b"<p>" + b"x" * 16_000 + b"</p>"

    small = replace(LOCAL, max_body_bytes=256 * 1024)
    with serve(lambda r: (200, HTML, endless())) as base:
        with pytest.raises(ResponseTooLargeError):
            fetch(base + "/", small)
        request = base.requests[0]
        assert request.done.wait(5), "server still writing: the fetcher did not close the connection"
        assert request.aborted


def test_a_body_exactly_at_the_cap_is_accepted():
    small = replace(LOCAL, max_body_bytes=1000)
    with serve({"/": (200, HTML, b"a" * 1000), "/big": (200, HTML, b"a" * 1001)}) as base:
        assert len(fetch(base + "/", small).body) == 1000
        with pytest.raises(ResponseTooLargeError):
            fetch(base + "/big", small)


# --- content encoding -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def gzip_bomb() -> bytes:
    """50 MB of zeros in about 50 KB."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = bytes(1 << 20)
    return b"".join(packer.compress(zeros) for _ in range(50)) + packer.flush()


def test_a_gzip_bomb_is_stopped_with_bounded_memory(gzip_bomb):
    small = replace(LOCAL, max_body_bytes=1 << 20)
    with serve({"/": (200, {**HTML, "Content-Encoding": "gzip"}, gzip_bomb)}) as base:
        tracemalloc.start()
        try:
            with pytest.raises(ResponseTooLargeError, match="unpacks to more than"):
                fetch(base + "/", small)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert peak < 12 * (1 << 20), f"decoding used {peak / 2**20:.0f} MB for a 1 MB cap"


@pytest.mark.parametrize(
    ("encoding", "pack"),
    [
        ("gzip", gzip.compress),
        ("x-gzip", gzip.compress),
        ("deflate", zlib.compress),
        ("deflate", lambda b: zlib.compress(b)[2:-4]),  # bare deflate, as some servers send
        ("gzip", lambda b: zlib.compress(b)[2:-4]),  # "headerless gzip": bare deflate labelled gzip
        ("gzip", lambda b: gzip.compress(b[:20]) + gzip.compress(b[20:])),  # two gzip members
        ("gzip, gzip", lambda b: gzip.compress(gzip.compress(b))),
        ("deflate, gzip", lambda b: gzip.compress(zlib.compress(b))),
        ("identity", lambda b: b),
    ],
)
def test_compressed_pages_are_decoded(encoding, pack):
    with serve({"/": (200, {**HTML, "Content-Encoding": encoding}, pack(ARTICLE.encode()))}) as base:
        assert fetch(base + "/", LOCAL).body == ARTICLE.encode()


def test_ten_stacked_gzip_layers_are_refused():
    body = ARTICLE.encode()
    for _ in range(10):
        body = gzip.compress(body)
    with serve({"/": (200, {**HTML, "Content-Encoding": ", ".join(["gzip"] * 10)}, body)}) as base:
        with pytest.raises(UnsupportedContentError, match="10 times"):
            fetch(base + "/", LOCAL)


@pytest.mark.parametrize(
    "body",
    [
        b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + bytes(range(200, 256)) * 4,  # gzip header, junk data
        b"\xff" * 64,
    ],
)
def test_corrupt_gzip_data_is_a_clear_error(body):
    with serve({"/": (200, {**HTML, "Content-Encoding": "gzip"}, body)}) as base:
        with pytest.raises(FetchError, match="could not be decoded"):
            fetch(base + "/", LOCAL)


def test_an_unrequested_compression_is_refused():
    with serve({"/": (200, {**HTML, "Content-Encoding": "br"}, b"\x0b\x02\x80")}) as base:
        with pytest.raises(UnsupportedContentError, match="br"):
            fetch(base + "/", LOCAL)


# --- time limits ----------------------------------------------------------------------------------


def test_a_dripping_body_fails_at_the_deadline():
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n"
    with serve(lambda r: Raw(_drip(head))) as base:
        start = time.monotonic()
        with pytest.raises(FetchTimeoutError, match="longer than the time allowed"):
            fetch(base + "/", LOCAL, deadline=start + 1.0)  # each byte arrives well within fetch_timeout
        elapsed = time.monotonic() - start
    assert elapsed < 3.0


def test_dripping_headers_fail_at_the_deadline():
    head = b"HTTP/1.1 200 OK\r\n"
    with serve(lambda r: Raw(_drip(head, b"X-Slow: y\r\n", every=0.05))) as base:
        start = time.monotonic()
        with pytest.raises(FetchTimeoutError):
            fetch(base + "/", LOCAL, deadline=start + 1.0)
    assert time.monotonic() - start < 3.0


def test_a_silent_server_fails_after_the_read_timeout():
    with serve(lambda r: Raw(_hold_open(b"", seconds=3))) as base:
        with pytest.raises(FetchTimeoutError, match="stopped sending"):
            fetch(base + "/", replace(LOCAL, fetch_timeout=0.3))


def test_a_hung_name_lookup_is_cut_off_at_the_deadline(monkeypatch):
    def hung_dns(host, port):
        time.sleep(3)
        return ["127.0.0.1"]

    monkeypatch.setattr(urlguard, "_system_resolver", hung_dns)
    start = time.monotonic()
    with pytest.raises(FetchTimeoutError, match="Looking up"):
        fetch("http://slow-dns.example/", LOCAL, deadline=start + 0.5)
    assert time.monotonic() - start < 2.0


def test_the_system_resolver_is_used_by_default():
    with serve({"/": (200, HTML, ARTICLE)}) as base:
        port = base.rsplit(":", 1)[1]
        page = fetch(f"http://localhost:{port}/", LOCAL)
    assert page.body == ARTICLE.encode()


def test_a_dead_address_is_skipped_for_the_next_checked_one():
    with serve({"/": (200, HTML, ARTICLE)}) as base:
        port = int(base.rsplit(":", 1)[1])
        # 127.0.0.2 is loopback too but nothing listens there on this port: refused, then next.
        page = fetch(f"http://two.test:{port}/", LOCAL, resolver=lambda h, p: ["127.0.0.2", "127.0.0.1"])
    assert page.body == ARTICLE.encode()


def test_a_shared_deadline_that_has_passed_sends_nothing():
    with serve({"/": (200, HTML, ARTICLE)}) as base:
        with pytest.raises(FetchTimeoutError):
            fetch(base + "/page-2", LOCAL, deadline=time.monotonic() - 0.1)
    assert base.requests == []


def test_a_connect_timeout_is_reported_as_a_timeout():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        port = listener.getsockname()[1]
        fillers = [socket.create_connection(("127.0.0.1", port), timeout=1)]
        probe = socket.socket()
        probe.settimeout(0.3)
        try:
            probe.connect(("127.0.0.1", port))
            pytest.skip("this kernel accepts connections beyond the backlog: no connect timeout to provoke")
        except OSError:
            pass
        finally:
            probe.close()
        try:
            with pytest.raises(FetchTimeoutError, match="did not answer"):
                fetch(f"http://127.0.0.1:{port}/", replace(LOCAL, fetch_timeout=0.3))
        finally:
            for s in fillers:
                s.close()


# --- statuses and retries -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "says"),
    [(403, "refused"), (404, "does not exist"), (410, "removed"), (451, "legal"), (500, "problem")],
)
def test_error_statuses_become_clear_errors(status, says):
    with serve({"/": (status, HTML, "<p>error page</p>")}) as base:
        with pytest.raises(HTTPStatusError, match=says) as info:
            fetch(base + "/", LOCAL)
    assert info.value.status == status
    assert len(base.requests) == 1  # not retried


def test_429_is_retried_after_the_retry_after_delay():
    answers = iter([(429, {"Retry-After": "1"}, b"slow down"), (200, HTML, ARTICLE)])
    with serve(lambda r: next(answers)) as base:
        start = time.monotonic()
        page = fetch(base + "/", LOCAL)
        waited = time.monotonic() - start
    assert page.body == ARTICLE.encode()
    assert len(base.requests) == 2
    assert waited >= 0.9


@pytest.mark.parametrize("status", [502, 503, 504])
def test_a_server_that_stays_unavailable_gives_up_after_max_retries(status):
    with serve({"/": (status, {"Retry-After": "0"}, b"down")}) as base:
        with pytest.raises(HTTPStatusError) as info:
            fetch(base + "/", replace(LOCAL, max_retries=2))
    assert info.value.status == status
    assert len(base.requests) == 3


def test_a_long_retry_after_is_reported_not_waited_for():
    with serve({"/": (429, {"Retry-After": "3600"}, b"")}) as base:
        start = time.monotonic()
        with pytest.raises(HTTPStatusError, match="Try again in a few minutes"):
            fetch(base + "/", LOCAL)
    assert time.monotonic() - start < 2.0
    assert len(base.requests) == 1


@pytest.mark.parametrize(
    "retry_after",
    [
        "\u00b2",  # superscript two, sent as the byte 0xB2: str.isdigit() says yes, float() says no
        "\u00b9\u00b2",
        "1.5",
        "-1",
        "0x1",
        "1e0",
        "soon",
        "Mon, 99 Foo 2024 25:61:61 GMT",
        "Fri, 31 Dec 9999 23:59:59 +9999",
    ],
)
def test_a_malformed_retry_after_is_ignored_and_the_retry_still_happens(retry_after):
    answers = iter([(503, {"Retry-After": retry_after}, b"down"), (200, HTML, ARTICLE)])
    with serve(lambda r: next(answers)) as base:
        page = fetch(base + "/", LOCAL)
    assert page.body == ARTICLE.encode()
    assert len(base.requests) == 2


@pytest.mark.parametrize("digits", ["\u00b2".encode(), "\u0663".encode(), "\uff13".encode()])
def test_retry_after_in_non_ascii_digits_sent_as_utf8_is_ignored(digits):
    """UTF-8 bytes in a header: superscript, Arabic-Indic and full-width digits are no delay."""
    head = b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: " + digits + b"\r\nContent-Length: 0\r\n\r\n"
    answers = iter([Raw(head), (200, HTML, ARTICLE)])
    with serve(lambda r: next(answers)) as base:
        start = time.monotonic()
        page = fetch(base + "/", LOCAL)
    assert page.body == ARTICLE.encode()
    assert time.monotonic() - start < 2.5  # the default one-second wait, not three seconds


def test_a_content_length_in_non_ascii_digits_is_a_clear_error():
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: \xb2\r\n\r\n" + ARTICLE.encode()
    with serve({"/": Raw(head)}) as base, pytest.raises(FetchError):
        fetch(base + "/", LOCAL)


def test_a_retry_that_would_pass_the_deadline_is_not_attempted():
    with serve({"/": (503, {"Retry-After": "3"}, b"")}) as base:
        start = time.monotonic()
        with pytest.raises(HTTPStatusError):
            fetch(base + "/", LOCAL, deadline=start + 1.5)
    assert time.monotonic() - start < 1.0
    assert len(base.requests) == 1


# --- connection failures --------------------------------------------------------------------------


def test_a_refused_connection_is_a_clear_error():
    with pytest.raises(ConnectionFailedError, match="refused the connection"):
        fetch(f"http://127.0.0.1:{unused_port()}/", LOCAL)


def test_a_response_that_is_not_http_is_a_clear_error():
    with serve(lambda r: Raw(b"SSH-2.0-OpenSSH_9.0\r\n\r\n")) as base:
        with pytest.raises(ConnectionFailedError, match="not valid HTTP"):
            fetch(base + "/", LOCAL)


@contextlib.contextmanager
def _one_connection(handle):
    """A bare listener on 127.0.0.1 that hands its first connection to `handle`; yields the port.

    For behaviour below HTTP (resets, a server that does not speak TLS), which localserver,
    being an HTTP server, cannot produce.
    """
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        listener.settimeout(5)

        def serve_one() -> None:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(5)
                with contextlib.suppress(OSError):
                    handle(conn)

        worker = threading.Thread(target=serve_one, daemon=True)
        worker.start()
        try:
            yield listener.getsockname()[1]
        finally:
            worker.join(5)


@pytest.mark.parametrize("read_request_first", [True, False], ids=["after-request", "at-once"])
def test_a_reset_connection_is_a_clear_error(read_request_first):
    """A server (or a firewall in front of it) that answers with a TCP reset instead of a page."""

    def reset(conn):
        if read_request_first:
            conn.recv(4096)
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close = RST

    with _one_connection(reset) as port:
        with pytest.raises(ConnectionFailedError, match="cut the connection off"):
            fetch(f"http://127.0.0.1:{port}/", LOCAL)


def test_a_server_that_hangs_up_without_answering_is_a_clear_error():
    with serve(lambda r: Raw(b"")) as base:
        with pytest.raises(ConnectionFailedError, match="cut the connection off"):
            fetch(base + "/", LOCAL)


def test_a_name_the_system_cannot_resolve_is_reported_as_not_found(monkeypatch):
    def no_such_name(host, port):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(urlguard, "_system_resolver", no_such_name)
    with pytest.raises(HostNotFoundError, match="'berita.invalid' could not be found"):
        fetch("http://berita.invalid/", LOCAL)


# --- TLS ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed certificate for the name news.test (needs the openssl command)."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is not installed")
    d = tmp_path_factory.mktemp("tls")
    cmd = [
        "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", str(d / "key.pem"), "-out", str(d / "cert.pem"), "-days", "2",
        "-subj", "/CN=news.test", "-addext", "subjectAltName=DNS:news.test",
    ]
    result = subprocess.run(cmd, capture_output=True, timeout=30)
    if result.returncode != 0:
        pytest.skip(f"openssl could not make a test certificate: {result.stderr.decode()[:200]}")
    return d / "cert.pem", d / "key.pem"


def _tls_server(certificate, seen_names: list):
    cert, key = certificate
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    context.sni_callback = lambda sock, name, ctx: seen_names.append(name)
    return serve({"/": (200, HTML, ARTICLE)}, tls=context)


def test_an_untrusted_certificate_is_refused_and_nothing_is_sent(certificate):
    with _tls_server(certificate, []) as base:
        with pytest.raises(FetchError, match="certificate") as info:
            fetch(base + "/", LOCAL)
        assert base.requests == []  # no retry without verification either
    assert not isinstance(info.value, FetchTimeoutError)


def test_an_https_address_served_without_tls_is_a_connection_failure():
    def plain_http(conn):  # reads the TLS hello as a (bad) request, as a plain HTTP server would
        conn.recv(4096)
        conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")

    with _one_connection(plain_http) as port:
        with pytest.raises(ConnectionFailedError, match="secure connection"):
            fetch(f"https://127.0.0.1:{port}/", LOCAL)


def test_tls_checks_the_name_while_connecting_to_the_pinned_address(certificate, monkeypatch):
    trusted = ssl.create_default_context(cafile=str(certificate[0]))
    monkeypatch.setattr(fetch_module, "_ssl_context", lambda: trusted)
    names: list = []
    with _tls_server(certificate, names) as base:
        port = int(base.rsplit(":", 1)[1])
        page = fetch(f"https://news.test:{port}/", LOCAL, resolver=lambda host, p: ["127.0.0.1"])
        assert page.body == ARTICLE.encode()
        assert names[-1] == "news.test"  # SNI carries the name, not the address
        assert base.requests[0].header("host") == f"news.test:{port}"
        # The same trusted certificate does not cover another name for the same address.
        with pytest.raises(FetchError, match="certificate"):
            fetch(f"https://other.test:{port}/", LOCAL, resolver=lambda host, p: ["127.0.0.1"])
    assert len(base.requests) == 1
