"""Subheadings of a page's body (<h2>-<h6>) stay headings: in `Article.headings`, as headings on
the web page and as `###` lines in the Markdown download; a long or finished-sentence "heading"
stays a paragraph."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from service.article import Article
from service.extract.cleanup import Para, clean_paragraphs
from service.extract.page import extract_html, extract_text
from service.pipeline import Options, Result
from service.present import article_to_markdown, to_markdown
from service.summarize import Summary
from service.web import render

PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8">
<title>Banjir Rendam Jalan Protokol di Pusat Kota - Kabar Kota</title>
<meta property="og:title" content="Banjir Rendam Jalan Protokol di Pusat Kota">
</head><body>
<nav><a href="/">Beranda</a> <a href="/kota">Kota</a></nav>
<article>
  <h1>Banjir Rendam Jalan Protokol di Pusat Kota</h1>
  <div class="entry-content">
    <p>SEMARANG, KABARKOTA - Hujan deras yang turun sejak Senin sore membuat sejumlah jalan protokol di pusat
    kota tergenang air setinggi 30 sentimeter.</p>
    <p>Petugas dinas perhubungan mengatur lalu lintas di beberapa persimpangan agar kendaraan tidak terjebak
    genangan.</p>
    <h2>Pompa air dinyalakan di tiga titik</h2>
    <p>Kepala badan penanggulangan bencana daerah mengatakan pompa air telah dinyalakan di tiga lokasi sejak
    pukul 18.00 WIB.</p>
    <p>"Kami minta warga berhati-hati saat melintas," katanya kepada wartawan di posko banjir.</p>
    <h3>Apa kata prakiraan cuaca?</h3>
    <p>Badan meteorologi memperkirakan hujan dengan intensitas sedang masih akan turun hingga Rabu.</p>
    <h2>Warga diminta memantau informasi resmi dari pemerintah kota dan tidak mudah percaya pada kabar yang
    beredar di media sosial tanpa sumber yang jelas</h2>
    <h3>Genangan surut pada malam hari.</h3>
    <p>Warga juga diminta menyimpan nomor darurat yang diumumkan pemerintah kota melalui akun resminya.</p>
  </div>
</article>
</body></html>
"""

HEADING_1 = "Pompa air dinyalakan di tiga titik"
HEADING_2 = "Apa kata prakiraan cuaca?"


def _article() -> Article:
    return extract_html(PAGE, "https://kabarkota.example/kota/banjir")


def _result(article: Article) -> Result:
    return Result(
        article=article,
        title_en="Floods cover main roads in the city centre",
        paragraphs_en=tuple(f"EN <{i}> {p}" for i, p in enumerate(article.paragraphs)),
        summary=Summary(text="One.", points=("One.",), method="extractive", model=None),
        translated=True,
        models={"translation": "m", "summary": None},
        timings={"total": 1.0},
        options=Options(),
    )


class _Headings(HTMLParser):
    """The text of each heading (<h3> column titles, <h4> subheadings) in a piece of HTML, and of each <p>."""

    def __init__(self) -> None:
        super().__init__()
        self.h3: list[str] = []
        self.p: list[str] = []
        self._open: list[str] | None = None

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        if tag in ("h3", "h4", "p"):
            self._open = []
            (self.p if tag == "p" else self.h3).append("")

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        if tag in ("h3", "h4", "p") and self._open is not None:
            (self.p if tag == "p" else self.h3)[-1] = "".join(self._open)
            self._open = None

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        if self._open is not None:
            self._open.append(data)


def _parse(html: str) -> _Headings:
    parser = _Headings()
    parser.feed(html)
    parser.close()
    return parser


def test_subheadings_in_the_body_are_marked_and_long_or_finished_ones_stay_paragraphs():
    a = _article()
    assert [a.paragraphs[i] for i in a.headings] == [HEADING_1, HEADING_2]
    assert any(p.startswith("Warga diminta memantau informasi resmi") for p in a.paragraphs)  # prose in an <h2>
    assert "Genangan surut pada malam hari." in a.paragraphs  # a sentence in an <h3>
    assert a.to_dict()["headings"] == list(a.headings)


def test_clean_paragraphs_counts_headings_among_the_paragraphs_it_keeps():
    cleaned = clean_paragraphs([
        Para("Baca juga: Harga Cabai Naik Lagi di Pasar Induk"),  # dropped: the indices move up
        Para("JAKARTA, KOMPAS.com - Pemerintah mengumumkan jadwal baru pengambilan bantuan di kantor pos."),
        Para("Jadwal pengambilan", "h"),
        Para("Bantuan dapat diambil mulai Senin pekan depan dengan membawa kartu identitas."),
    ])
    assert cleaned.paragraphs[1] == "Jadwal pengambilan" and cleaned.headings == [1]


def test_pasted_plain_text_has_no_headings():
    a = extract_text(
        "Pompa air dinyalakan\n\n"
        "Kepala badan penanggulangan bencana daerah mengatakan pompa air telah dinyalakan di tiga lokasi.\n\n"
        "Badan meteorologi memperkirakan hujan dengan intensitas sedang masih akan turun hingga Rabu."
    )
    assert a.headings == ()


def test_an_article_without_the_field_reads_as_one_without_headings():
    a = Article(title="Judul", paragraphs=("Satu.", "Dua."))
    assert a.headings == () and a.to_dict()["headings"] == []


def test_the_english_article_shows_subheadings_as_headings_in_both_languages():
    a = _article()
    r = _result(a)
    html = render.article(a.paragraphs, r.paragraphs_en, a.language, headings=a.headings)
    parsed = _parse(html)
    heads = [h for h in parsed.h3 if h not in ("Translation (English)", "Original (Indonesian)")]
    assert heads == [r.paragraphs_en[a.headings[0]], HEADING_1, r.paragraphs_en[a.headings[1]], HEADING_2]
    assert not any(HEADING_1 in p for p in parsed.p)
    assert "EN &lt;" in html and "EN <" not in html  # escaped as paragraphs are
    assert html.count('class="ins-row ins-subhead"') == 2


def test_a_heading_keeps_the_sentence_spans_the_side_by_side_highlight_uses():
    a = _article()
    src = [(p,) for p in a.paragraphs]
    en = [(f"EN {p}",) for p in a.paragraphs]
    html = render.article(
        a.paragraphs, [s[0] for s in en], a.language, sentences_src=src, sentences_en=en, headings=a.headings
    )
    i = a.headings[0]
    assert (
        f'<h4 class="ins-en" lang="en"><span class="ins-sent" id="ins-s-{i}-0" data-s="{i}-0" '
        f'tabindex="0">EN {HEADING_1}</span></h4>'
    ) in html
    assert f'<h4 class="ins-orig" lang="id"><span class="ins-sent" data-s="{i}-0" tabindex="0">' in html


def test_without_headings_the_article_renders_as_before():
    a = _article()
    html = render.article(a.paragraphs, list(a.paragraphs), a.language)
    assert "ins-subhead" not in html and len(_parse(html).h3) == 2


def test_the_original_alone_shows_its_subheadings():
    a = _article()
    parsed = _parse(render.original_only(a.paragraphs, a.language, headings=a.headings))
    assert parsed.h3[1:] == [HEADING_1, HEADING_2]


def test_the_markdown_download_has_the_subheadings_as_level_three_headings():
    a = _article()
    r = _result(a)
    md = to_markdown(r)
    heads = [line for line in md.splitlines() if line.startswith("### ")]
    assert heads == [f"### EN \\<{i}\\> {a.paragraphs[i]}" for i in a.headings]
    bilingual = to_markdown(r, bilingual=True)
    assert f"### EN \\<{a.headings[0]}\\> {HEADING_1}\n\n> {HEADING_1}\n" in bilingual
    original = article_to_markdown(a)
    assert [line for line in original.splitlines() if line.startswith("### ")] == [
        f"### {HEADING_1}", f"### {HEADING_2}"
    ]


def test_a_heading_with_markdown_characters_is_escaped_like_other_text():
    a = Article(title="Judul", paragraphs=("# Satu *dua*", "Isi paragraf."), headings=(0,))
    assert "### \\# Satu \\*dua\\*\n" in article_to_markdown(a)


def test_the_extractive_summary_does_not_quote_a_subheading():
    from service import pipeline
    from service.config import Settings
    from tests.support.fakes import FakeTranslator

    result = pipeline.run(
        text=PAGE,
        settings=Settings(cache_enabled=False),
        options=Options(summary_method="extractive", summary_length="medium"),
        translator=FakeTranslator(),
    )
    assert result.article.headings
    assert not {p for p, _ in result.summary.anchors} & set(result.article.headings)
