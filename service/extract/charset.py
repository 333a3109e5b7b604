"""Bytes of an HTML page -> text, surviving the charset lies Indonesian news sites tell.

Why not trust the declaration: real pages declare iso-8859-1 while sending UTF-8 (KapanLagi's
2015-2017 templates turn "KapanLagi.com®" into "KapanLagi.comÂ®" if believed), or declare UTF-8
while a CMS pastes windows-1252 quotes into the body. So the order is:

1. a byte order mark wins (it cannot be there by accident);
2. bytes that are valid UTF-8 and contain multi-byte sequences are UTF-8, whatever the label says
   (latin-1 text that happens to form valid UTF-8 sequences is practically non-existent);
3. otherwise the declared charset (HTTP header, then <meta>, then XML declaration), where
   "iso-8859-1"/"ascii" mean windows-1252 as in every browser (WHATWG). Only a charset counts:
   Python's codec registry also holds byte transforms (base64, zlib, rot13) and text codecs
   that are no charset (idna, punycode, utf-7, unicode_escape); a page naming one of those is
   read as if it declared nothing (a page chooses the label, so it must not choose a codec that
   crashes us, or one such as utf-7 that turns "+ADw-" into "<");
4. a UTF-8 label on bytes that are not valid UTF-8: decode UTF-8 where it is valid and read the
   stray bytes as windows-1252 (a CMS pasting Word quotes into a UTF-8 page);
5. nothing declared and mostly non-Latin letters: charset-normalizer's best guess; otherwise the
   same mixed decoding (detectors misread a few stray bytes in Latin text as CJK).

Decoding never raises: whatever cannot be decoded becomes U+FFFD.
"""

from __future__ import annotations

import codecs
import re

_SNIFF_BYTES = 8192

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.IGNORECASE)

# Labels browsers decode differently from Python's codec of the same name (WHATWG Encoding).
_WHATWG_ALIASES = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "windows-1252": "cp1252",
    "x-user-defined": "cp1252",
    "iso-8859-9": "cp1254",
    "tis-620": "cp874",
    "iso-8859-11": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "utf8": "utf-8",
    "unicode-1-1-utf-8": "utf-8",
}

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def _utf8_with_cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: read an undecodable byte as windows-1252 (U+FFFD if unmapped)."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.start + 1]
    return bad.decode("cp1252", errors="replace"), error.start + 1


codecs.register_error("service-cp1252-fallback", _utf8_with_cp1252_fallback)

# Text codecs (bytes -> str) that are not a charset of a web page: they decode escapes or
# punycode rather than map bytes to characters, or refuse errors="replace". Names as
# codecs.lookup(...).name spells them.
_NOT_CHARSETS = frozenset(
    {
        "idna",
        "punycode",
        "utf-7",
        "unicode-escape",
        "raw-unicode-escape",
        "undefined",
        "charmap",
        "mbcs",
        "oem",
    }
)


def normalise_charset(label: str | None) -> str | None:
    """A Python codec name for a declared label, or None if the label is empty, unknown or no charset."""
    if not label:
        return None
    name = label.strip().strip("\"'").lower()
    name = _WHATWG_ALIASES.get(name, name)
    try:
        info = codecs.lookup(name)
    except LookupError:
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_CHARSETS:
        return None
    return info.name


def _decode(body: bytes, name: str) -> str:
    """`body` in the charset `name`; the mixed UTF-8 reading if that codec fails anyway."""
    try:
        return body.decode(name, errors="replace")
    except (LookupError, UnicodeError):  # a codec that slipped past normalise_charset
        return _mixed_utf8(body)


def declared_charset(body: bytes) -> str | None:
    """The charset a page declares about itself (<meta> or XML declaration), as a codec name."""
    head = body[:_SNIFF_BYTES]
    for pattern in (_META_CHARSET, _XML_ENCODING):
        for match in pattern.finditer(head):
            name = normalise_charset(match.group(1).decode("ascii", "ignore"))
            if name and name.startswith(("utf-16", "utf-32")):
                return "utf-8"  # an ASCII-readable declaration cannot be UTF-16 (WHATWG rule)
            if name:
                return name
    return None


def _is_utf8(name: str | None) -> bool:
    return name is not None and name.replace("_", "-") in {"utf-8", "utf-8-sig"}


def _mixed_utf8(body: bytes) -> str:
    return body.decode("utf-8", errors="service-cp1252-fallback")


def _guess(body: bytes) -> str | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # an optional helper: the mixed decoding is a sound fallback
        return None
    best = from_bytes(body[:200_000]).best()
    return normalise_charset(best.encoding) if best is not None else None


def decode_html(body: bytes, header_charset: str | None = None) -> str:
    """Decode a page's bytes; see the module docstring for the order of evidence."""
    if not body:
        return ""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return _decode(body[len(bom) :], name)

    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None and any(b >= 0x80 for b in body):
        return text  # valid UTF-8 with non-ASCII bytes: UTF-8, whatever the label says

    if text is not None:
        return text  # pure ASCII: every ASCII-compatible label reads it the same way

    declared = normalise_charset(header_charset) or declared_charset(body)
    if declared and not _is_utf8(declared):
        return _decode(body, declared)
    mixed = _mixed_utf8(body)
    if declared is None and _mostly_non_ascii(mixed):
        # Undeclared and not Latin-script text: a detector's guess beats windows-1252. For Latin
        # text (every Indonesian page) detectors misfire on a few stray bytes, so they are not asked.
        guess = _guess(body)
        if guess and not _is_utf8(guess):
            return _decode(body, guess)
    return mixed


def _mostly_non_ascii(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(ord(c) > 0x7F for c in letters) > 0.3 * len(letters)
