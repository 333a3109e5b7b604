"""The page's handlers in-process: what each step shows, how a run ends (done, failed, cancelled,
model unavailable), and options that apply without translating again.

Most tests use the fakes of tests/support (the pipeline runs for real, the models are stand-ins);
one uses the tiny local models end to end."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import logging
import threading
from pathlib import Path

import pytest

from service import pipeline, web
from service.config import Settings
from service.errors import InputError, ModelNotAvailableError
from tests.support.fakes import FakeSummarizer, FakeTranslator
from tests.webapp_server import tiny_model_env

TEXT = (
    "Warga Desa Sukamaju Bangun Jembatan Bambu\n\n"
    "Warga Desa Sukamaju membangun jembatan bambu pada hari Minggu. "
    "Jembatan itu menghubungkan desa dengan sekolah.\n\n"
    "Kepala desa mengatakan bahwa pembangunan dilakukan secara gotong royong.\n\n"
    "Sebelumnya, anak-anak harus menyeberangi sungai dengan perahu kecil."
)


class Request:
    """What Gradio hands a handler: the tab's session."""

    def __init__(self, session: str = "tab-1", query: dict | None = None) -> None:
        self.session_hash = session
        self.query_params = query or {}


@pytest.fixture(scope="module")
def settings(tmp_path_factory) -> Settings:
    directory = tmp_path_factory.mktemp("handler-settings")
    return Settings(cache_dir=directory / "cache", cache_enabled=False)


def _faked(settings: Settings, tmp_path: Path, translator=None, summarizer=None, **app_kwargs) -> web.App:
    """An app whose pipeline translates with `translator` (a fake by default) and summarises
    with `summarizer` (by default the real stage: extractive needs no model)."""
    translator = translator or FakeTranslator()

    def stream(*args, **kwargs):
        kwargs.setdefault("translator", translator)
        if summarizer is not None:
            kwargs.setdefault("summarizer", summarizer)
        yield from pipeline.stream(*args, **kwargs)

    warmup = web.ModelWarmup(settings, **app_kwargs)
    return web.App(settings, warmup, web.Downloads(tmp_path / "downloads"), stream=stream)


def _run(app: web.App, source: str, upload: str | None = None, request=None, **options) -> list[dict]:
    args = {
        "summary_length": "short",
        "style": "prose",
        "summary_method": "extractive",
        "translation_model": "",
        "bilingual": False,
    }
    args.update(options)
    return [dict(zip(web.PAGE_OUTPUTS, step)) for step in app.stream_page(source, upload, **args, request=request)]


def _value(update):
    return update.get("value") if isinstance(update, dict) else update


def _text(html: str) -> str:
    import re

    return " ".join(re.sub(r"<[^>]+>", " ", html or "").split())


def test_paragraphs_show_before_the_article_is_done_and_the_buttons_say_running(settings, tmp_path):
    steps = _run(_faked(settings, tmp_path), TEXT)
    final = steps[-1]
    assert "ins-done" in final["status"]
    assert _text(final["article"]).count("EN:") == 4  # every sentence, once
    early = [s for s in steps[:-1] if "EN:" in s["article"]]
    assert early and "ins-pending" in early[0]["article"]  # the first paragraph before the rest
    assert all(s["go"]["interactive"] is False and s["cancel"]["visible"] is True for s in steps[:-1])
    assert final["go"]["interactive"] is True and final["cancel"]["visible"] is False
    first_with_header = next(s for s in steps if s["header"])
    assert "Warga Desa Sukamaju Bangun Jembatan Bambu" in first_with_header["header"]


def test_the_summary_is_on_top_links_to_its_sentences_and_the_original_sits_beside_them(settings, tmp_path):
    final = _run(_faked(settings, tmp_path), TEXT)[-1]
    summary = final["summary"]
    assert "<h3" in summary and "Summary" in summary
    assert 'href="#ins-s-' in summary  # extractive points link to where they stand
    article = final["article"]
    assert 'id="ins-s-0-0"' in article and article.count('data-s="0-1"') == 2  # English and original
    assert 'lang="id"' in article and "Translation (English)" in article and "Original (Indonesian)" in article
    assert isinstance(final["result_state"], pipeline.Result)


def test_an_abstractive_summary_says_a_model_wrote_it(settings, tmp_path):
    steps = _run(_faked(settings, tmp_path, summarizer=FakeSummarizer()), TEXT, summary_method="abstractive")
    provisional = [s for s in steps if "A first summary" in (s["summary"] or "")]
    assert provisional, "the extractive summary shows while the model writes"
    assert "Written by a model (fake-summarizer)" in steps[-1]["summary"]


def test_downloads_hold_markdown_and_json_and_the_bilingual_markdown_holds_the_original(settings, tmp_path):
    app = _faked(settings, tmp_path)
    final = _run(app, TEXT)[-1]
    md, js = _value(final["download_md"]), _value(final["download_json"])
    assert md.endswith(".md") and js.endswith(".json")
    assert Path(md).read_text(encoding="utf-8").startswith("# ")
    assert "> Warga Desa Sukamaju membangun" not in Path(md).read_text(encoding="utf-8")
    assert '"paragraphs_en"' in Path(js).read_text(encoding="utf-8")
    bilingual_md, _ = app.rewrite_downloads(final["result_state"], True)
    text = Path(_value(bilingual_md)).read_text(encoding="utf-8")
    assert "> Warga Desa Sukamaju membangun jembatan bambu" in text and "EN:" in text


def test_summary_options_write_a_new_summary_without_translating_again(settings, tmp_path):
    translator = FakeTranslator()
    app = _faked(settings, tmp_path, translator)
    result = _run(app, TEXT)[-1]["result_state"]
    asked = len(translator.sentences)
    steps = list(app.resummarize(result, "long", "bullets", "abstractive", False))
    status, summary, md, _js, new = steps[-1]
    # resummarize uses the configured summariser, which is the abstractive model here: in this
    # test it cannot be loaded, so the summary falls back to the extractive method and says so
    assert "the translation was reused" in status
    assert len(translator.sentences) == asked  # nothing was translated again
    assert new.options.summary_length == "long" and new.options.bullets is True
    assert "<ul>" in summary
    assert app.resummarize(None, "long", "prose", "extractive", False)  # nothing on the page: no-op


def test_a_user_error_ends_in_a_message_and_leaves_no_busy_state(settings, tmp_path):
    steps = _run(_faked(settings, tmp_path), "http://127.0.0.1:1/")
    assert "ins-error" in steps[-1]["status"]
    assert "Could not read this article." in steps[-1]["status"]
    assert steps[-1]["go"]["interactive"] is True and steps[-1]["cancel"]["visible"] is False


def test_oversized_text_and_upload_are_refused(settings, tmp_path):
    small = _faked(dataclasses.replace(settings, max_text_chars=50, max_upload_bytes=10), tmp_path)
    assert "too long" in _run(small, "kata " * 20)[-1]["status"]
    big = tmp_path / "page.html"
    big.write_text("<p>" + "x" * 100 + "</p>", encoding="utf-8")
    assert "too large" in _run(small, "", str(big))[-1]["status"]


def test_a_bug_shows_a_generic_message_and_logs_no_article_text(settings, tmp_path, caplog):
    def broken(source=None, *, options, settings, **_kwargs):
        raise RuntimeError(f"could not handle {source}")  # a foreign error quoting the article
        yield  # pragma: no cover

    app = web.App(settings, web.ModelWarmup(settings), web.Downloads(tmp_path), stream=broken)
    with caplog.at_level(logging.ERROR, logger="service.web"):
        steps = _run(app, TEXT)
    assert web.GENERIC_ERROR.split(".")[0] in steps[-1]["status"]
    assert "RuntimeError" in caplog.text
    assert "Sukamaju" not in caplog.text


def test_the_page_uses_the_pipeline_stream_by_default(settings, tmp_path):
    assert web.App(settings, web.ModelWarmup(settings), web.Downloads(tmp_path)).stream is pipeline.stream


class _Unloadable(FakeTranslator):
    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    def translate_sentences(self, sentences, **kwargs):
        self.calls += 1
        raise ModelNotAvailableError("Model 'example-org/x' is not available: run download-models.")


def test_an_unavailable_translation_model_shows_the_original_with_downloads_and_is_not_retried_per_click(
    settings, tmp_path, caplog
):
    translator = _Unloadable()
    app = _faked(settings, tmp_path, translator)
    with caplog.at_level(logging.WARNING, logger="service.web"):
        first = _run(app, TEXT)
        second = _run(app, TEXT)
    for steps in (first, second):
        final = steps[-1]
        assert "Translation is not available right now." in final["status"]
        assert "download-models" not in final["status"] and "SERVICE_" not in final["status"]
        assert "ins-spinner" not in final["status"]
        assert final["go"]["interactive"] is True and final["cancel"]["visible"] is False
        assert "Jembatan itu menghubungkan desa" in final["article"]
        md = Path(_value(final["download_md"])).read_text(encoding="utf-8")
        assert "Jembatan itu menghubungkan desa" in md
    assert translator.calls == 1  # the second click did not try the model again
    assert caplog.text.count("could not be loaded") == 1  # one line for the operator


def _shown(update) -> bool:
    return isinstance(update, dict) and update.get("visible") is True


def test_the_copy_and_show_original_buttons_appear_only_for_what_is_on_the_page(settings, tmp_path):
    steps = _run(_faked(settings, tmp_path), TEXT)
    first_english = next(i for i, s in enumerate(steps) if "EN:" in s["article"])
    assert not any(_shown(s["copy_summary"]) for s in steps[:first_english])  # "the summary follows" is no summary
    assert _shown(steps[-1]["copy_summary"]) and _shown(steps[-1]["copy_translation"])
    assert _shown(steps[-1]["show_original"])
    # no translation model: the original alone, so nothing to copy as a translation or summary
    final = _run(_faked(settings, tmp_path / "u", _Unloadable()), TEXT)[-1]
    assert "Translation is not available right now." in final["status"]
    assert not any(_shown(final[name]) for name in ("copy_summary", "copy_translation", "show_original"))
    # many links: rows, not one summary
    listed = _run(_faked(settings, tmp_path / "m"), "https://127.0.0.1/a\nhttps://127.0.0.1/b")[-1]
    assert not any(_shown(listed[name]) for name in ("copy_summary", "copy_translation", "show_original"))


def test_an_unavailable_model_is_tried_again_in_the_background(settings, monkeypatch):
    tried = []
    ready = threading.Event()

    def warm_up(kind, _settings):
        tried.append(kind)
        if kind == "translation" and tried.count("translation") < 3:
            raise ModelNotAvailableError("not cached")
        if kind == "translation":
            ready.set()

    monkeypatch.setattr(pipeline, "warm_up", warm_up)
    warmup = web.ModelWarmup(settings, retry_seconds=0.05).start()
    assert ready.wait(10)
    warmup.thread.join(10)
    assert warmup.snapshot()["Translation model"][0] == "ready"
    assert warmup.recheck_seconds() is None  # the page's model line stops checking once all are ready
    assert "ready" in warmup.html() and "not available" not in warmup.html()
    assert not warmup.unavailable(settings.translation_model)
    assert tried.count("summary") == 1  # what loaded is not loaded again


def test_cancel_stops_the_run_and_the_pipeline_behind_it(settings, tmp_path):
    hold = threading.Event()
    reached = threading.Event()

    def wait_after_first(i):
        if i == 0:
            reached.set()
            hold.wait(10)

    translator = FakeTranslator(on_paragraph=wait_after_first)
    app = _faked(settings, tmp_path, translator)
    request = Request("tab-cancel")
    steps = []
    runner = threading.Thread(target=lambda: steps.extend(_run(app, TEXT, request=request)))
    runner.start()
    assert reached.wait(10)
    assert app.cancel(request) is True
    runner.join(10)
    assert not runner.is_alive(), "the handler returned once cancelled"
    assert "Stopped." in steps[-1]["status"]
    assert steps[-1]["go"]["interactive"] is True
    hold.set()
    # the pipeline was told to stop: it translates no paragraph after the one it was in
    for _ in range(50):
        if translator.paragraph_calls and len(translator.sentences) <= 3:
            break
    assert len(translator.sentences) < 4 + 1  # title + first paragraph at most, never the whole article


def test_many_links_become_a_list_of_articles(settings, tmp_path, monkeypatch):
    seen = []

    def stream(source=None, **kwargs):
        seen.append(source)
        if source.endswith("/bad"):
            raise InputError("This page is not an article.")
        yield from pipeline.stream(
            text=TEXT.replace("Sukamaju", source.rsplit("/", 1)[-1].capitalize()),
            translator=FakeTranslator(),
            summarizer=FakeSummarizer(),
            **kwargs,
        )

    app = web.App(settings, web.ModelWarmup(settings), web.Downloads(tmp_path), stream=stream)
    steps = _run(app, "https://contoh.id/a\nhttps://contoh.id/bad\n\nhttps://contoh.id/c")
    final = steps[-1]
    assert seen == ["https://contoh.id/a", "https://contoh.id/bad", "https://contoh.id/c"]
    assert "3 of 3 articles" in final["article"]
    assert final["article"].count("<details") == 2 and "This page is not an article." in final["article"]
    assert "EN:Warga Desa C membangun" in final["article"]
    assert "2 of 3 articles translated" in final["status"]
    assert "Failed: This page is not an article." in final["article"]
    assert final["article"].count('class="ins-list-teaser"') == 2 and "Translated" in final["article"]
    # the digest: Markdown, CSV (one line a link) and JSONL (batch's rows: the result plus id/status/error)
    assert final["download_json"].get("visible") is False
    md = Path(_value(final["download_md"])).read_text(encoding="utf-8")
    assert md.count("EN:Warga Desa") >= 2 and "https://contoh.id/bad" in md
    rows = [json.loads(line) for line in Path(_value(final["download_jsonl"])).read_text(encoding="utf-8").splitlines()]
    assert [(r["id"], r["status"]) for r in rows] == [
        ("https://contoh.id/a", "ok"), ("https://contoh.id/bad", "error"), ("https://contoh.id/c", "ok")
    ]
    assert rows[0]["title_en"].startswith("EN:") and rows[0]["error"] is None and "paragraphs_en" in rows[0]
    assert rows[1] == {"id": "https://contoh.id/bad", "input": "https://contoh.id/bad", "status": "error",
                       "error": "This page is not an article."}
    table = list(csv.DictReader(io.StringIO(Path(_value(final["download_csv"])).read_text(encoding="utf-8"))))
    assert list(table[0]) == ["id", "url", "status", "title_en", "summary", "site", "published", "error"]
    assert [t["status"] for t in table] == ["ok", "error", "ok"]
    assert table[2]["title_en"].startswith("EN:") and table[2]["summary"] and table[1]["error"]


def test_the_translate_many_api_returns_one_row_per_link_and_checks_its_input(settings, tmp_path):
    import gradio as gr

    def stream(source=None, **kwargs):
        if source.endswith("/bad"):
            raise InputError("This page is not an article.")
        yield from pipeline.stream(text=TEXT, translator=FakeTranslator(), summarizer=FakeSummarizer(), **kwargs)

    app = web.App(settings, web.ModelWarmup(settings), web.Downloads(tmp_path), stream=stream)
    rows = app.translate_many("https://contoh.id/a\n\nhttps://contoh.id/bad\nhttps://contoh.id/a", "short", "extractive")
    assert [(r["id"], r["status"]) for r in rows] == [("https://contoh.id/a", "ok"), ("https://contoh.id/bad", "error")]
    assert rows[0]["title_en"].startswith("EN:") and rows[0]["error"] is None
    assert rows[1]["error"] == "This page is not an article." and "title_en" not in rows[1]
    too_many = "\n".join(f"https://contoh.id/{n}" for n in range(web.requests.MAX_LINKS + 1))
    for links, message in [
        (too_many, f"at most {web.requests.MAX_LINKS} links"),
        ("", "one or more article URLs"),
        ("https://contoh.id/a\nnot a link", "must be one web address"),
    ]:
        with pytest.raises(gr.Error, match=message):
            app.translate_many(links)
    with pytest.raises(gr.Error):
        app.translate_many("https://contoh.id/a", summary_length="huge")


def test_translate_many_refuses_private_addresses_per_link(settings, tmp_path):
    rows = _faked(settings, tmp_path).translate_many("http://127.0.0.1:9/berita\nhttp://10.0.0.1/x", "short", "extractive")
    assert [r["status"] for r in rows] == ["error", "error"]
    assert all(r["error"] and "\n" not in r["error"] for r in rows)


def test_too_many_links_are_refused_with_the_limit(settings, tmp_path):
    links = "\n".join(f"https://contoh.id/{n}" for n in range(web.requests.MAX_LINKS + 1))
    assert f"at most {web.requests.MAX_LINKS} links" in _run(_faked(settings, tmp_path), links)[-1]["status"]


def test_a_shared_link_prefills_only_a_web_address(settings, tmp_path):
    app = _faked(settings, tmp_path)
    assert app.prefill(Request(query={"url": " https://contoh.id/berita/1 "})) == "https://contoh.id/berita/1"
    assert not isinstance(app.prefill(Request(query={"url": "javascript:alert(1)"})), str)
    assert not isinstance(app.prefill(Request()), str)


def test_the_page_event_updates_the_outputs_the_handler_yields(settings):
    demo = web.build(settings, warm_up=False)
    page = next(fn for fn in demo.fns.values() if getattr(fn.fn, "__name__", "") == "stream_page")
    ids = [c.elem_id for c in page.outputs]
    assert ids[:8] == [
        "ins-status", "ins-header", "ins-summary", "ins-article", "ins-results", "ins-dl-md", "ins-dl-json",
        "ins-go",
    ]
    assert len(web.PAGE_OUTPUTS) == len(page.outputs)
    assert [c.elem_id for c in page.inputs][:2] == ["ins-source", "ins-upload"]
    assert len(page.inputs) == len(web.PAGE_INPUTS)


def test_clear_empties_the_page_by_name(settings):
    demo = web.build(settings, warm_up=False)
    reset = next(fn for fn in demo.fns.values() if getattr(fn.fn, "__name__", "") == "reset")
    updates = reset.fn()
    assert list(updates) == list(reset.outputs)
    by_id = {c.elem_id: value for c, value in updates.items()}
    assert by_id["ins-source"] == "" and by_id["ins-upload"] is None and by_id["ins-status"] == ""
    assert by_id["ins-results"]["visible"] is False and by_id["ins-go"]["interactive"] is True


def test_the_model_choice_shows_names_never_paths_and_hides_with_one_model(settings):
    def dropdown(s):
        demo = web.build(s, warm_up=False)
        return next(b for b in demo.blocks.values() if getattr(b, "elem_id", None) == "ins-model")

    one = dropdown(dataclasses.replace(settings, translation_model="/srv/models/opus", translation_models=("/srv/models/opus",)))
    assert one.visible is False
    two = dropdown(
        dataclasses.replace(
            settings, translation_model="/srv/models/opus", translation_models=("/srv/models/opus", "org/nllb")
        )
    )
    assert two.visible is True
    assert [label for label, _ in two.choices] == ["opus", "org/nllb"]


def test_tiny_models_end_to_end(tmp_path_factory):
    directory = tmp_path_factory.mktemp("handler-models")
    settings = Settings.from_env(tiny_model_env(directory))
    app = web.App(settings, web.ModelWarmup(settings), web.Downloads(directory / "downloads"))
    final = _run(app, TEXT, summary_method="abstractive")[-1]
    assert "ins-done" in final["status"]
    assert final["result_state"].translated is True
    assert final["article"].count('class="ins-en"') == 1 + 3  # the heading and three paragraphs


# --------------------------------------------------------------------------- one feed or section page


def _listing_app(settings, tmp_path, links, *, not_article=None):
    """An app whose pipeline says `not_article` (a page with no article) and reads `links` there."""
    seen, asked = [], []

    def stream(source=None, **kwargs):
        seen.append(source)
        if source == not_article:
            from service.errors import ExtractionError

            raise ExtractionError("No article found on this page. Paste the article text instead.")
        yield from pipeline.stream(
            text=TEXT.replace("Sukamaju", source.rstrip("/").rsplit("/", 1)[-1].capitalize()),
            translator=FakeTranslator(),
            summarizer=FakeSummarizer(),
            **kwargs,
        )

    def read_links(url, settings, **kwargs):
        from service.inputs import Item

        assert kwargs.get("max_children") == 0  # a sitemap index is not followed by the web app
        asked.append(url)
        return [Item(link, "url", link) for link in links]

    app = web.App(settings, web.ModelWarmup(settings), web.Downloads(tmp_path), stream=stream, read_links=read_links)
    return app, seen, asked


def test_a_section_page_is_read_as_the_list_of_its_first_twenty_articles(settings, tmp_path):
    section = "https://contoh.id/kanal/nasional"
    links = [f"https://contoh.id/berita/{10000 + n}/judul-berita-nomor-{n}" for n in range(25)]
    app, seen, asked = _listing_app(settings, tmp_path, links, not_article=section)
    final = _run(app, section)[-1]
    assert asked == [section]
    assert seen == [section, *links[: web.requests.MAX_LINKS]]  # the article first, then 20 links
    assert f"{web.requests.MAX_LINKS} of {web.requests.MAX_LINKS} articles" in final["article"]
    assert "first 20 of the 25 article links" in _text(final["header"]) and section in final["header"]
    assert f"20 of 20 articles translated" in final["status"]
    assert Path(_value(final["download_csv"])).read_text(encoding="utf-8").count("\n") == 21


def test_a_feed_address_is_read_as_a_list_without_trying_it_as_an_article(settings, tmp_path):
    feed = "https://contoh.id/rss/terkini.xml"
    links = ["https://contoh.id/berita/1/satu-dua-tiga-empat", "https://contoh.id/berita/2/lima-enam-tujuh-delapan"]
    app, seen, asked = _listing_app(settings, tmp_path, links)
    final = _run(app, feed)[-1]
    assert asked == [feed] and seen == links
    assert "the 2 article links on it" in _text(final["header"])
    assert "2 of 2 articles translated" in final["status"]


def test_an_article_address_that_cannot_be_read_keeps_its_message_and_is_not_read_for_links(settings, tmp_path):
    article = "https://contoh.id/berita/12345/judul-berita-yang-terkunci"
    app, seen, asked = _listing_app(settings, tmp_path, ["https://contoh.id/berita/1/lain-satu-dua-tiga"],
                                    not_article=article)
    final = _run(app, article)[-1]
    assert asked == [] and seen == [article]
    assert "No article found on this page" in final["status"]


def test_a_page_with_no_article_and_no_article_links_keeps_its_own_message(settings, tmp_path):
    section = "https://contoh.id/kanal/kosong"
    app, seen, asked = _listing_app(settings, tmp_path, [], not_article=section)
    final = _run(app, section)[-1]
    assert asked == [section] and seen == [section]
    assert "No article found on this page" in final["status"] and not final["header"]


def test_translate_many_reads_one_section_page_as_its_articles_rows(settings, tmp_path):
    section = "https://contoh.id/kanal/nasional"
    links = [f"https://contoh.id/berita/{n}/judul-berita-nomor-{n}" for n in range(1, 4)]
    app, seen, asked = _listing_app(settings, tmp_path, links, not_article=section)
    rows = app.translate_many(section, "short", "extractive")
    assert [r["id"] for r in rows] == links and all(r["status"] == "ok" for r in rows)
    assert asked == [section]


# --------------------------------------------------------------------------- recent articles


def test_recent_articles_put_the_last_link_first_keep_ten_and_skip_pasted_text(settings, tmp_path):
    result = _run(_faked(settings, tmp_path), TEXT)[-1]["result_state"]
    stored: list = []
    for n in range(12):
        stored = web.history.remember(stored, result, f"https://contoh.id/berita/{n}/judul")
    assert [e["url"] for e in stored][:2] == ["https://contoh.id/berita/11/judul", "https://contoh.id/berita/10/judul"]
    assert len(stored) == web.history.HISTORY_SIZE and stored[0]["title"].startswith("EN:")
    again = web.history.remember(stored, result, "https://contoh.id/berita/3/judul")  # read again: moves up
    assert again[0]["url"] == "https://contoh.id/berita/3/judul" and len(again) == web.history.HISTORY_SIZE
    assert web.history.remember(stored, result, TEXT) == stored  # a pasted text is not kept
    assert web.history.remember(stored, None, "https://contoh.id/x") == stored  # nor a failed run


def test_the_recent_list_gets_the_link_the_run_read_not_what_the_box_says_later(settings, tmp_path):
    link = "https://contoh.id/kanal/banjir-besar"
    app, _, _ = _listing_app(settings, tmp_path, [])
    tab, other = Request("tab-a"), Request("tab-b")
    final = _run(app, link, request=tab)[-1]
    assert "ins-done" in final["status"]
    stored, recent, forget = app.remember([], request=tab)
    assert [e["url"] for e in stored] == [link] and stored[0]["title"].startswith("EN:")
    label, value = recent["choices"][0]
    assert value == link and recent["visible"] is True and forget["visible"] is True
    assert app.remember(stored, request=tab)[0] == stored  # told once: a second call adds nothing
    assert app.remember([], request=other)[0] == []  # another tab's run is not this tab's
    _run(app, "", request=tab)  # a run that failed (empty input) leaves the list as it was
    assert app.remember(stored, request=tab)[0] == stored
    assert app.forget()[0] == [] and app.forget()[1]["visible"] is False


def test_a_recent_list_sent_by_the_browser_is_checked_before_use(settings, tmp_path):
    app = _faked(settings, tmp_path)
    hostile = [
        {"url": "javascript:alert(1)", "title": "x"},
        {"url": "https://contoh.id/a", "title": "<b>A</b>" + "x" * 500},
        "not an entry",
        {"url": "https://contoh.id/a", "title": "twice"},
        {"url": ["https://contoh.id/b"]},
    ]
    entries, recent, _ = app.recall(hostile)
    assert [e["url"] for e in entries] == ["https://contoh.id/a"]
    assert len(entries[0]["title"]) <= 160
    assert app.recall("a string")[0] == [] and app.recall(None)[1]["visible"] is False
    assert app.reopen("https://contoh.id/a") == "https://contoh.id/a"
    assert not isinstance(app.reopen("file:///etc/passwd"), str)


def test_the_model_line_keeps_checking_while_a_failed_model_waits_for_its_retry(settings, monkeypatch):
    release = threading.Event()

    def warm_up(kind, _settings):
        if kind == "translation" and not release.is_set():
            raise ModelNotAvailableError("not cached")

    monkeypatch.setattr(pipeline, "warm_up", warm_up)
    warmup = web.ModelWarmup(settings, retry_seconds=0.2).start()
    try:
        for _ in range(200):
            if warmup.snapshot()["Translation model"][0] == "failed" and warmup.settled:
                break
            threading.Event().wait(0.02)
        assert warmup.recheck_seconds() == pytest.approx(0.2)  # soon after the retry, not never
        release.set()
        for _ in range(200):
            if warmup.snapshot()["Translation model"][0] == "ready":
                break
            threading.Event().wait(0.02)
        assert warmup.snapshot()["Translation model"][0] == "ready" and warmup.recheck_seconds() is None
    finally:
        warmup.stop()


def test_subheadings_of_the_article_are_headings_on_the_page(settings, tmp_path):
    from tests.test_extract_headings import HEADING_1, PAGE

    saved = tmp_path / "banjir.html"
    saved.write_text(PAGE, encoding="utf-8")
    final = _run(_faked(settings, tmp_path), "", upload=str(saved))[-1]
    assert "ins-done" in final["status"]
    import re

    heads = re.findall(r"<h4[^>]*>(.*?)</h4>", final["article"], re.S)
    assert any(f"EN:{HEADING_1}" in _text(h) for h in heads)  # the English one
    assert any(HEADING_1 in _text(h) and "EN:" not in _text(h) for h in heads)  # and the original's
    assert f"EN:{HEADING_1}" not in _text(final["summary"])  # a heading is no summary sentence


def test_many_links_to_one_host_are_spaced_across_the_request(tmp_path):
    from service.fetch.polite import PoliteFetcher
    from tests.localserver import serve
    from tests.test_web_app import _page

    settings = Settings(cache_dir=tmp_path / "cache", cache_enabled=False, allow_private_urls=True)
    html = {"Content-Type": "text/html; charset=utf-8"}
    routes = {f"/berita/{n}": (200, html, _page(f"Pasar Baru Nomor {n} Diresmikan Bupati")) for n in range(3)}
    waits: list[float] = []
    with serve(routes) as base:
        app = _faked(settings, tmp_path)
        app.polite = PoliteFetcher(1.0, respect_robots=False, clock=lambda: 100.0, sleep=waits.append)
        final = _run(app, "\n".join(f"{base}/berita/{n}" for n in range(3)))[-1]
        assert len(base.requests) == 3
    assert "3 of 3 articles translated" in final["status"]
    assert waits == [1.0, 2.0]  # the host's slots: now, +1 s, +2 s (the clock stands still here)


def test_a_known_outlets_section_page_is_read_as_a_list_without_trying_it_as_an_article(settings, tmp_path):
    section = "https://news.detik.com/berita"
    links = ["https://news.detik.com/berita/d-7000001/satu-dua-tiga", "https://news.detik.com/berita/d-7000002/empat-lima"]
    app, seen, asked = _listing_app(settings, tmp_path, links)
    final = _run(app, section)[-1]
    assert asked == [section] and seen == links
    assert "2 of 2 articles translated" in final["status"]


def test_a_failed_link_in_the_digest_is_an_autolink_only_when_it_is_a_clean_web_address(tmp_path):
    md, _, _ = web.Downloads(tmp_path).write_many([
        ("javascript:alert(1)", None, "Not a web address."),
        ("https://contoh.id/berita/1/a", None, "Not found <b>here</b>."),
    ])
    text = Path(md).read_text(encoding="utf-8")
    assert "<javascript:" not in text and "**Could not read** javascript:alert(1): Not a web address." in text
    assert "<https://contoh.id/berita/1/a>" in text and "<b>" not in text
