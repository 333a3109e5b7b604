"""Pages that hold no article, or are built to hurt: an error that says what to do, quickly."""

from __future__ import annotations

import time

import pytest

from service.errors import ExtractionError
from service.extract.page import extract_html

PARA = "<p>Pemerintah kota akan membangun jembatan baru di atas sungai itu tahun depan, kata wali kota.</p>"


@pytest.mark.parametrize(
    "html",
    [
        "",
        "   \n\t  ",
        "\x00\x00\x00",
        "<html><head><title>Kosong</title></head><body></body></html>",
        "<html><body><div id='app'></div><script>render()</script><noscript>Aktifkan JavaScript.</noscript></body></html>",
        "<html><body><nav><a href='/a'>Beranda</a><a href='/b'>Nasional</a></nav><footer>© 2024</footer></body></html>",
        "<?xml version='1.0' encoding='utf-8'?><rss><channel><title>Feed</title></channel></rss>",
        "just some text that is not html at all",
    ],
    ids=["empty", "whitespace", "nul", "empty-body", "js-only", "menus-only", "xml-feed", "not-html"],
)
def test_pages_without_an_article_say_to_paste_the_text(html: str):
    with pytest.raises(ExtractionError, match="No article found on this page. Paste the article text instead."):
        extract_html(html)


@pytest.mark.parametrize(
    "html",
    [
        "<html><body>" + "<div>" * 100_000 + PARA + "</div>" * 100_000 + "</body></html>",
        "<html><body><p>" + "<b>" * 100_000 + "teks" + "</b>" * 100_000 + "</p></body></html>",
        "<html><body>" + "<div><span>" * 50_000 + PARA,  # never closed
        "<table><tr><td>" * 5_000 + PARA + "</td></tr></table>" * 5_000,
        "<html><body>" + "<div><a href='/x'>tautan berita lain</a></div>" * 60_000 + "</body></html>",
    ],
    ids=["100k-nested-divs", "100k-nested-bold", "unclosed", "nested-tables", "huge-link-farm"],
)
def test_hostile_pages_fail_cleanly_in_bounded_time(html: str):
    started = time.monotonic()
    with pytest.raises(ExtractionError):
        extract_html(html)
    assert time.monotonic() - started < 20  # generous: the point is "bounded", not fast


def test_a_page_with_a_paywall_prompt_and_only_a_teaser_is_no_article():
    html = (
        "<html><body><article><h1>Analisis Ekonomi</h1>"
        "<p>Pemerintah menyiapkan langkah menjaga defisit anggaran tetap di bawah batas undang-undang.</p>"
        "<p>Artikel ini khusus untuk pelanggan. Berlangganan untuk membaca selengkapnya.</p>"
        "</article></body></html>"
    )
    with pytest.raises(ExtractionError):
        extract_html(html)


def test_paywall_words_inside_scripts_do_not_make_a_short_article_a_stub():
    html = (
        "<html><head><script>var t = 'Artikel ini khusus untuk pelanggan';</script></head><body><article>"
        "<h1>Gempa Kecil di Laut Selatan</h1>"
        "<p>Gempa berkekuatan 4,1 mengguncang laut selatan Jawa pada Senin pagi tanpa menimbulkan kerusakan.</p>"
        "<p>Badan meteorologi memastikan gempa itu tidak berpotensi tsunami.</p>"
        "</article><script>paywall('khusus untuk pelanggan')</script></body></html>"
    )
    assert len(extract_html(html).paragraphs) == 2


def test_json_ld_nested_thousands_deep_is_ignored_not_a_crash():
    body = "<p>Warga desa membangun jembatan bambu sepanjang dua puluh meter pada hari Minggu pagi.</p>" \
           "<p>Kepala desa mengatakan pembangunan dilakukan secara gotong royong oleh lima puluh warga.</p>"
    html = (
        '<html><head><title>Warga Bangun Jembatan Bambu</title>'
        '<script type="application/ld+json">' + "[" * 5000 + "]" * 5000 + "</script>"
        '<script type="application/ld+json">{"@type": "NewsArticle", "author": '
        + "[" * 900 + '"Rina"' + "]" * 900 + "}</script></head><body><article>" + body + "</article></body></html>"
    )
    article = extract_html(html)
    assert article.title == "Warga Bangun Jembatan Bambu"
    assert len(article.paragraphs) == 2
