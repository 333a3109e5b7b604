"""Multi-page articles: the outlets' all-pages views, and the links to the other pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.extract.page import all_pages_url, next_page_urls

PAGES = Path(__file__).parent / "fixtures" / "pages"


@pytest.mark.parametrize(
    ("url", "whole"),
    [
        ("https://nasional.kompas.com/read/2023/05/18/16000001/judul-berita",
         "https://nasional.kompas.com/read/2023/05/18/16000001/judul-berita?page=all"),
        ("https://nasional.kompas.com/read/2023/05/18/16000001/judul-berita?page=2",
         "https://nasional.kompas.com/read/2023/05/18/16000001/judul-berita?page=all"),
        ("https://www.tribunnews.com/nasional/2023/05/18/judul-berita",
         "https://www.tribunnews.com/nasional/2023/05/18/judul-berita?page=all"),
        ("https://news.detik.com/berita/d-7000001/judul-berita",
         "https://news.detik.com/berita/d-7000001/judul-berita?single=1"),
        ("https://news.detik.com/berita/d-7000001/judul-berita?utm_source=x",
         "https://news.detik.com/berita/d-7000001/judul-berita?utm_source=x&single=1"),
        ("https://www.antaranews.com/berita/1234567/judul-berita", None),
        ("https://www.kompas.com/", None),  # the home page has nothing to unfold
        ("https://kabarkota.example/read/2023/judul", None),
    ],
)
def test_all_pages_url_asks_each_outlet_for_its_whole_article_view(url: str, whole: str | None):
    assert all_pages_url(url) == whole


def test_links_to_the_other_pages_are_found_in_order_without_duplicates_or_other_articles():
    html = (PAGES / "multipage_1.html").read_text(encoding="utf-8")
    url = "https://jurnalborneo.example/budaya/pasar-terapung-kalimantan"
    assert next_page_urls(html, url) == [
        "https://jurnalborneo.example/budaya/pasar-terapung-kalimantan?page=2",
        "https://jurnalborneo.example/budaya/pasar-terapung-kalimantan?page=3",
    ]


def test_from_a_middle_page_the_remaining_page_is_found():
    html = (PAGES / "multipage_2.html").read_text(encoding="utf-8")
    url = "https://jurnalborneo.example/budaya/pasar-terapung-kalimantan?page=2"
    assert "https://jurnalborneo.example/budaya/pasar-terapung-kalimantan?page=3" in next_page_urls(html, url)


@pytest.mark.parametrize(
    ("links", "expected"),
    [
        # Tribun-style path pages
        ('<a href="/nasional/2023/05/18/judul-berita/2">2</a><a href="/nasional/2023/05/18/judul-berita/3">3</a>',
         ["https://site.example/nasional/2023/05/18/judul-berita/2", "https://site.example/nasional/2023/05/18/judul-berita/3"]),
        # "Halaman 2" and "Selanjutnya" labels, rel=next
        (('<a href="/nasional/2023/05/18/judul-berita?page=2">Halaman 2</a>'
         '<a rel="next" href="/nasional/2023/05/18/judul-berita?page=2">Selanjutnya</a>'),
         ["https://site.example/nasional/2023/05/18/judul-berita?page=2"]),
        # numbered links to other articles are not pages of this one
        ('<a href="/nasional/2023/05/18/berita-lain?page=2">2</a><a href="/indeks?page=2">2</a>', []),
        ("", []),
    ],
)
def test_page_links_in_the_usual_shapes(links: str, expected: list[str]):
    html = f"<html><body><article><p>Isi.</p></article><div class='paging'>{links}</div></body></html>"
    assert next_page_urls(html, "https://site.example/nasional/2023/05/18/judul-berita") == expected
