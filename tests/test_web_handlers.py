"""The page's handler in-process, with tiny local models: what each step shows, and how it fails."""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

import pytest

from service import pipeline, web
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


def _with_stream(app: web.App, stream) -> web.App:
    """The same app with another pipeline behind its page (the handler's `stream` seam)."""
    return web.App(app.settings, app.warmup, app.downloads, stream=stream)


def test_a_bug_shows_a_generic_message_and_logs_no_article_text(app, caplog):
    def broken(source=None, *, options, settings, **_kwargs):
        raise RuntimeError(f"could not handle {source}")  # a foreign error quoting the article
        yield  # pragma: no cover

    with caplog.at_level(logging.ERROR, logger="service.web"):
        steps = _run(_with_stream(app, broken), TEXT)
    assert web.GENERIC_ERROR.split(".")[0] in steps[-1]["status"]
    assert "RuntimeError" in caplog.text
    assert "Sukamaju" not in caplog.text


def test_the_next_request_after_a_failure_is_served(app):
    calls = []

    def broken_once(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("boom")
        yield from pipeline.stream(*args, **kwargs)

    flaky = _with_stream(app, broken_once)
    assert "ins-error" in _run(flaky, TEXT)[-1]["status"]
    assert "ins-done" in _run(flaky, TEXT)[-1]["status"]
    assert len(calls) == 2


def test_the_page_uses_the_pipeline_stream_by_default(app):
    assert app.stream is pipeline.stream


def test_side_by_side_only_when_asked_for(app):
    with_original = _run(app, TEXT, show_original=True)[-1]["side_by_side"]
    without = _run(app, TEXT, show_original=False)[-1]["side_by_side"]
    assert with_original["visible"] is True and "Jembatan itu menghubungkan desa" in with_original["value"]
    assert without["visible"] is False


def test_the_page_event_updates_the_outputs_the_handler_yields(app):
    demo = web.build(app.settings, warm_up=False)
    page = next(fn for fn in demo.fns.values() if getattr(fn.fn, "__name__", "") == "stream_page")
    assert [c.elem_id for c in page.outputs] == [
        "ins-status",
        "ins-header",
        "ins-summary",
        "ins-translation",
        "ins-sbs",
        "ins-results",
        "ins-dl-md",
        "ins-dl-json",
    ]
    assert len(web.PAGE_OUTPUTS) == len(page.outputs)
    assert [c.elem_id for c in page.inputs][:2] == ["ins-source", "ins-upload"]
    assert len(page.inputs) == len(web.PAGE_INPUTS)


def test_clear_empties_the_page_by_name(app):
    demo = web.build(app.settings, warm_up=False)
    reset = next(fn for fn in demo.fns.values() if getattr(fn.fn, "__name__", "") == "reset")
    updates = reset.fn()
    assert list(updates) == list(reset.outputs)
    by_id = {c.elem_id: value for c, value in updates.items()}
    assert by_id["ins-source"] == "" and by_id["ins-upload"] is None and by_id["ins-status"] == ""
    assert by_id["ins-results"]["visible"] is False and by_id["ins-sbs"]["visible"] is False
