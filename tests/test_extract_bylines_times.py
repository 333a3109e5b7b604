"""detik bylines and the times Indonesian readers read (WIB, WITA, WIT)."""

from __future__ import annotations

import pytest

from service.article import Article
from service.extract.localtime import local_time
from service.extract.page import extract_html
from service.present import metadata_line

BODY = "".join(
    f"<p>Kalimat isi berita teknologi nomor {i} yang cukup panjang untuk dibaca sebagai paragraf.</p>"
    for i in range(4)
)


def detik_page(meta_time: str, visible: str = "Kamis, 02 Nov 2023 10:08 WIB") -> str:
    return (
        "<html><head><title>Ponsel Baru Dirilis Pekan Ini - detikInet</title>"
        f'<meta property="article:published_time" content="{meta_time}"></head><body>'
        f'<h1>Ponsel Baru Dirilis Pekan Ini</h1><div class="date">{visible}</div>'
        f'<div class="detail__body-text"><p>Fino Yurio Kristo - detikinet</p>{BODY}</div></body></html>'
    )


@pytest.mark.parametrize("url", [None, "https://inet.detik.com/consumer/d-7000001/ponsel-baru"],
                         ids=["generic", "outlet"])
def test_a_detik_byline_opening_the_body_is_the_author_not_a_paragraph(url: str | None):
    a = extract_html(detik_page("2023-11-02T10:08:00+07:00"), url)
    assert a.author == "Fino Yurio Kristo"
    assert a.paragraphs[0].startswith("Kalimat isi berita teknologi nomor 0")
    assert "detikinet" not in a.text


def test_the_visible_dateline_wins_over_a_tag_that_labels_a_wib_time_as_utc():
    a = extract_html(detik_page("2023-11-02T10:08:00+00:00"))
    assert a.published == "2023-11-02T10:08:00+07:00"
    assert "2 Nov 2023, 10:08 WIB" in metadata_line(a)


def test_a_tag_and_a_stamp_that_agree_on_the_instant_keep_the_tag():
    a = extract_html(detik_page("2023-11-02T03:08:00+00:00"))
    assert local_time(a.published) == "2 Nov 2023, 10:08 WIB"


@pytest.mark.parametrize(
    ("iso", "shown"),
    [
        ("2024-03-05T02:20:00+00:00", "5 Mar 2024, 09:20 WIB"),  # Liputan6's UTC tag, shown as WIB
        ("2024-03-05T02:20:00Z", "5 Mar 2024, 09:20 WIB"),
        ("2024-03-05T08:00:00+07:00", "5 Mar 2024, 08:00 WIB"),  # Kompas's UTC+07:00
        ("2024-03-05T08:00:00+08:00", "5 Mar 2024, 08:00 WITA"),  # Bali, Kalimantan, Sulawesi
        ("2024-03-05T08:00:00+09:00", "5 Mar 2024, 08:00 WIT"),  # Maluku, Papua
        ("2024-03-05T08:00:00", "5 Mar 2024, 08:00"),  # no zone stated: none invented
        ("2024-03-05", "5 Mar 2024"),
        ("kemarin sore", "kemarin sore"),
    ],
)
def test_times_show_the_local_zone_by_name(iso: str, shown: str):
    assert local_time(iso) == shown


def test_the_metadata_line_uses_the_zone_name():
    a = Article(title="Judul", paragraphs=("Isi.",), site="Kompas.com", published="2024-03-05T08:00:00+08:00")
    assert "5 Mar 2024, 08:00 WITA" in metadata_line(a)
