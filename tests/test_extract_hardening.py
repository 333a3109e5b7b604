"""What a hostile page or paste must not get from extraction: a worker held for minutes (the
extract deadline), a title that shows in another order than it reads (bidi controls), or the
name and address of an outlet that did not publish it (who published is the fetched host)."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import pytest

from service.acquire import acquire_text, acquire_url
from service.config import Settings
from service.errors import ExtractionError, ExtractionTimeoutError
from service.extract import cleanup as cleanup
from service.extract.outlets import registrable_domain, same_site
from service.extract.page import extract_html, extract_text
from tests.support.pages import fetched

PASTE = (Path(__file__).parent / "fixtures" / "pasted" / "kompas_style_paste.txt").read_text(encoding="utf-8")
SENTENCES = [
    f"Warga desa nomor {i} bergotong royong membangun jembatan bambu baru di atas sungai itu pada hari Minggu."
    for i in range(200)
]


# --- the extract deadline ----------------------------------------------------------------------

SLOW_STEP = 0.02  # seconds one paragraph's slow check takes below


@pytest.fixture
def slow_junk_check(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every paragraph's boilerplate check made slow, as a pattern gone quadratic would be."""
    calls: list[str] = []

    def slow_is_junk(text: str) -> bool:
        calls.append(text)
        time.sleep(SLOW_STEP)
        return False

    monkeypatch.setattr(cleanup, "is_junk", slow_is_junk)
    return calls


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("\n\n".join(SENTENCES), "This text took longer than 0.1 s to read"),
        (
            "<html><body><article>" + "".join(f"<p>{s}</p>" for s in SENTENCES) + "</article></body></html>",
            "This page took longer than 0.1 s to read",
        ),
    ],
    ids=["pasted", "html"],
)
def test_an_extraction_past_its_deadline_stops_early_with_an_error_that_says_what_to_do(
    slow_junk_check: list[str], text: str, message: str
):
    started = time.monotonic()
    with pytest.raises(ExtractionTimeoutError, match=message) as caught:
        acquire_text(text, replace(Settings(), extract_deadline=0.1))
    elapsed = time.monotonic() - started
    whole_slow_step = len(SENTENCES) * SLOW_STEP
    assert isinstance(caught.value, ExtractionError) and "Paste" in str(caught.value)
    assert len(slow_junk_check) < len(SENTENCES) / 4  # stopped after a few paragraphs, not at the end
    assert elapsed < whole_slow_step / 4


def test_a_fetched_page_runs_under_the_same_deadline(slow_junk_check: list[str]):
    html = "<html><body><article>" + "".join(f"<p>{s}</p>" for s in SENTENCES) + "</article></body></html>"

    def fetcher(url, settings, *, deadline=None):  # type: ignore[no-untyped-def]
        return fetched(url, html.encode())

    with pytest.raises(ExtractionTimeoutError):
        acquire_url(
            "https://kabarkota.example/berita/1", replace(Settings(), extract_deadline=0.1), fetcher=fetcher
        )
    assert len(slow_junk_check) < len(SENTENCES) / 4


def test_with_time_to_spare_the_slow_step_runs_to_the_end(slow_junk_check: list[str]):
    article = acquire_text("\n\n".join(SENTENCES[:5]), replace(Settings(), extract_deadline=60.0))
    assert len(article.paragraphs) == 5 and len(slow_junk_check) == 5


# --- bidi controls -----------------------------------------------------------------------------

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"


def _text_fields(article) -> list[str]:  # type: ignore[no-untyped-def]
    values = [
        article.title,
        *article.paragraphs,
        article.author,
        article.published,
        article.site,
        article.url,
        article.source,
        *(str(v) for v in article.extras.values()),
    ]
    return [v for v in values if v]


def test_bidi_controls_are_stripped_from_every_field_of_a_page():
    html = (
        "<html><head><title>Harga Beras \u202eNaik\u202c di Pasar Induk - Kabar Kota</title>"
        "<meta property='og:site_name' content='Kabar\u200f Kota'>"
        "<meta name='author' content='Rina \u2067Wulansari\u2069'>"
        "<link rel='canonical' href='https://kabarkota.example/ekonomi/\u202eberas'>"
        "</head><body><article><h1>Harga Beras \u202eNaik\u202c di Pasar Induk</h1>"
        "<p>JAKARTA, KOMPAS.com\u200e - Harga beras di pasar induk naik \u2066dua ribu\u2069 rupiah per kilogram "
        "sejak awal pekan, kata para pedagang kepada wartawan.</p>"
        "<p>Pedagang menyebut pasokan dari daerah\u061c penghasil berkurang karena panen mundur dua minggu.</p>"
        "<p>Editor: Budi\u202d Santoso\u202c</p></article></body></html>"
    )
    a = extract_html(html)
    assert [f for f in _text_fields(a) if any(c in f for c in BIDI)] == []
    assert a.title == "Harga Beras Naik di Pasar Induk"
    assert a.author == "Rina Wulansari" and a.site == "Kabar Kota"
    assert "naik dua ribu rupiah" in a.paragraphs[0]
    assert a.url == "https://kabarkota.example/ekonomi/beras"


def test_bidi_controls_are_stripped_from_every_field_of_a_paste():
    spoofed = (
        PASTE.replace("Pemerintah Kota Siapkan", "Pemerintah \u202eKota\u202c Siapkan")
        .replace("Rina Wulansari\n", "Rina \u2066Wulansari\u2069\n")
        .replace("Sumber Antara", "Sumber An\u200ftara")
        .replace("menyiapkan jalur", "menyiapkan\u061c jalur")
    )
    a = extract_text(spoofed)
    assert [f for f in _text_fields(a) if any(c in f for c in BIDI)] == []
    assert a.title == "Pemerintah Kota Siapkan Jalur Sepeda Terpisah Sepanjang 12 Kilometer"
    assert "Rina Wulansari" in (a.author or "") and a.source == "Antara"
    assert "menyiapkan jalur sepeda" in a.paragraphs[0]


# --- who published it --------------------------------------------------------------------------


def _page_claiming(canonical: str, *, site_name: str = "Kompas.com") -> str:
    body = "".join(f"<p>{s}</p>" for s in SENTENCES[:4])
    return (
        "<html><head><title>Jembatan Bambu Baru - Kompas.com</title>"
        f"<link rel='canonical' href='{canonical}'><meta property='og:url' content='{canonical}'>"
        f"<meta property='og:site_name' content='{site_name}'></head>"
        # read__content is Kompas's body container: with Kompas's rules the finder is "outlet"
        f"<body><h1>Jembatan Bambu Baru</h1><div class='read__content'>{body}</div></body></html>"
    )


KOMPAS = "https://www.kompas.com/read/2024/03/12/10000001/jembatan-bambu-baru"


def test_a_fetched_page_naming_another_outlet_gets_neither_its_name_nor_its_address_nor_its_rules():
    a = extract_html(_page_claiming(KOMPAS), "https://kabarpalsu.example/berita/jembatan")
    assert a.site == "kabarpalsu.example"
    assert a.url == "https://kabarpalsu.example/berita/jembatan"
    assert a.extras["extractor"] != "outlet"
    assert a.title == "Jembatan Bambu Baru"


def test_a_fetched_page_with_a_canonical_on_its_own_site_keeps_it():
    a = extract_html(
        _page_claiming("https://www.example.com/berita/jembatan", site_name="Kabar Contoh"),
        "https://m.example.com/berita/jembatan?utm_source=x",
    )
    assert a.url == "https://www.example.com/berita/jembatan"
    assert a.site == "Kabar Contoh"


def test_a_kompas_page_fetched_from_kompas_is_kompas():
    a = extract_html(_page_claiming(KOMPAS), "https://nasional.kompas.com/read/2024/03/12/10000001/jembatan")
    assert a.site == "Kompas.com" and a.url == KOMPAS and a.extras["extractor"] == "outlet"


def test_a_saved_page_has_only_its_own_claim_to_go_on():
    a = extract_html(_page_claiming(KOMPAS))
    assert a.site == "Kompas.com" and a.url == KOMPAS


def test_a_page_served_as_plain_text_is_named_after_its_host_not_its_dateline():
    text = "JAKARTA, KOMPAS.com - " + " ".join(SENTENCES[:3]) + "\n\n" + SENTENCES[3]

    def fetcher(url, settings, *, deadline=None):  # type: ignore[no-untyped-def]
        return fetched(url, text.encode(), content_type="text/plain")

    a = acquire_url("https://kabarpalsu.example/berita/1", Settings(), fetcher=fetcher)
    assert a.site == "kabarpalsu.example" and a.url == "https://kabarpalsu.example/berita/1"


@pytest.mark.parametrize(
    ("host", "domain"),
    [
        ("nasional.kompas.com", "kompas.com"),
        ("kompas.com", "kompas.com"),
        ("www.republika.co.id", "republika.co.id"),
        ("kemenkeu.go.id", "kemenkeu.go.id"),
        ("news.bbc.co.uk", "bbc.co.uk"),
        ("www.abc.net.au", "abc.net.au"),
        ("kompas.com.evil.example", "evil.example"),
        ("127.0.0.1", "127.0.0.1"),
        ("localhost", "localhost"),
    ],
)
def test_registrable_domains(host: str, domain: str):
    assert registrable_domain(host) == domain


def test_same_site_compares_registrable_domains():
    assert same_site("https://m.example.com/a", "https://www.example.com/b")
    assert not same_site("https://example.com/a", "https://notexample.com/a")
    assert not same_site("https://a.co.id/x", "https://b.co.id/x")
    assert not same_site("http://127.0.0.1:8000/x", "https://www.kompas.com/x")


