"""The page's handler in-process, with tiny local models: what each step shows, and how it fails."""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

import pytest

from service import web
from service.config import Settings
from tests.webapp_server import tiny_model_env

TEXT = (
    "Warga Desa Sukamaju Bangun Jembatan Bambu\n\n"
    "Warga Desa Sukamaju membangun jembatan bambu pada hari Minggu. "
    "Jembatan itu menghubungkan desa dengan sekolah.\n\n"
    "Kepala desa mengatakan bahwa pembangunan dilakukan secara gotong royong.\n\n"
    "Sebelumnya, anak-anak harus menyeberangi sungai dengan perahu kecil."
)


@pytest.fixture(scope="module")
def app(tmp_path_factory) -> web.App:
    directory = tmp_path_factory.mktemp("handler-models")
    env = tiny_model_env(directory)
    settings = Settings.from_env(env)
    return web.App(settings, web.ModelWarmup(settings), web.Downloads(directory / "downloads"))


def _run(app: web.App, source: str, upload: str | None = None, **options) -> list[dict]:
    args = {
        "summary_length": "short",
        "style": "prose",
        "summary_method": "extractive",
        "translation_model": "",
        "show_original": True,
    }
    args.update(options)
    return [dict(zip(web.PAGE_OUTPUTS, step)) for step in app.stream_page(source, upload, **args)]


def _value(update):
    return update.get("value") if isinstance(update, dict) else update


def test_paragraphs_show_before_the_article_is_done(app):
    steps = _run(app, TEXT)
    final = steps[-1]
    assert "ins-done" in final["status"]
    english = [p for p in final["translation"].split("\n\n") if p]
    assert len(english) == 3
    # some earlier step already showed the first paragraph, without the rest and before "done"
    early = [s for s in steps[:-1] if s["translation"] and "ins-done" not in s["status"]]
    assert early and early[0]["translation"].split("\n\n")[0] == english[0]
    assert len([p for p in early[0]["translation"].split("\n\n") if p]) < 3
    # and the headline's original was on the page before the translation began
    first_with_header = next(s for s in steps if s["header"])
    assert "Warga Desa Sukamaju Bangun Jembatan Bambu" in first_with_header["header"]


def test_downloads_hold_markdown_and_json_of_the_result(app):
    final = _run(app, TEXT)[-1]
    md, js = _value(final["download_md"]), _value(final["download_json"])
    assert md.endswith(".md") and js.endswith(".json")
    assert Path(md).read_text(encoding="utf-8").startswith("# ")
    assert '"paragraphs_en"' in Path(js).read_text(encoding="utf-8")


def test_a_user_error_ends_in_a_message_not_an_exception(app):
    steps = _run(app, "http://127.0.0.1:1/")
    assert "ins-error" in steps[-1]["status"]
    assert "Could not read this article." in steps[-1]["status"]


def test_oversized_text_and_upload_are_refused(app, tmp_path):
    small = web.App(
        dataclasses.replace(app.settings, max_text_chars=50, max_upload_bytes=10), app.warmup, app.downloads
    )
    assert "too long" in _run(small, "kata " * 20)[-1]["status"]
    big = tmp_path / "page.html"
    big.write_text("<p>" + "x" * 100 + "</p>", encoding="utf-8")
    assert "too large" in _run(small, "", str(big))[-1]["status"]


def test_a_bug_shows_a_generic_message_and_logs_no_article_text(app, monkeypatch, caplog):
    def broken(kwargs, options, settings):
        raise RuntimeError(f"could not handle {kwargs['source']}")  # a foreign error quoting the article
        yield  # pragma: no cover

    monkeypatch.setattr(web, "_stream", broken)
    with caplog.at_level(logging.ERROR, logger="service.web"):
        steps = _run(app, TEXT)
    assert web.GENERIC_ERROR.split(".")[0] in steps[-1]["status"]
    assert "RuntimeError" in caplog.text
    assert "Sukamaju" not in caplog.text


def test_the_next_request_after_a_failure_is_served(app, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")
        yield  # pragma: no cover

    with monkeypatch.context() as patched:
        patched.setattr(web, "_stream", broken)
        assert "ins-error" in _run(app, TEXT)[-1]["status"]
    assert "ins-done" in _run(app, TEXT)[-1]["status"]


def test_side_by_side_only_when_asked_for(app):
    with_original = _run(app, TEXT, show_original=True)[-1]["side_by_side"]
    without = _run(app, TEXT, show_original=False)[-1]["side_by_side"]
    assert with_original["visible"] is True and "Jembatan itu menghubungkan desa" in with_original["value"]
    assert without["visible"] is False
