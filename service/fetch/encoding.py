"""Undo a response's Content-Encoding (gzip, deflate) without letting it grow past a cap.

Pure code: no HTTP. service/fetch.py feeds the raw body through a `Decoder` chunk by chunk,
so a "decompression bomb" (megabytes that unpack to gigabytes) is stopped once it has produced
`limit` bytes, with memory bounded by about one chunk per layer, never after the fact.

Decisions worth knowing:
- At most `MAX_ENCODINGS` layers: more is the mark of a broken server or a trap.
- Only gzip and deflate, the two we ask for in Accept-Encoding.
- Lenient like browsers: see `_Inflate`.
"""

from __future__ import annotations

import zlib
from typing import Iterable

from ..errors import FetchError, ResponseTooLargeError, UnsupportedContentError

__all__ = ["MAX_ENCODINGS", "Decoder", "content_codings"]

MAX_ENCODINGS = 2
_SUPPORTED = ("gzip", "x-gzip", "deflate")
_PASTE = "Paste the article text instead."


def content_codings(header_values: Iterable[str], host: str) -> list[str]:
    """The layers named by Content-Encoding header values, in the order the server applied them.

    'identity' is dropped; too many layers or one we do not read is an UnsupportedContentError.
    """
    encodings = [
        e.strip().lower()
        for value in header_values
        for e in value.split(",")
        if e.strip() and e.strip().lower() != "identity"
    ]
    if len(encodings) > MAX_ENCODINGS:
        raise UnsupportedContentError(
            f"{host} sent the page compressed {len(encodings)} times over; "
            "this service undoes at most "
            f"{MAX_ENCODINGS} layers (more is the mark of a broken server or a trap). " + _PASTE
        )
    unknown = [e for e in encodings if e not in _SUPPORTED]
    if unknown:
        raise UnsupportedContentError(
            f"{host} sent the page in a compression this service does not read ({unknown[0]}). " + _PASTE
        )
    return encodings


class Decoder:
    """All layers of one body, undone last-applied first; each layer yields at most `limit` bytes."""

    def __init__(self, encodings: list[str], limit: int, host: str) -> None:
        self._stages = [_Inflate(e, limit, host) for e in reversed(encodings)]

    def feed(self, data: bytes) -> bytes:
        """Decoded bytes for the next piece of the raw body (possibly none yet)."""
        for stage in self._stages:
            data = stage.feed(data)
        return data

    def finish(self) -> bytes:
        """What the layers still held once the raw body has ended; raises if it was cut short."""
        tail = b""
        for stage in self._stages:  # flush each layer through the layers after it
            tail = stage.feed(tail) + stage.finish()
        return tail


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
