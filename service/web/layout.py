"""The Blocks: the page's components, the hidden API inputs, and the events that join them."""

from __future__ import annotations

from typing import Any

import gradio as gr

from .. import choices
from ..config import Settings
from .constants import (
    EXAMPLE_LABELS,
    EXAMPLE_TEXT,
    EXAMPLE_URLS,
    LENGTH_LABELS,
    METHOD_LABELS,
    MODEL_QUEUE,
)
from .downloads import Downloads
from .handlers import App, gpu
from .history import HISTORY_KEY, HISTORY_SECRET
from .render import model_name
from .requests import summary_methods
from .view import PAGE_OUTPUTS, cleared
from .warmup import LOADING_RECHECK_SECONDS, ModelWarmup

INTRO = (
    '<div class="ins-intro"><h1>Indonesian news in English</h1>'
    "<p>Paste a link to an Indonesian news article, several links (one per line), or the "
    "article's text, and read it in English: a summary on top, then the article, with the "
    "original beside it when you want it. Translations are made by a machine and can be wrong: "
    "check names and numbers against the original.</p></div>"
)
# The inputs of the page's Translate event, in the order `App.stream_page` takes them.
PAGE_INPUTS = (
    "source",
    "upload",
    "summary_length",
    "style",
    "summary_method",
    "translation_model",
    "bilingual",
)
# What the API page shows as the example call: an Indonesian text that passes every check,
# and each option at its default.
API_EXAMPLE = (
    "Warga Desa Sukamaju Bangun Jembatan Bambu\n\n"
    "Warga Desa Sukamaju membangun jembatan bambu sepanjang dua puluh meter pada hari Minggu. "
    "Jembatan itu menghubungkan desa dengan sekolah dasar di seberang sungai."
)

# Browser-side actions: no server round trip.
COPY_JS = """() => {
  const el = document.querySelector(%r);
  const text = el ? el.innerText.trim() : '';
  const done = (ok) => { const s = document.getElementById('ins-copied');
    if (s) s.textContent = ok ? %r : 'Copying failed: select the text and copy it by hand.'; };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text).then(() => done(true), () => done(false));
  } else {
    const area = document.createElement('textarea'); area.value = text; document.body.appendChild(area);
    area.select(); let ok = false; try { ok = document.execCommand('copy'); } catch (e) {} area.remove(); done(ok);
  }
}"""
CLICK_GO_JS = """() => { setTimeout(() => { const go = document.getElementById('ins-go'); if (go) go.click(); }, 50); }"""
AUTORUN_JS = """() => {
  const url = new URLSearchParams(window.location.search).get('url');
  if (url && /^https?:\\/\\/\\S+$/i.test(url.trim())) {
    setTimeout(() => { const go = document.getElementById('ins-go'); if (go) go.click(); }, 50);
  }
}"""


def build(settings: Settings | None = None, *, warm_up: bool = True) -> gr.Blocks:
    """The page and the API; starts loading the models in the background unless told not to."""
    settings = settings or Settings.from_env()
    warmup = ModelWarmup(settings)
    app = App(settings, warmup, Downloads())
    ui: dict[str, Any] = {}  # the page's components by name (PAGE_INPUTS, PAGE_OUTPUTS, cleared())

    with gr.Blocks(title="Indonesian news in English", fill_width=False) as demo:
        app.blocks = demo
        with gr.Column(elem_id="ins-page"):
            gr.HTML(INTRO, js_on_load=None)
            models_status = gr.HTML(warmup.html(), elem_id="ins-models", js_on_load=None)
            _inputs(ui)
            with gr.Row(elem_id="ins-actions"):
                ui["go"] = gr.Button("Translate", variant="primary", elem_id="ins-go", scale=2)
                ui["cancel"] = gr.Button("Cancel", variant="stop", elem_id="ins-cancel", scale=1, visible=False)
                clear = gr.Button("Clear", variant="secondary", elem_id="ins-clear", scale=1)
            gr.HTML(
                '<p class="ins-keys">Ctrl+Enter translates; Enter does too when the box holds one link.</p>',
                js_on_load=None,
            )
            _recent(ui)
            _upload(ui)
            _options(ui, settings)
            ui["status"] = gr.HTML("", elem_id="ins-status", js_on_load=None)
            _results(ui)
            ui["result_state"] = gr.State(None)
            gr.Examples(
                examples=[[u] for u in EXAMPLE_URLS] + [[EXAMPLE_TEXT]],
                example_labels=list(EXAMPLE_LABELS),
                inputs=[ui["source"]],
                label="Examples (click one, then Translate)",
                cache_examples=False,
            )
            # The API's inputs: hidden, with the defaults a client gets when it leaves them out.
            with gr.Column(visible=False):
                api_inputs = [
                    gr.Textbox(label="source"),
                    gr.Textbox(value=choices.DEFAULT_SUMMARY_LENGTH, label="summary_length"),
                    gr.Textbox(value="", label="summary_method"),
                    gr.Checkbox(value=False, label="bullets"),
                    gr.Textbox(value="", label="translation_model"),
                ]
                examples = (API_EXAMPLE, choices.DEFAULT_SUMMARY_LENGTH, "", False, "")
                for component, example in zip(api_inputs, examples, strict=True):
                    component.example_inputs = (lambda value=example: value)  # type: ignore[method-assign]
                api_out = gr.JSON(label="result")

        page_inputs = [ui[name] for name in PAGE_INPUTS]
        translate = ui["go"].click(
            gpu(app.stream_page),
            inputs=page_inputs,
            outputs=[ui[name] for name in PAGE_OUTPUTS],
            api_visibility="private",
            concurrency_id=MODEL_QUEUE,
            concurrency_limit=settings.concurrency,
            show_progress="minimal",
            show_progress_on=[ui["status"]],
            validator=app.validator(len(page_inputs)),
            # A stopped run ends a moment after Cancel re-enables Translate; Gradio's default
            # ("once") would drop a click in that moment. The latest click runs when it ends.
            trigger_mode="always_last",
        )
        # The reader's recent links, kept in their browser: the article just read goes first.
        translate.then(
            app.remember,
            inputs=[ui["history"]],
            outputs=[ui["history"], ui["recent"], ui["forget"]],
            queue=False,
            api_visibility="private",
        )
        ui["recent"].input(
            app.reopen,
            inputs=[ui["recent"]],
            outputs=[ui["source"]],
            queue=False,
            api_visibility="private",
        ).then(None, js=CLICK_GO_JS, queue=False)
        ui["forget"].click(
            app.forget,
            outputs=[ui["history"], ui["recent"], ui["forget"]],
            queue=False,
            api_visibility="private",
        )

        api_btn = gr.Button(visible=False)
        api_btn.click(
            gpu(app.translate_article),
            inputs=api_inputs,
            outputs=api_out,
            api_name="translate_article",
            api_description=API_DESCRIPTION.format(
                methods=", ".join(summary_methods(settings)),
                models=", ".join(settings.translation_models),
            ),
            concurrency_id=MODEL_QUEUE,
            concurrency_limit=settings.concurrency,
            validator=app.validator(len(api_inputs)),
        )

        many_inputs = [gr.Textbox(label="links", visible=False), *api_inputs[1:]]
        many_inputs[0].example_inputs = (lambda: "\n".join(EXAMPLE_URLS[:2]))  # type: ignore[method-assign]
        many_out = gr.JSON(label="rows", visible=False)
        api_many = gr.Button(visible=False)
        api_many.click(
            gpu(app.translate_many),
            inputs=many_inputs,
            outputs=many_out,
            api_name="translate_many",
            concurrency_id=MODEL_QUEUE,
            concurrency_limit=settings.concurrency,
            validator=app.validator(len(many_inputs)),
        )

        # Summary options re-write only the summary, from the translation already on the page.
        resummary_events = []
        for name in ("summary_length", "style", "summary_method"):
            resummary_events.append(
                ui[name].input(
                    gpu(app.resummarize),
                    inputs=[ui["result_state"], ui["summary_length"], ui["style"], ui["summary_method"], ui["bilingual"]],
                    outputs=[ui["status"], ui["summary"], ui["download_md"], ui["download_json"], ui["result_state"]],
                    api_visibility="private",
                    concurrency_id=MODEL_QUEUE,
                    concurrency_limit=settings.concurrency,
                    show_progress="hidden",
                )
            )
        ui["bilingual"].input(
            app.rewrite_downloads,
            inputs=[ui["result_state"], ui["bilingual"]],
            outputs=[ui["download_md"], ui["download_json"]],
            queue=False,
            api_visibility="private",
        )
        # Showing the original is the browser's business alone (assets/page.js): nothing runs here.
        ui["copy_summary"].click(None, js=COPY_JS % ("#ins-summary .ins-summary-body", "Summary copied."), queue=False)
        ui["copy_translation"].click(
            None, js=COPY_JS % ("#ins-article .ins-doc", "Translation copied."), queue=False
        )

        # The Translate run is stopped by its flag (app.cancel) and ends by itself; only the short
        # summary re-runs are cancelled by Gradio.
        ui["cancel"].click(
            app.cancel_page,
            outputs=[ui["status"], ui["go"], ui["cancel"]],
            cancels=resummary_events,
            queue=False,
            api_visibility="private",
        )

        def reset(request: gr.Request = None) -> dict[Any, Any]:  # type: ignore[assignment]
            app.cancel(request, clearing=True)
            return {ui[name]: value for name, value in cleared().items()}

        clear.click(
            reset,
            outputs=[ui[name] for name in cleared()],
            cancels=resummary_events,
            queue=False,
            api_visibility="private",
        )

        timer = gr.Timer(LOADING_RECHECK_SECONDS, active=warm_up)

        def refresh_models():  # type: ignore[no-untyped-def]
            seconds = warmup.recheck_seconds()
            return warmup.html(), gr.Timer(value=seconds or LOADING_RECHECK_SECONDS, active=seconds is not None)

        timer.tick(refresh_models, outputs=[models_status, timer], queue=False, api_visibility="private")
        demo.load(refresh_models, outputs=[models_status, timer], queue=False, api_visibility="private")
        demo.load(
            app.recall,
            inputs=[ui["history"]],
            outputs=[ui["history"], ui["recent"], ui["forget"]],
            queue=False,
            api_visibility="private",
        )
        # A shared link, `?url=...`: the address goes into the input and the page starts it.
        demo.load(app.prefill, outputs=[ui["source"]], queue=False, api_visibility="private").then(
            None, js=AUTORUN_JS, queue=False
        )

    # Our validator gives the readable "busy" answer at settings.queue_size; Gradio's own limit
    # stays only as a backstop, high enough that it never answers first.
    demo.queue(default_concurrency_limit=settings.concurrency, max_size=2 * settings.queue_size + 8)
    demo.service_app = app  # type: ignore[attr-defined]  # for tests and app.py
    if warm_up:
        warmup.start()
    else:
        warmup.defer()
    return demo


API_DESCRIPTION = (
    "Translate and summarise one Indonesian news article. source: the article's http(s) URL or its "
    "full Indonesian text (a headline, a blank line, then paragraphs; a few words are too short to "
    "tell the language). summary_length: short, medium or long. summary_method: {methods}, or empty "
    "for the server's default. bullets: true for key points. translation_model: {models}, or empty "
    "for the default. Returns the same JSON object as `python -m service run --format json`."
)


def _inputs(ui: dict[str, Any]) -> None:
    ui["source"] = gr.Textbox(
        label="Article URL or text (or several links, one per line)",
        placeholder="https://… or paste the article's text",
        lines=3,
        max_lines=12,
        elem_id="ins-source",
    )


def _recent(ui: dict[str, Any]) -> None:
    """The reader's recent links (hidden until there is one); stored in their browser only."""
    ui["history"] = gr.BrowserState([], storage_key=HISTORY_KEY, secret=HISTORY_SECRET)
    with gr.Row(elem_id="ins-recent-row", equal_height=False):
        ui["recent"] = gr.Dropdown(
            [],
            value=None,
            label="Recent articles (kept in this browser only)",
            info="Pick one to read it again.",
            allow_custom_value=False,
            visible=False,
            elem_id="ins-recent",
            scale=4,
        )
        ui["forget"] = gr.Button(
            "Forget recent articles", variant="secondary", size="sm", visible=False, elem_id="ins-forget", scale=1
        )


def _upload(ui: dict[str, Any]) -> None:
    ui["upload"] = gr.File(
        label="Or a saved page (.html, .txt)",
        file_types=[".html", ".htm", ".txt"],
        type="filepath",
        height=120,
        elem_id="ins-upload",
    )


def _options(ui: dict[str, Any], settings: Settings) -> None:
    methods = summary_methods(settings)
    default_method = settings.summary_method if settings.summary_method in methods else methods[0]
    with gr.Accordion("Options", open=False, elem_id="ins-options"):
        gr.HTML(
            '<p class="ins-hint">Summary options apply at once to the article on the page: only the '
            "summary is written again, the translation is kept.</p>",
            js_on_load=None,
        )
        ui["summary_length"] = gr.Radio(
            [(label, x) for x, label in LENGTH_LABELS.items()],
            value=choices.DEFAULT_SUMMARY_LENGTH,
            label="Summary length",
            elem_id="ins-length",
        )
        ui["style"] = gr.Radio(
            [("Prose", "prose"), ("Bullet points", "bullets")], value="prose", label="Summary style",
            elem_id="ins-style",
        )
        ui["summary_method"] = gr.Radio(
            [(METHOD_LABELS[m], m) for m in methods], value=default_method, label="Summary method",
            elem_id="ins-method",
        )
        models = list(settings.translation_models)
        ui["translation_model"] = gr.Dropdown(
            [(model_name(m), m) for m in models],
            value=settings.translation_model,
            label="Translation model",
            info="A new model translates the article again (press Translate).",
            allow_custom_value=False,
            visible=len(models) > 1,
            elem_id="ins-model",
        )
        ui["bilingual"] = gr.Checkbox(
            value=False,
            label="Include the original in the Markdown download (bilingual)",
            elem_id="ins-bilingual",
        )


def _results(ui: dict[str, Any]) -> None:
    with gr.Column(visible=False, elem_id="ins-results") as ui["results"]:
        ui["header"] = gr.HTML("", elem_id="ins-header", js_on_load=None)
        with gr.Row(elem_id="ins-toolbar", equal_height=True):
            ui["download_md"] = gr.DownloadButton(
                "Download Markdown", visible=False, elem_id="ins-dl-md", size="sm", scale=0
            )
            ui["download_json"] = gr.DownloadButton(
                "Download JSON", visible=False, elem_id="ins-dl-json", size="sm", scale=0
            )
            ui["download_csv"] = gr.DownloadButton(
                "Download CSV", visible=False, elem_id="ins-dl-csv", size="sm", scale=0
            )
            ui["download_jsonl"] = gr.DownloadButton(
                "Download JSONL", visible=False, elem_id="ins-dl-jsonl", size="sm", scale=0
            )
            # Shown by the page's outputs when there is a summary or a translation to copy.
            ui["copy_summary"] = gr.Button(
                "Copy summary", elem_id="ins-copy-summary", size="sm", scale=0, visible=False
            )
            ui["copy_translation"] = gr.Button(
                "Copy translation", elem_id="ins-copy-translation", size="sm", scale=0, visible=False
            )
            ui["show_original"] = gr.Checkbox(
                value=False,
                label="Show the original beside the translation",
                elem_id="ins-show-original",
                visible=False,
                interactive=True,  # an event's output (for its visibility): Gradio would make it read-only
                scale=0,
                min_width=260,
            )
        gr.HTML('<p id="ins-copied" class="ins-copied" role="status" aria-live="polite"></p>', js_on_load=None)
        ui["summary"] = gr.HTML("", elem_id="ins-summary", js_on_load=None)
        ui["article"] = gr.HTML("", elem_id="ins-article", js_on_load=None)
