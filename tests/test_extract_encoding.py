"""Page bytes -> text: declarations that lie, BOMs, mixed bytes; decoding never raises."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from service.extract.charset import decode_html
from service.extract.page import extract_html

TEXT = "Penyanyi “Rina” tampil di kafé — KapanLagi.com® © 2016"


def test_utf8_bytes_declared_iso_8859_1_come_out_right():
    body = f"<html><head><meta charset='iso-8859-1'></head><body><p>{TEXT}</p></body></html>".encode()
    assert TEXT in decode_html(body)
    assert TEXT in decode_html(body, header_charset="ISO-8859-1")


def test_the_fixture_page_that_declares_latin1_but_is_utf8_extracts_with_its_symbols():
    raw = (Path(__file__).parent / "fixtures" / "pages" / "wrong_charset_declared.html").read_bytes()
    article = extract_html(decode_html(raw))
    assert article.paragraphs[0].startswith("DuniaHiburan.com® - Penyanyi muda")
    assert "“cinta dan persahabatan”" in article.text and "kafé" in article.text
    assert "Â" not in article.text


def test_windows_1252_bytes_labelled_utf8_are_read_as_windows_1252():
    body = f"<meta charset='utf-8'><p>{TEXT}</p>".encode("cp1252")
    assert TEXT in decode_html(body)


def test_a_utf8_page_with_a_few_stray_windows_1252_bytes_keeps_both():
    body = "<p>Kafé “baru” dibuka</p>".encode() + " — lalu “tutup”".encode("cp1252")
    assert decode_html(body, "utf-8") == "<p>Kafé “baru” dibuka</p> — lalu “tutup”"


def test_a_true_latin1_page_is_decoded_by_its_declaration():
    body = "<meta charset='iso-8859-1'><p>Grüße aus Köln</p>".encode("latin-1")
    assert "Grüße aus Köln" in decode_html(body)


def test_the_header_charset_is_used_for_non_latin_pages():
    body = "<p>Новости дня и статьи</p>".encode("koi8-r")
    assert "Новости дня и статьи" in decode_html(body, header_charset="KOI8-R")


@pytest.mark.parametrize(
    ("bom", "codec"),
    [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")],
)
def test_a_byte_order_mark_wins_over_any_declaration(bom: bytes, codec: str):
    body = bom + f"<meta charset='iso-8859-1'><p>{TEXT}</p>".encode(codec)
    decoded = decode_html(body, header_charset="iso-8859-1")
    assert TEXT in decoded and not decoded.startswith("\ufeff")


@pytest.mark.parametrize(
    "body",
    [b"", b"\xff\xfe\xfd", b"\x80\x81\x82\x83" * 100, bytes(range(256)) * 20, b"<meta charset='no-such-codec'>\xe9"],
)
def test_undecodable_bytes_never_raise(body: bytes):
    assert isinstance(decode_html(body, header_charset="bogus-charset"), str)


def test_an_unknown_declared_charset_is_ignored():
    body = f"<meta charset='x-made-up'><p>{TEXT}</p>".encode()
    assert TEXT in decode_html(body)


# --- declared "charsets" that are not text encodings ----------------------------------------------
# Python's codec registry also holds byte transforms (base64, zlib, rot13...) and codecs that are
# text encodings but not charsets (idna, punycode, utf-7...). A page naming one must be read as if
# it declared nothing, never crash the program or turn "+ADw-" into "<".

BYTE_TRANSFORMS = ["base64", "rot13", "hex", "zlib", "uu", "bz2", "quopri"]
TEXT_CODECS_NOT_CHARSETS = ["idna", "punycode", "utf-7", "unicode_escape", "raw_unicode_escape", "undefined"]
NOT_CHARSETS = [*BYTE_TRANSFORMS, *TEXT_CODECS_NOT_CHARSETS, "charmap"]
BODY_TEXT = "Warga kafé di Jakarta. " * 8  # the é is one windows-1252 byte: not valid UTF-8


def _page(head: str = "", prolog: str = "") -> bytes:
    html = (
        f"{prolog}<html><head>{head}<title>Banjir di Jakarta</title></head><body><article>"
        + "".join(f"<p>{BODY_TEXT}{i}</p>" for i in range(4))
        + "</article></body></html>"
    )
    return html.encode("cp1252")


def _placements(codec: str) -> dict[str, tuple[bytes, str | None]]:
    """Where a page can name its charset: (body, Content-Type charset)."""
    return {
        "meta": (_page(head=f'<meta charset="{codec}">'), None),
        "xml": (_page(prolog=f'<?xml version="1.0" encoding="{codec}"?>'), None),
        "header": (_page(), codec),
    }


@pytest.mark.parametrize("where", ["meta", "xml", "header"])
@pytest.mark.parametrize("codec", NOT_CHARSETS)
def test_a_codec_that_is_not_a_charset_is_treated_as_undeclared(codec: str, where: str):
    body, header = _placements(codec)[where]
    text = decode_html(body, header_charset=header)
    assert "Warga kafé di Jakarta." in text


def test_utf7_declared_cannot_smuggle_markup():
    body = b'<meta charset="utf-7"><p>+ADw-script+AD4-alert(1)+ADw-/script+AD4- caf\xe9</p>'
    text = decode_html(body)
    assert "<script" not in text and "+ADw-script" in text


def _cli(*argv: str) -> tuple[int, str, str]:
    import io

    from service.cli import main

    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("where", ["meta", "xml"])
@pytest.mark.parametrize("codec", ["base64", "rot13", "zlib", "idna", "punycode"])
def test_extract_file_with_a_non_text_codec_declared_reads_the_page(tmp_path, codec: str, where: str):
    body, _ = _placements(codec)[where]
    page = tmp_path / "page.html"
    page.write_bytes(body)
    code, out, err = _cli("extract", "--file", str(page))
    assert code == 0, err
    assert "Warga kafé di Jakarta." in out


@pytest.mark.parametrize("where", ["meta", "xml", "header"])
@pytest.mark.parametrize("codec", ["base64", "hex", "bz2", "idna", "punycode"])
def test_extract_url_with_a_non_text_codec_declared_reads_the_page(codec: str, where: str):
    from localserver import serve

    body, header = _placements(codec)[where]
    ctype = "text/html" + (f"; charset={header}" if header else "")
    with serve({"/berita": (200, {"Content-Type": ctype}, body)}) as base:
        code, out, err = _cli("extract", f"{base}/berita", "--allow-private-urls")
    assert code == 0, err
    assert "Warga kafé di Jakarta." in out
