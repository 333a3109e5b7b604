"""acquire_*: input limits, dispatch, language, and whole articles fetched from a local server."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from localserver import serve

from service.acquire import acquire, acquire_file, acquire_text, acquire_url
from service.config import Settings
from service.errors import HTTPStatusError, InputError, InputTooLargeError, UnsupportedLanguageError
from tests.support.pages import fetched

FIXTURES = Path(__file__).parent / "fixtures"
PAGES = FIXTURES / "pages"
LOCAL = Settings(allow_private_urls=True, fetch_timeout=5.0, fetch_deadline=15.0)

PASTE = (FIXTURES / "pasted" / "kompas_style_paste.txt").read_text(encoding="utf-8")
ARTICLE_HTML = (PAGES / "tribun_baca_juga.html").read_text(encoding="utf-8")


# --- pasted text and files ------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", " ", "\n\t\n", "x", "\x00\x00"])
def test_empty_or_one_character_input_is_refused(text: str):
    with pytest.raises(InputError):
        acquire_text(text, Settings())


def test_text_over_the_limit_is_refused_before_any_work():
    with pytest.raises(InputTooLargeError, match="limit"):
        acquire_text("kata " * 100, replace(Settings(), max_text_chars=100))


def test_pasted_text_comes_back_clean_in_indonesian_without_a_url():
    a = acquire_text(PASTE.replace("Pemerintah Kota Malang", "Pemerintah\x00 Kota\x07 Malang"), Settings())
    assert a.language == "id" and a.url is None
    assert a.paragraphs[0].startswith("MALANG, KOMPAS.com - Pemerintah Kota Malang menyiapkan")
    assert "\x00" not in a.text and "\x07" not in a.text


def test_html_pasted_as_text_is_read_as_a_page():
    a = acquire_text(ARTICLE_HTML, Settings())
    assert a.title == "Warga Gotong Royong Perbaiki Jembatan Gantung di Desa Sukamaju"
    assert "<p>" not in a.text and "Baca juga" not in a.text


def test_text_in_another_language_is_refused():
    with pytest.raises(UnsupportedLanguageError):
        acquire_text(
            "Die Stadtregierung wird im nächsten Jahr eine neue Brücke über den Fluss bauen, sagte der Bürgermeister.",
            Settings(),
        )


def test_english_text_passes_through_marked_en():
    a = acquire_text("The city will build a new bridge over the river next year, the mayor told reporters.", Settings())
    assert a.language == "en"


def test_acquire_tells_urls_from_pasted_text():
    assert acquire(PASTE, Settings()).title.startswith("Pemerintah Kota Siapkan")
    calls = []

    def fetcher(url, settings, *, deadline=None):  # type: ignore[no-untyped-def]
        calls.append(url)
        raise HTTPStatusError("gone", 404)

    with pytest.raises(HTTPStatusError):
        acquire("kabarkota.example/read/123/judul", Settings(), fetcher=fetcher)
    assert calls == ["https://kabarkota.example/read/123/judul"]


def test_a_saved_page_and_a_saved_paste_are_both_read(tmp_path: Path):
    a = acquire_file(PAGES / "wrong_charset_declared.html", Settings())
    assert "kafé" in a.text and a.language == "id"
    paste = tmp_path / "paste.txt"
    paste.write_text(PASTE, encoding="utf-8")
    b = acquire_file(paste, Settings())
    assert b.title.startswith("Pemerintah Kota Siapkan") and b.url is None


def test_file_limits_and_missing_files_are_input_errors(tmp_path: Path):
    with pytest.raises(InputTooLargeError):
        acquire_file(PAGES / "tribun_baca_juga.html", replace(Settings(), max_upload_bytes=100))
    with pytest.raises(InputError, match="no file"):
        acquire_file(tmp_path / "missing.html", Settings())
    with pytest.raises(InputError):
        acquire_file(tmp_path, Settings())
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    with pytest.raises(InputError):
        acquire_file(empty, Settings())


# --- URLs, against a server on 127.0.0.1 ----------------------------------------------------


def _multipage_handler(request):  # type: ignore[no-untyped-def]
    page = parse_qs(urlsplit(request.path).query).get("page", ["1"])[0]
    path = PAGES / f"multipage_{page}.html"
    if not path.is_file():
        return 404, {"Content-Type": "text/html"}, b"<html><body>Tidak ditemukan</body></html>"
    return 200, {"Content-Type": "text/html; charset=utf-8"}, path.read_bytes()


def test_a_multi_page_article_is_fetched_whole_and_joined_without_repeats():
    with serve(_multipage_handler) as base:
        a = acquire_url(base + "/budaya/pasar-terapung-kalimantan", LOCAL)
        paths = [r.path for r in base.requests]
    assert paths == [
        "/budaya/pasar-terapung-kalimantan",
        "/budaya/pasar-terapung-kalimantan?page=2",
        "/budaya/pasar-terapung-kalimantan?page=3",
    ]
    assert list(a.paragraphs) == [
        ("BANJARMASIN, JURNALBORNEO - Pasar terapung di Sungai Martapura sudah ada sejak ratusan tahun lalu "
        "dan masih bertahan hingga kini."),
        "Para pedagang datang sebelum matahari terbit dengan perahu kecil yang disebut jukung.",
        "Transaksi di atas air dulu dilakukan dengan cara barter, menukar sayur dengan ikan atau kain.",
        ("Kini pemerintah kota menjadikan pasar terapung sebagai tujuan wisata unggulan yang ramai dikunjungi "
        "setiap akhir pekan."),
    ]
    assert a.extras["pages"] == 3
    assert a.language == "id"


def test_pages_beyond_max_pages_are_not_fetched_and_are_reported():
    with serve(_multipage_handler) as base:
        a = acquire_url(base + "/budaya/pasar-terapung-kalimantan", replace(LOCAL, max_pages=2))
        assert len(base.requests) == 2
    assert a.extras["pages"] == 2
    assert a.extras["pages_not_read"] == [base + "/budaya/pasar-terapung-kalimantan?page=3"]
    assert "wisata unggulan" not in a.text


def test_a_page_served_as_latin1_that_is_utf8_reads_right():
    body = (PAGES / "wrong_charset_declared.html").read_bytes()
    with serve({"/hiburan/album": (200, {"Content-Type": "text/html; charset=ISO-8859-1"}, body)}) as base:
        a = acquire_url(base + "/hiburan/album", LOCAL)
    assert "DuniaHiburan.com®" in a.text and "“cinta dan persahabatan”" in a.text and "Â" not in a.text


def test_a_redirected_article_is_read_from_where_it_landed():
    html = ARTICLE_HTML.replace('<link rel="canonical" href="https://www.tribunnews.com/regional/2024/03/12/'
                                'warga-gotong-royong-perbaiki-jembatan-gantung">', "")
    with serve({
        "/lama": (301, {"Location": "/baru/jembatan-gantung"}, b""),
        "/baru/jembatan-gantung": (200, {"Content-Type": "text/html"}, html),
    }) as base:
        a = acquire_url(base + "/lama", LOCAL)
    assert a.title == "Warga Gotong Royong Perbaiki Jembatan Gantung di Desa Sukamaju"
    assert a.url == base + "/baru/jembatan-gantung"


KOMPAS_URL = "https://www.kompas.com/read/2024/03/12/10000001/warga-gotong-royong-perbaiki-jembatan-gantung"
CLAIMS_KOMPAS = ARTICLE_HTML.replace(
    '<link rel="canonical" href="https://www.tribunnews.com/regional/2024/03/12/'
    'warga-gotong-royong-perbaiki-jembatan-gantung">',
    f'<link rel="canonical" href="{KOMPAS_URL}"><meta property="og:url" content="{KOMPAS_URL}">'
    '<meta property="og:site_name" content="Kompas.com">',
)


def test_a_fetched_page_claiming_to_be_kompas_is_named_after_the_host_it_came_from():
    assert KOMPAS_URL in CLAIMS_KOMPAS
    with serve({"/berita/jembatan": (200, {"Content-Type": "text/html"}, CLAIMS_KOMPAS)}) as base:
        a = acquire_url(base + "/berita/jembatan", LOCAL)
    assert a.site != "Kompas.com" and a.site == "127.0.0.1"
    assert a.url == base + "/berita/jembatan"
    assert a.title == "Warga Gotong Royong Perbaiki Jembatan Gantung di Desa Sukamaju"


def test_a_canonical_on_the_fetched_site_is_still_the_articles_address():
    def page(request):  # type: ignore[no-untyped-def]
        own = f"http://{request.header('host')}/berita/jembatan-gantung"
        return 200, {"Content-Type": "text/html"}, CLAIMS_KOMPAS.replace(KOMPAS_URL, own).replace("Kompas.com", "Kabar")

    with serve({"/m/jembatan": page}) as base:
        a = acquire_url(base + "/m/jembatan?utm_source=x", LOCAL)
    assert a.url == base + "/berita/jembatan-gantung"


def test_a_saved_page_claiming_kompas_is_taken_at_its_word(tmp_path: Path):
    saved = tmp_path / "halaman.html"
    saved.write_text(CLAIMS_KOMPAS, encoding="utf-8")
    a = acquire_file(saved, Settings())
    assert a.site == "Kompas.com" and a.url == KOMPAS_URL


# --- the outlet all-pages views, with a recording fetcher (no network) ------------------------




def test_outlets_with_an_all_pages_view_are_asked_for_it_first_under_one_deadline():
    calls = []

    def fetcher(url, settings, *, deadline=None):  # type: ignore[no-untyped-def]
        calls.append((url, deadline))
        return fetched(url, ARTICLE_HTML.encode())

    a = acquire_url("https://www.tribunnews.com/regional/2024/03/12/warga-gotong-royong", Settings(), fetcher=fetcher)
    assert [u for u, _ in calls] == ["https://www.tribunnews.com/regional/2024/03/12/warga-gotong-royong?page=all"]
    assert a.title.startswith("Warga Gotong Royong")


def test_when_the_all_pages_view_is_gone_the_article_is_read_page_by_page():
    calls = []

    def fetcher(url, settings, *, deadline=None):  # type: ignore[no-untyped-def]
        calls.append((url, deadline))
        if url.endswith("single=1"):
            raise HTTPStatusError("not found", 404)
        return fetched(url, (PAGES / "detik_widgets.html").read_bytes())

    a = acquire_url("https://news.detik.com/berita/d-7000001/bandara-baru", Settings(), fetcher=fetcher)
    assert [u for u, _ in calls] == [
        "https://news.detik.com/berita/d-7000001/bandara-baru?single=1",
        "https://news.detik.com/berita/d-7000001/bandara-baru",
    ]
    assert len({d for _, d in calls}) == 1 and calls[0][1] is not None  # one shared deadline
    assert a.paragraphs[0].startswith("Jakarta - Bandara baru")


def test_a_huge_saved_file_is_refused_by_the_text_limit_not_only_pasted_text(tmp_path):
    """A 4 MB .txt upload must not become hours of translation holding the queue."""
    from service.config import Settings
    from service.errors import InputTooLargeError

    paragraph = "Warga desa membangun jembatan bambu sepanjang dua puluh meter pada hari Minggu pagi. "
    big = tmp_path / "big.txt"
    big.write_text("Judul Berita Panjang Sekali\n\n" + "\n\n".join(f"{i}. {paragraph * 3}" for i in range(2000)),
                   encoding="utf-8")
    settings = Settings(max_text_chars=100_000, cache_dir=tmp_path / "cache")
    with pytest.raises(InputTooLargeError, match="at most 100,000"):
        acquire_file(big, settings)
