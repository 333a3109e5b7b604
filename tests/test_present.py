"""What a reader sees in the Markdown/text output: page text stays text, dates read naturally."""

from __future__ import annotations

import re

import pytest

from service.article import Article
from service.pipeline import Options, Result
from service.extract.localtime import local_time
from service.present import metadata_line, to_markdown, to_text
from service.summarize import Summary


def _result(title: str = "Judul", *, bullets: bool = False) -> Result:
    article = Article(
        title=title,
        paragraphs=("Paragraf satu.", "Paragraf dua."),
        author="Rina <b>W</b>",
        published="2024-03-05T08:00:00+07:00",
        site="Kompas.com",
        url="https://example.com/a",
    )
    return Result(
        article=article,
        title_en="Title <img src=x onerror=alert(1)>",
        paragraphs_en=("Paragraph *one*.", "Paragraph [two](javascript:alert(1))."),
        summary=Summary(text="One. Two.", points=("One.", "Two."), method="extractive", model=None),
        translated=True,
        models={"translation": "m", "summary": None},
        timings={"total": 1.0},
        options=Options(bullets=bullets),
    )


def test_markdown_keeps_page_text_as_text():
    md = to_markdown(_result())
    assert re.search(r"(?<!\\)<(?:img|b)", md) is None  # no live tag
    assert "\\<img src=x onerror=alert(1)\\>" in md
    assert re.search(r"(?<!\\)\]\(javascript:", md) is None  # no live link
    assert "\\*one\\*" in md


def test_markdown_lists_bullet_points():
    md = to_markdown(_result(bullets=True))
    assert "- One.\n- Two." in md


def test_text_output_has_title_original_summary_and_article():
    text = to_text(_result())
    assert text.startswith("Title <img src=x onerror=alert(1)>\n(Judul)\n")
    assert "SUMMARY" in text and "ARTICLE" in text and "Paragraph *one*." in text


def test_metadata_line_reads_naturally():
    line = metadata_line(_result().article)
    assert line.startswith("Kompas.com · Rina <b>W</b> · 5 Mar 2024, 08:00 WIB · Indonesian original")
    assert line.endswith("4 words, 1 min read")


def test_dates():
    # the one date format readers see (metadata line, digests): the outlet's local zone by name
    assert local_time("2016-02-16") == "16 Feb 2016"
    assert local_time("2016-02-16T14:38:00Z") == "16 Feb 2016, 21:38 WIB"
    assert local_time("tidak jelas") == "tidak jelas"
    assert local_time(None) is None


# --- hostile page fields in the Markdown download ---------------------------------------------------
# Everything below comes from the page (or its translation). In the Markdown a reader downloads, none
# of it may become a heading, link, image, HTML, list, quote, code block or table of its own.

EVIL_URL = (
    "https://evil.example/x\n\n# INJECTED\n\n[click](javascript:alert(1))\n<img src=x onerror=alert(1)>"
)
EVIL = (
    "\n\n# INJECTED heading\n\n> quoted\n- listed\n+ plus\n* star\n1. one\n2) two\n```\ncode\n```\n    indented\n"
    "| a | b |\n|---|---|\n| c | d |\n<img src=x onerror=alert(1)>\n<script>alert(1)</script>\n"
    "[click](javascript:alert(1)) ![pic](https://evil.example/p.png) <javascript:alert(1)> "
    "&lt;b&gt; &#106;avascript: **bold** __under__ ~~gone~~\n[ref]: javascript:alert(1)\n===\n"
)


def _hostile(*, url: str | None = EVIL_URL, bullets: bool = False, translated: bool = True) -> Result:
    article = Article(
        title="# Judul" + EVIL,
        paragraphs=("Paragraf satu.",),
        author="1. Rina" + EVIL,
        published="2024-03-05",
        site="> Situs" + EVIL,
        url=url,
        source="- Antara" + EVIL,
    )
    return Result(
        article=article,
        title_en="# Title" + EVIL,
        paragraphs_en=("- para" + EVIL, "2024. Tahun" + EVIL, "<div>" + EVIL),
        summary=Summary(
            text="| sum" + EVIL,
            points=("# point" + EVIL, "1. point" + EVIL),
            method="extractive",
            model=None,
            note="> note" + EVIL,
        ),
        translated=translated,
        models={"translation": "m", "summary": None},
        timings={"total": 1.0},
        options=Options(bullets=bullets),
    )


def _html(markdown: str) -> str:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(markdown)


@pytest.mark.parametrize("bullets", [False, True])
@pytest.mark.parametrize("translated", [False, True])
def test_hostile_page_fields_create_no_markdown_structure(bullets, translated):
    md = to_markdown(_hostile(url="https://evil.example/x(1)", bullets=bullets, translated=translated))
    headings = [line for line in md.splitlines() if line.startswith("#")]
    assert len(headings) == 3  # the title, "## Summary", "## Article": ours only
    assert headings[1].startswith("## Summary") and headings[2].startswith("## Article")
    html = _html(md)
    assert re.findall(r"<h(\d)", html) == ["1", "2", "2"]
    assert "<img" not in html and "<script" not in html and "<div" not in html
    assert re.findall(r"<a ", html) == ["<a "]  # the page's own address, nothing else
    assert 'href="https://evil.example/x' in html and "javascript:" not in "".join(
        re.findall(r'href="[^"]*"', html)
    )
    assert "<table" not in html and "<pre" not in html and "<code" not in html and "<hr" not in html
    assert "<strong" not in html and "<s>" not in html and "<del" not in html
    assert html.count("<em>") == (1 if translated else 0)  # the original title, in italics
    assert html.count("<blockquote") == 1  # the summary's note
    assert html.count("<li") == (2 if bullets else 0) and html.count("<ul") == (1 if bullets else 0)
    assert "<ol" not in html


def test_hostile_text_is_still_all_there_to_read():
    html = _html(to_markdown(_hostile()))
    assert "# INJECTED heading" in html and "[click](javascript:alert(1))" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and "**bold**" in html


@pytest.mark.parametrize(
    "url",
    [
        EVIL_URL,
        "javascript:alert(1)",
        "JavaScript://evil.example/%0Aalert(1)",
        "data:text/html,<script>alert(1)</script>",
        "https://evil.example/ spaced",
        "https://evil.example/\ttab",
        "https://evil.example/\x00nul",
        "https://evil.example/\u2028line",
        "//evil.example/no-scheme",
        "https:///evil.example/no-host",
        "https://user:pw@evil.example/",
    ],
)
def test_a_url_that_is_not_a_clean_http_address_is_left_out(url):
    md = to_markdown(_hostile(url=url))
    assert "evil.example/" not in md.replace("evil.example/p.png", "")
    assert "javascript:" not in "".join(re.findall(r'href="[^"]*"', _html(md)))


def test_a_page_url_is_a_link_with_markdown_characters_percent_encoded():
    url = "https://example.com/berita/a_b*c(1)[2]<x>`y`~z?q=a b&r=1#frag"
    md = to_markdown(_hostile(url=url.replace(" ", "%20")))
    assert "<https://example.com/berita/a_b*c%281%29%5B2%5D%3Cx%3E%60y%60~z?q=a%20b&r=1#frag>" in md
    html = _html(md)
    assert (
        'href="https://example.com/berita/a_b*c%281%29%5B2%5D%3Cx%3E%60y%60~z?q=a%20b&amp;r=1#frag"' in html
    )


def test_an_ordinary_url_is_kept_as_it_is():
    md = to_markdown(_hostile(url="https://www.kompas.com/read/2024/03/05/banjir-jakarta?page=all"))
    assert "\n<https://www.kompas.com/read/2024/03/05/banjir-jakarta?page=all>\n" in md


def test_bilingual_markdown_quotes_each_original_paragraph_under_its_english():
    md = to_markdown(_result(), bilingual=True)
    assert md.index("Paragraph \\*one\\*.") < md.index("> Paragraf satu.") < md.index("Paragraph \\[two")
    assert "> Paragraf dua." in md
    assert "> Paragraf satu." not in to_markdown(_result())


def test_the_original_alone_as_markdown():
    from service.present import article_to_markdown

    md = article_to_markdown(_result().article, "Translation is not available right now.")
    assert md.startswith("# Judul") and "Paragraf satu." in md and "> Translation is not available" in md
