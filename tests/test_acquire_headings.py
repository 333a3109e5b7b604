"""A multi-page article keeps each page's subheadings where that page's text lands, and a result
cached before headings were recorded still comes back with them."""

from __future__ import annotations

from service import pipeline, translate
from service.acquire import acquire_url
from service.config import Settings
from service.pipeline import Options
from service.present import to_markdown
from tests.support.fakes import FakeTranslator
from tests.support.pages import fetched

URL = "https://jurnalborneo.example/budaya/pasar-terapung"

_HEAD = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>Sejarah Panjang Pasar Terapung di Kalimantan - Jurnal Borneo</title>
<meta property="og:title" content="Sejarah Panjang Pasar Terapung di Kalimantan">
<link rel="canonical" href="{url}"></head><body><article>
<h1>Sejarah Panjang Pasar Terapung di Kalimantan</h1><div class="entry-content">"""
_PAGER = """</div><div class="pagination">Halaman <a href="/budaya/pasar-terapung">1</a>
<a href="/budaya/pasar-terapung?page=2">2</a></div></article></body></html>"""

PAGE_1 = _HEAD.format(url=URL) + """
<p>BANJARMASIN, JURNALBORNEO - Pasar terapung di Sungai Martapura sudah ada sejak ratusan tahun lalu dan
masih bertahan hingga kini.</p>
<h2>Berawal dari barter</h2>
<p>Transaksi di atas air dulu dilakukan dengan cara barter, menukar sayur dengan ikan atau kain.</p>
""" + _PAGER
PAGE_2 = _HEAD.format(url=URL) + """
<p>Transaksi di atas air dulu dilakukan dengan cara barter, menukar sayur dengan ikan atau kain.</p>
<p>Para pedagang datang sebelum matahari terbit dengan perahu kecil yang disebut jukung.</p>
<h2>Menjadi tujuan wisata</h2>
<p>Kini pemerintah kota menjadikan pasar terapung sebagai tujuan wisata unggulan yang ramai dikunjungi
setiap akhir pekan.</p>
""" + _PAGER


def _fetcher(url, settings, *, deadline=None):  # type: ignore[no-untyped-def]
    return fetched(url, (PAGE_2 if url.endswith("page=2") else PAGE_1).encode())


def test_a_second_pages_subheading_points_at_its_place_in_the_joined_article():
    a = acquire_url(URL, Settings(), fetcher=_fetcher)
    assert a.extras["pages"] == 2
    assert len(a.paragraphs) == 6  # page 2's repeated first paragraph is not read twice
    assert [a.paragraphs[i] for i in a.headings] == ["Berawal dari barter", "Menjadi tujuan wisata"]


def test_a_result_cached_before_headings_were_kept_still_shows_them(settings, monkeypatch):
    """The cache holds the translation and summary, never the article: a hit is joined to the
    article just read, so an entry written before `headings` existed loads and shows them."""
    monkeypatch.setattr(translate, "get_translator", lambda *a, **k: FakeTranslator())
    options = Options(summary_method="extractive")
    text = PAGE_1.replace(_PAGER, "</div></article></body></html>")
    first = pipeline.run(text=text, settings=settings, options=options)
    assert first.cached is False
    assert "headings" not in pipeline._cacheable(first)  # what is stored is shaped as before

    again = pipeline.run(text=text, settings=settings, options=options)
    assert again.cached is True
    assert [again.article.paragraphs[i] for i in again.article.headings] == ["Berawal dari barter"]
    assert "### EN:Berawal dari barter" in to_markdown(again)
