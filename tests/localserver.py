"""A tiny HTTP(S) server on 127.0.0.1 for tests: real sockets, recorded requests, bounded lifetime.

Why not `http.server`? Fetcher tests need responses that misbehave on purpose (dripping, endless,
lying headers, malformed bytes) and need to know whether a request reached the server at all.

API (everything a test needs):

    from localserver import Raw, serve, unused_port   # tests/ is on sys.path under pytest

    routes = {
        "/": (200, {"Content-Type": "text/html"}, "<p>hi</p>"),
        "/gen": (200, {}, (b"x" for _ in range(10))),           # iterable body: sent chunked
        "/len": (200, {"Content-Length": "5"}, iter([b"ab", b"c"])),  # Content-Length given: sent as is
        "/fn": lambda request: (404, {}, b"nope"),               # callable: decides per request
        "/raw": Raw(b"HTTP/1.1 200 OK\\r\\nbroken"),               # bytes (or iterable) written verbatim
    }
    with serve(routes) as base:          # base is a str such as "http://127.0.0.1:41234"
        fetch(base + "/")
        assert [r.path for r in base.requests] == ["/"]

- `serve(routes_or_fn, *, tls=None, lifetime=30.0)`: `routes_or_fn` is a dict from path (query
  ignored when matching; unknown paths get 404) to a response, or one callable taking a `Request`
  and returning a response. A response is `(status, headers, body)` or `Raw(...)`; `body` is bytes,
  str (UTF-8) or an iterable of bytes (a generator can `time.sleep` to drip). `tls` is a server-side
  `ssl.SSLContext`; then the base URL starts with https://. A generator in a route dict is used
  up by the first request: use a callable (`lambda r: (200, {}, gen())`) to serve it again.
- The yielded base URL has `.requests` (every request parsed, in arrival order, as `Request`
  objects) and `.tls_failures` (count of TLS handshakes the client broke off).
- Every connection is closed after one response (`Connection: close` is added unless given).
- Bounded: the server stops accepting after `lifetime` seconds, and on exit it closes every open
  connection, stops writing bodies and joins its threads (a few seconds at most).
- `unused_port()` returns a port on 127.0.0.1 that nothing listens on (for "connection refused").
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator, Mapping, Union

_MAX_HEAD_BYTES = 64 * 1024
_SOCKET_TIMEOUT = 10.0


@dataclass
class Request:
    """One request as the server received it."""

    method: str
    path: str  # path and query, exactly as sent in the request line
    headers: dict[str, str]  # names lower-cased
    body: bytes = b""
    done: threading.Event = field(default_factory=threading.Event, repr=False)
    aborted: bool = False  # the client went away before the whole response was written

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


@dataclass(frozen=True)
class Raw:
    """Bytes written verbatim as the response (an iterable is written piece by piece)."""

    data: bytes | Iterable[bytes]


Body = Union[bytes, str, Iterable[bytes]]
Response = Union[tuple[int, Mapping[str, str], Body], Raw]
Handler = Callable[[Request], Response]


class BaseURL(str):
    """The server's base URL, plus what the server saw."""

    requests: list[Request]
    tls_failures: int


_REASONS = {
    200: "OK", 204: "No Content", 301: "Moved Permanently", 302: "Found", 303: "See Other",
    307: "Temporary Redirect", 308: "Permanent Redirect", 400: "Bad Request", 403: "Forbidden",
    404: "Not Found", 410: "Gone", 429: "Too Many Requests", 451: "Unavailable For Legal Reasons",
    500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout",
}


def unused_port() -> int:
    """A port on 127.0.0.1 with no listener (bound and released; good enough for a test)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Server:
    def __init__(self, handler: Handler, tls: ssl.SSLContext | None, lifetime: float) -> None:
        self.handler = handler
        self.tls = tls
        self.stop_at = time.monotonic() + lifetime
        self.stopping = threading.Event()
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.listener.settimeout(0.05)
        self.port = self.listener.getsockname()[1]
        self.lock = threading.Lock()
        self.connections: set[socket.socket] = set()
        self.threads: list[threading.Thread] = []
        scheme = "https" if tls else "http"
        self.base = BaseURL(f"{scheme}://127.0.0.1:{self.port}")
        self.base.requests = []
        self.base.tls_failures = 0
        self.acceptor = threading.Thread(target=self._accept_loop, name="localserver-accept", daemon=True)

    def _accept_loop(self) -> None:
        while not self.stopping.is_set() and time.monotonic() < self.stop_at:
            try:
                conn, _ = self.listener.accept()
            except (socket.timeout, OSError):
                continue
            with self.lock:
                self.connections.add(conn)
            t = threading.Thread(target=self._serve_one, args=(conn,), name="localserver-conn", daemon=True)
            self.threads.append(t)
            t.start()

    def _serve_one(self, conn: socket.socket) -> None:
        sock: socket.socket = conn
        try:
            conn.settimeout(_SOCKET_TIMEOUT)
            if self.tls is not None:
                try:
                    sock = self.tls.wrap_socket(conn, server_side=True)
                except (ssl.SSLError, OSError):
                    with self.lock:
                        self.base.tls_failures += 1
                    return
                with self.lock:
                    self.connections.add(sock)
            request = _read_request(sock)
            if request is None:
                return
            with self.lock:
                self.base.requests.append(request)
            try:
                response = self.handler(request)
            except Exception as exc:  # a broken test handler should show up, not hang the test
                response = (500, {"Content-Type": "text/plain"}, f"handler failed: {exc!r}")
            try:
                self._write(sock, response)
            except OSError:
                request.aborted = True
            finally:
                request.done.set()
        finally:
            with contextlib.suppress(OSError):
                sock.close()
            with self.lock:
                self.connections.discard(conn)
                self.connections.discard(sock)

    def _write(self, sock: socket.socket, response: Response) -> None:
        if isinstance(response, Raw):
            pieces = [response.data] if isinstance(response.data, bytes) else response.data
            for piece in pieces:
                self._send(sock, piece)
            return
        status, headers, body = response
        names = {k.lower() for k in headers}
        head = [f"HTTP/1.1 {status} {_REASONS.get(status, 'Status')}"]
        head += [f"{k}: {v}" for k, v in headers.items()]
        if "connection" not in names:
            head.append("Connection: close")
        if isinstance(body, str):
            body = body.encode("utf-8")
        if isinstance(body, bytes):
            if "content-length" not in names and "transfer-encoding" not in names:
                head.append(f"Content-Length: {len(body)}")
            self._send(sock, ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body)
            return
        chunked = "content-length" not in names
        if chunked and "transfer-encoding" not in names:
            head.append("Transfer-Encoding: chunked")
        self._send(sock, ("\r\n".join(head) + "\r\n\r\n").encode("latin-1"))
        for piece in body:
            if not piece:
                continue
            self._send(sock, b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece)
        if chunked:
            self._send(sock, b"0\r\n\r\n")

    def _send(self, sock: socket.socket, data: bytes) -> None:
        if self.stopping.is_set():
            raise OSError("server stopping")
        sock.sendall(data)

    def start(self) -> None:
        self.acceptor.start()

    def stop(self) -> None:
        self.stopping.set()
        with contextlib.suppress(OSError):
            self.listener.close()
        with self.lock:
            open_now = list(self.connections)
        for s in open_now:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                s.close()
        self.acceptor.join(timeout=2)
        for t in self.threads:
            t.join(timeout=2)


def _read_request(sock: socket.socket) -> Request | None:
    data = b""
    while b"\r\n\r\n" not in data:
        try:
            chunk = sock.recv(4096)
        except OSError:
            return None
        if not chunk:
            return None
        data += chunk
        if len(data) > _MAX_HEAD_BYTES:
            return None
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    try:
        method, path, _version = lines[0].split(" ", 2)
    except ValueError:
        return None
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0") or 0)
    while len(rest) < length:
        try:
            chunk = sock.recv(4096)
        except OSError:
            break
        if not chunk:
            break
        rest += chunk
    return Request(method=method, path=path, headers=headers, body=rest[:length])


def _route(routes: Mapping[str, Response | Handler]) -> Handler:
    def handler(request: Request) -> Response:
        response = routes.get(request.path.split("?", 1)[0])
        if response is None:
            return (404, {"Content-Type": "text/plain"}, b"no such route in this test server")
        return response(request) if callable(response) else response

    return handler


@contextlib.contextmanager
def serve(
    routes: Mapping[str, Response | Handler] | Handler,
    *,
    tls: ssl.SSLContext | None = None,
    lifetime: float = 30.0,
) -> Iterator[BaseURL]:
    """Run a server on 127.0.0.1 (free port) for the `with` block; yield its base URL."""
    handler = routes if callable(routes) else _route(routes)
    server = _Server(handler, tls, lifetime)
    server.start()
    try:
        yield server.base
    finally:
        server.stop()
