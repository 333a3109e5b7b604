"""The four patterns issue 11 found on pages the extractor was never tuned on, each on a small
page written for this test (fixtures/pages) that has the same structure: a short news item, an
article in in-page sections, keyword links inside sentences, and a visible headline with the
punctuation the meta titles lost."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from service.errors import ExtractionError
from service.extract.charset import decode_html
from service.extract.page import extract_html

PAGES = Path(__file__).parent / "fixtures" / "pages"


def read(name: str) -> str:
    return decode_html((PAGES / name).read_bytes())


# 1. Short news items -------------------------------------------------------------------------


def test_a_short_news_item_on_a_busy_page_is_the_article():
    """Five paragraphs, ~80 words, a BACA JUGA card and "Sumber:" + tags inside div.story,
    on a page whose teaser summaries hold more text than the article."""
    a = extract_html(read("short_story_item.html"))
    assert a.paragraphs[0].startswith("LEMBAH HIJAU, WARTALEMBAH - Aliran listrik")
    assert a.paragraphs[-1] == '"Kami minta maaf kepada pelanggan atas gangguan ini," ujar Rudi.'
    assert len(a.paragraphs) == 4
    for teaser in ("Ratusan pedagang", "Murid yang", "Jembatan Desa Diresmikan", "BACA JUGA", "pemadaman"):
        assert teaser not in a.text
    assert a.source == "Humas Unit Layanan"  # the "Sumber:" line is a credit, not body


@pytest.mark.parametrize(
    "page",
    [
        # an index page: nothing but teasers
        "<html><body><h1>Berita Daerah</h1>" + "".join(
            f'<div class="item"><h3><a href="/{i}">Judul Berita Nomor {i} di Kota Ini</a></h3>'
            f"<p>Ringkasan singkat berita nomor {i} yang hanya tampil di halaman indeks ini saja.</p></div>"
            for i in range(8)
        ) + "</body></html>",
        # a video-only page: a player and a one-line caption
        '<html><body><h1>Video: Banjir di Jalan Utama</h1><div class="player"><video src="v.mp4"></video>'
        "<p>Banjir setinggi lutut.</p></div></body></html>",
        # a login wall
        "<html><body><h1>Laporan Khusus</h1><p>Artikel ini khusus untuk pelanggan. Masuk untuk melanjutkan"
        " membaca.</p><p>Sudah berlangganan? Masuk di sini.</p></body></html>",
    ],
    ids=["index page", "video only", "login wall"],
)
def test_pages_without_an_article_still_say_so(page: str):
    with pytest.raises(ExtractionError) as err:
        extract_html(page)
    assert err.value.explain["no_article"]  # and say why (see test_extract_explain.py)


# 2. In-page sections --------------------------------------------------------------------------


def test_hidden_paged_sections_are_joined_in_order_with_their_subheadings():
    a = extract_html(read("paged_sections.html"))
    subheads = ["Atur Jadwal Penyiraman", "Pindahkan Pot ke Tempat Teduh", "Pastikan Lubang Pot Tidak Tersumbat",
                "Beri Pupuk Secukupnya"]
    positions = [a.paragraphs.index(h) for h in subheads]  # each a paragraph of its own
    assert positions == sorted(positions)
    assert a.paragraphs[-1] == "Dengan perawatan ini tanaman hias bisa melewati musim hujan tanpa layu dan tetap rimbun."
    for hidden_junk in ("Masuk untuk menyimpan", "Tanaman Hias", "Judul Artikel Lain", "Ringkasan artikel lain",
                        "langganan buletin"):
        assert hidden_junk not in a.text


def test_hidden_sections_without_paging_attributes_are_kept_when_they_are_twins_of_the_visible_one():
    html = read("paged_sections.html")
    html = re.sub(r' data-paging_num="\d"', "", html)
    a = extract_html(html)
    assert "Beri Pupuk Secukupnya" in a.paragraphs
    assert "Masuk untuk menyimpan" not in a.text


def test_a_hidden_block_that_is_not_a_section_of_the_article_still_goes():
    body = "".join(f"<p>Kalimat isi berita nomor {i} yang cukup panjang untuk dibaca sebagai paragraf.</p>"
                   for i in range(5))
    html = (f"<html><body><article><h1>Judul Berita Hari Ini</h1>{body}</article>"
            '<div class="popup-modal" style="display:none" data-page="1"><p>Daftar sekarang untuk membaca '
            "semua artikel tanpa batas dan tanpa iklan setiap hari.</p></div></body></html>")
    assert "Daftar sekarang" not in extract_html(html).text


# 3. Inline link text -------------------------------------------------------------------------


@pytest.mark.parametrize("url", [None, "https://money.kompas.com/read/2024/01/01/1/x"], ids=["generic", "outlet"])
def test_keyword_links_inside_sentences_keep_their_words(url: str | None):
    a = extract_html(read("inline_tag_links.html"), url)
    assert a.paragraphs[0] == (
        "SUKAMAJU, KABARSAWAH - Gubernur Jawa Tengah (Gubernur) menyebut harga gabah kering di tingkat petani"
        " mulai naik pekan ini."
    )
    assert "sebagian besar kabupaten di wilayah selatan" in a.text
    assert "kata dia di kantor dinas pertanian" in a.text
    assert "menampung beras dari petani" in a.text
    assert "Stok Pupuk Bersubsidi" not in a.text and "Baca juga" not in a.text  # the block promo still goes


# 4. The visible headline ---------------------------------------------------------------------


def test_the_visible_h1_wins_when_it_has_the_meta_titles_words_with_punctuation():
    assert extract_html(read("h1_with_punctuation.html")).title == "Harga Beras Naik Lagi: Apa Benar Stok Aman?"


def test_a_logo_or_section_h1_does_not_replace_the_meta_title():
    body = "".join(f"<p>Kalimat isi berita nomor {i} yang cukup panjang untuk dibaca sebagai paragraf.</p>"
                   for i in range(4))
    html = ('<html><head><title>Harga Beras Naik Lagi Apa Benar Stok Aman - Warta Pangan</title>'
            '<meta property="og:title" content="Harga Beras Naik Lagi Apa Benar Stok Aman"></head><body>'
            f'<h1 class="logo">Warta Pangan</h1><h1>Ekonomi</h1><article>{body}</article></body></html>')
    assert extract_html(html).title == "Harga Beras Naik Lagi Apa Benar Stok Aman"
