"""What the page renders from page text: escaped, never HTML; and what a request may ask for."""

from __future__ import annotations

import dataclasses
from html.parser import HTMLParser

import pytest

from service import present, web
from service.article import Article
from service.config import Settings
from service.errors import InputError, InputTooLargeError
from service.pipeline import Options, Result
from service.summarize import Summary
from service.web import render
from service.web.view import PageView

HOSTILE = '<img src=x onerror=alert(1)> "x" & <script>alert(2)</script>'


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def _parse(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    parser.close()
    return parser


def _article(**changes) -> Article:
    base = Article(
        title=f"Judul {HOSTILE}",
        paragraphs=(f"Paragraf {HOSTILE}", "Paragraf kedua."),
        author=f"Penulis {HOSTILE}",
        site="contoh.id",
        url="https://contoh.id/berita/1",
    )
    return dataclasses.replace(base, **changes)


def test_header_shows_hostile_headline_and_metadata_as_text():
    html = render.header(_article(), f"Title {HOSTILE}", True, f"contoh.id · {HOSTILE}")
    parsed = _parse(html)
    assert "img" not in parsed.tags and "script" not in parsed.tags
    text = "".join(parsed.text)
    assert f"Title {HOSTILE}" in text and f"Judul {HOSTILE}" in text and f"contoh.id · {HOSTILE}" in text


def test_header_links_only_to_web_addresses():
    assert "<a " in render.header(_article(), "T", True, "")
    html = render.header(_article(url="javascript:alert(1)"), "T", True, "")
    assert "<a " not in html and "javascript:" not in html


def test_the_article_escapes_both_languages_and_marks_pending_paragraphs():
    html = render.article((f"Satu {HOSTILE}", "Dua"), (f"One {HOSTILE}", None))
    parsed = _parse(html)
    assert "img" not in parsed.tags and "script" not in parsed.tags
    assert parsed.tags.count("h3") == 2  # Translation, Original
    text = "".join(parsed.text)
    assert f"Satu {HOSTILE}" in text and f"One {HOSTILE}" in text
    assert render.PENDING in text


def test_aligned_sentences_name_their_counterparts():
    html = render.article(
        ("Satu. Dua.",), ("One. Two.",), sentences_src=(("Satu.", "Dua."),), sentences_en=(("One.", "Two."),)
    )
    assert html.count('data-s="0-1"') == 2 and 'id="ins-s-0-1"' in html


def test_summary_says_who_wrote_it_and_links_extractive_points():
    abstractive = render.summary("S.", ("S.",), method="abstractive", model="/srv/models/bart", bullets=False)
    assert "Written by a model (bart)" in abstractive and "/srv" not in abstractive
    extractive = render.summary(
        f"A {HOSTILE}", (f"A {HOSTILE}", "B"), method="extractive", model=None, bullets=True, anchors=((0, 1), (2, 0))
    )
    assert 'href="#ins-s-0-1"' in extractive and 'href="#ins-s-2-0"' in extractive
    assert "img" not in _parse(extractive).tags


@pytest.mark.parametrize(
    "remaining, speed, expected",
    [(0, 1.0, ""), (10, None, ""), (3, 1.0, "a few seconds left"), (40, 1.0, "about 40 s left"), (600, 1.0, "about 10 min left")],
)
def test_time_estimate_from_sentences_left_and_measured_speed(remaining, speed, expected):
    assert render.estimate(remaining, speed) == expected


def test_error_status_shows_the_message_as_text():
    parsed = _parse(render.error_status(f"Bad {HOSTILE}"))
    assert "img" not in parsed.tags
    assert f"Bad {HOSTILE}" in "".join(parsed.text)


def test_translate_status_counts_sentences():
    text = "".join(_parse(render.status("translate", 12, 40)).text)
    assert "Translating" in text and "12 of 40 sentences" in text


def test_models_line_says_which_models_are_ready_and_why_one_failed():
    html = render.models_line(
        {"Translation model": ("ready", "opus"), "Summary model": ("failed", f"Model {HOSTILE} missing")}
    )
    parsed = _parse(html)
    assert "img" not in parsed.tags
    text = "".join(parsed.text)
    assert "Translation model: ready" in text
    assert "Summary model: not available right now" in text
    assert "missing" not in text  # why is the operator's business: the log has it


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"published": "2024-03-05T08:00:00+07:00", "source": "Antara", "language": "en"},
        {"author": None, "site": None, "published": "2024-03-05"},
    ],
)
def test_the_page_metadata_line_is_the_downloads_line_from_the_article_alone(changes):
    article = _article(**changes)
    result = Result(
        article=article,
        title_en="T",
        paragraphs_en=article.paragraphs,
        summary=Summary("S", ("S",), "extractive", None),
        translated=True,
        models={},
        timings={},
        options=Options(),
    )
    view = PageView()
    view.article_ready(article, "")
    assert view.meta == present.metadata_line(result.article)
    assert view.meta in present.to_text(result).splitlines()  # the very line the downloads carry


# --------------------------------------------------------------------------- request checks


@pytest.fixture
def settings(tmp_path):
    return Settings(
        cache_dir=tmp_path, translation_models=("a/model", "b/model"), translation_model="a/model"
    )


def test_api_accepts_only_the_configured_translation_models(settings):
    assert web.request_options(settings, translation_model="b/model").translation_model == "b/model"
    assert web.request_options(settings).translation_model == "a/model"
    with pytest.raises(InputError, match="Unknown translation model"):
        web.request_options(settings, translation_model="/etc/passwd")


def test_instruct_is_offered_only_when_an_instruct_model_was_chosen(settings):
    assert not web.instruct_enabled(Settings.from_env({}))
    assert web.instruct_enabled(Settings.from_env({"SERVICE_INSTRUCT_MODEL": "some/chat-model"}))
    assert web.instruct_enabled(Settings.from_env({"SERVICE_SUMMARY_METHOD": "instruct"}))
    assert web.instruct_enabled(dataclasses.replace(settings, summary_method="instruct"))


def test_unknown_length_and_method_are_refused_with_the_choices(settings):
    with pytest.raises(InputError, match="short, medium, long"):
        web.request_options(settings, summary_length="huge")
    with pytest.raises(InputError, match="abstractive"):
        web.request_options(settings, summary_method="poetry")


def test_oversized_text_is_refused_before_the_pipeline(settings):
    small = dataclasses.replace(settings, max_text_chars=100)
    web.check_text_size("x" * 100, small)
    with pytest.raises(InputTooLargeError, match="too long"):
        web.check_text_size("x" * 101, small)


def test_one_input_at_a_time(tmp_path):
    with pytest.raises(InputError, match="Paste an article"):
        web.source_kwargs("  ", None)
    with pytest.raises(InputError, match="one article at a time"):
        web.source_kwargs("teks", str(tmp_path / "a.html"))
    assert web.source_kwargs(" https://contoh.id/a ", None) == {"source": "https://contoh.id/a"}
    assert web.source_kwargs("", "/tmp/a.html") == {"file": "/tmp/a.html"}


def test_an_oversized_upload_is_measured_in_mib_as_acquire_measures_it(settings, tmp_path):
    page = tmp_path / "page.html"
    page.write_bytes(b"x" * (3 * 1_048_576))
    small = dataclasses.replace(settings, max_upload_bytes=2 * 1_048_576)
    web.check_upload(str(page), dataclasses.replace(settings, max_upload_bytes=3 * 1_048_576))
    with pytest.raises(InputTooLargeError, match=r"too large \(3\.0 MB; the limit is 2\.0 MB\)"):
        web.check_upload(str(page), small)
