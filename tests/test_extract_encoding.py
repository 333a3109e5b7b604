"""Page bytes -> text: declarations that lie, BOMs, mixed bytes; decoding never raises."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from service.decode import decode_html
from service.extract import extract_html

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
