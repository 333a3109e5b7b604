"""Title without the site's decoration, author, ISO 8601 date, site name and canonical URL."""

from __future__ import annotations

import pytest

from service.extract.metadata import choose_title, parse_date
from service.extract.page import extract_html

BODY = (
    "<p>JAKARTA - Pemerintah provinsi menambah armada bus listrik untuk melayani rute baru di pinggiran kota.</p>"
    "<p>Penambahan armada dilakukan bertahap hingga akhir tahun, kata kepala dinas perhubungan setempat.</p>"
)


def page(head: str, body: str = "") -> str:
    return f"<html><head><meta charset='utf-8'>{head}</head><body>{body}<article>{BODY}</article></body></html>"


@pytest.mark.parametrize(
    ("head", "body", "title"),
    [
        ("<title>Bus Listrik Layani Rute Baru - Kompas.com</title>", "", "Bus Listrik Layani Rute Baru"),
        ("<title>Bus Listrik Layani Rute Baru | Republika Online</title>", "", "Bus Listrik Layani Rute Baru"),
        (("<meta property='og:title' content='KapanLagi.com: Bus Listrik Layani Rute Baru'>"
         "<title>Transportasi | Bus Listrik Layani Rute Baru - KapanLagi.com</title>"), "", "Bus Listrik Layani Rute Baru"),
        (("<title>Bus Listrik Layani Rute Baru - Health :: Okezone Lifestyle</title>"
         "<meta property='og:title' content='Bus Listrik Layani Rute Baru'>"), "", "Bus Listrik Layani Rute Baru"),
        # the page's own headline settles what the decorated titles contain
        ("<title>Regional - Bus Listrik: Layani Rute Baru - Kabar Kota</title>", ("<h1>Kabar Kota</h1>"
         "<h2>Bus Listrik: Layani Rute Baru</h2>"), "Bus Listrik: Layani Rute Baru"),
        # a colon inside a headline is not a separator to cut at
        (("<title>Tri Indonesia: Broadband Dorong Ekonomi Digital - Tekno Liputan6.com</title>"
         "<meta property='og:title' content='Tri Indonesia: Broadband Dorong Ekonomi Digital'>"), "",
         "Tri Indonesia: Broadband Dorong Ekonomi Digital"),
        ("<title>Menteri Ancam PNS yang Malas &quot;Dipangkas&quot; - Kompas.com</title>", "",
         'Menteri Ancam PNS yang Malas "Dipangkas"'),
    ],
)
def test_title_loses_the_site_decoration(head: str, body: str, title: str):
    assert extract_html(page(head, body)).title == title


def test_title_choice_prefers_a_heading_the_meta_titles_contain():
    assert choose_title(["Judul Berita Hari Ini - Situs"], ["Situs", "Judul Berita Hari Ini"], "Situs", "situs.example") == (
        "Judul Berita Hari Ini"
    )


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2015-11-05T14:56:43+07:00", "2015-11-05T14:56:43+07:00"),
        ("2016-02-16T13:01:52+0700", "2016-02-16T13:01:52+07:00"),
        ("2015-11-05 T10:08:58Z", "2015-11-05T10:08:58+00:00"),
        ("2024/01/20 14:05:00", "2024-01-20T14:05:00"),
        ("Kamis, 05 November 2015 | 11:13 WIB", "2015-11-05T11:13:00+07:00"),
        ("Rabu, 4 November 2015 21:04 WITA", "2015-11-04T21:04:00+08:00"),
        ("Kompas.com - 18/05/2023, 16:00 WIB", "2023-05-18T16:00:00+07:00"),
        ("Sabtu, 20 Jan 2024 19:30 WIT", "2024-01-20T19:30:00+09:00"),
        ("17 Agustus 2045", "2045-08-17"),
        ("February 16, 2016", "2016-02-16"),
        ("Diperbarui 3 Mei 2023, 08.15 WIB", "2023-05-03T08:15:00+07:00"),
        ("bukan tanggal", None),
    ],
)
def test_dates_become_iso_8601_with_the_stated_zone(text: str, iso: str | None):
    assert parse_date(text) == iso


def test_author_date_site_and_canonical_from_the_head():
    a = extract_html(page(
        "<title>Bus Listrik Layani Rute Baru - Kabar Kota</title>"
        "<meta property='og:site_name' content='Kabar Kota'>"
        "<link rel='canonical' href='/transportasi/bus-listrik-layani-rute-baru'>"
        "<meta property='article:published_time' content='2024-05-02T07:45:00+07:00'>"
        "<script type='application/ld+json'>{\"@type\": \"NewsArticle\", \"author\": [{\"name\": \"Rina Wulansari\"}]}</script>"
    ), url="https://kabarkota.example/transportasi/bus-listrik-layani-rute-baru?utm_source=x")
    assert a.author == "Rina Wulansari"
    assert a.published == "2024-05-02T07:45:00+07:00"
    assert a.site == "Kabar Kota"
    assert a.url == "https://kabarkota.example/transportasi/bus-listrik-layani-rute-baru"


def test_site_names_in_author_fields_are_not_authors():
    a = extract_html(page(
        "<title>Bus Listrik Layani Rute Baru - Kompas.com</title><meta name='author' content='Kompas Cyber Media'>"
        "<meta property='article:author' content='https://www.facebook.com/kompas'>"
    ))
    assert a.author is None


def test_known_outlets_are_named_as_they_name_themselves():
    a = extract_html(page("<title>Bus Listrik Layani Rute Baru</title>"
                          "<meta property='og:site_name' content='lifestyle.okezone.com'>"),
                     url="https://lifestyle.okezone.com/read/2024/05/02/1/123/bus-listrik")
    assert a.site == "Okezone"


def test_date_stamped_under_the_headline_wins_over_dates_of_related_items():
    a = extract_html(page(
        "<title>Bus Listrik Layani Rute Baru - Kabar Kota</title>",
        "<div class='populer'><div class='date'>Senin, 1 Januari 2024</div></div>"
        "<h1>Bus Listrik Layani Rute Baru</h1><div>Kamis, 2 Mei 2024 | 07:45 WIB</div>",
    ))
    assert a.published == "2024-05-02T07:45:00+07:00"


@pytest.mark.parametrize(
    ("title", "headline"),
    [
        ("Bus Listrik Layani Rute Baru Halaman all - Kompas.com", "Bus Listrik Layani Rute Baru"),
        ("Bus Listrik Layani Rute Baru - Media Indonesia", "Bus Listrik Layani Rute Baru"),
        ("Bus Listrik Layani Rute Baru - Pikiran Rakyat", "Bus Listrik Layani Rute Baru"),
        ("Bus Listrik Layani Rute Baru | merdeka.com", "Bus Listrik Layani Rute Baru"),
    ],
)
def test_page_numbers_and_outlet_names_are_not_part_of_the_title(title: str, headline: str):
    assert extract_html(page(f"<title>{title}</title>")).title == headline
