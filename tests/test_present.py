"""What a reader sees in the Markdown/text output: page text stays text, dates read naturally."""

from __future__ import annotations

import re

from service.article import Article
from service.pipeline import Options, Result
from service.present import human_date, metadata_line, to_markdown, to_text
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
    line = metadata_line(_result())
    assert line.startswith("Kompas.com · Rina <b>W</b> · 5 Mar 2024, 08:00 UTC+07:00 · Indonesian original")
    assert line.endswith("4 words, 1 min read")


def test_dates():
    assert human_date("2016-02-16") == "16 Feb 2016"
    assert human_date("2016-02-16T14:38:00Z") == "16 Feb 2016, 14:38 UTC"
    assert human_date("tidak jelas") == "tidak jelas"
    assert human_date(None) is None
