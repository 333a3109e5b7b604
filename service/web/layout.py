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
from .requests import summary_methods
from .view import PAGE_OUTPUTS, cleared
from .warmup import ModelWarmup

INTRO = (
    '<div class="ins-intro"><h1>Indonesian news in English</h1>'
    "<p>Paste a link to an Indonesian news article, or the article's text, and read it in "
    "English: a short summary, the full translation, and the original side by side. "
    "Translations are made by a machine and can be wrong: check names and numbers "
    "against the original.</p></div>"
)
# The inputs of the page's Translate event, in the order `App.stream_page` takes them.
PAGE_INPUTS = (
    "source",
    "upload",
    "summary_length",
    "style",
    "summary_method",
    "translation_model",
    "show_original",
)


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
            _options(ui, settings)
            with gr.Row(elem_id="ins-actions"):
                go = gr.Button("Translate", variant="primary", elem_id="ins-go", scale=2)
                clear = gr.Button("Clear", variant="secondary", elem_id="ins-clear", scale=1)
            ui["status"] = gr.HTML("", elem_id="ins-status", js_on_load=None)
            _results(ui)
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
                api_out = gr.JSON(label="result")

        page_inputs = [ui[name] for name in PAGE_INPUTS]
        go.click(
            gpu(app.stream_page),
            inputs=page_inputs,
            outputs=[ui[name] for name in PAGE_OUTPUTS],
            api_visibility="private",
            concurrency_id=MODEL_QUEUE,
            concurrency_limit=settings.concurrency,
            show_progress="minimal",
            show_progress_on=[ui["status"]],
            validator=app.validator(len(page_inputs)),
        )

        api_btn = gr.Button(visible=False)
        api_btn.click(
            gpu(app.translate_article),
            inputs=api_inputs,
            outputs=api_out,
            api_name="translate_article",
            concurrency_id=MODEL_QUEUE,
            concurrency_limit=settings.concurrency,
            validator=app.validator(len(api_inputs)),
        )

        def reset() -> dict[Any, Any]:
            return {ui[name]: value for name, value in cleared().items()}

        clear.click(
            reset,
            outputs=[ui[name] for name in cleared()],
            queue=False,
            api_visibility="private",
        )

        timer = gr.Timer(1.5, active=warm_up)

        def refresh_models():  # type: ignore[no-untyped-def]
            return warmup.html(), gr.Timer(active=not warmup.settled)

        timer.tick(refresh_models, outputs=[models_status, timer], queue=False, api_visibility="private")
        demo.load(refresh_models, outputs=[models_status, timer], queue=False, api_visibility="private")

    # Our validator gives the readable "busy" answer at settings.queue_size; Gradio's own limit
    # stays only as a backstop, high enough that it never answers first.
    demo.queue(default_concurrency_limit=settings.concurrency, max_size=2 * settings.queue_size + 8)
    demo.service_app = app  # type: ignore[attr-defined]  # for tests and app.py
    if warm_up:
        warmup.start()
    else:
        warmup.defer()
    return demo


def _inputs(ui: dict[str, Any]) -> None:
    with gr.Row(equal_height=True, elem_id="ins-inputs"):
        ui["source"] = gr.Textbox(
            label="Article URL or text",
            placeholder="https://… or paste the article's text",
            lines=4,
            max_lines=12,
            scale=3,
            min_width=240,
            elem_id="ins-source",
        )
        ui["upload"] = gr.File(
            label="Or a saved page (.html, .txt)",
            file_types=[".html", ".htm", ".txt"],
            type="filepath",
            scale=1,
            min_width=200,
            height=170,
            elem_id="ins-upload",
        )


def _options(ui: dict[str, Any], settings: Settings) -> None:
    methods = summary_methods(settings)
    default_method = settings.summary_method if settings.summary_method in methods else methods[0]
    with gr.Accordion("Options", open=False, elem_id="ins-options"):
        ui["summary_length"] = gr.Radio(
            [(label, x) for x, label in LENGTH_LABELS.items()],
            value=choices.DEFAULT_SUMMARY_LENGTH,
            label="Summary length",
        )
        ui["style"] = gr.Radio(
            [("Prose", "prose"), ("Bullet points", "bullets")], value="prose", label="Summary style"
        )
        ui["summary_method"] = gr.Radio(
            [(METHOD_LABELS[m], m) for m in methods], value=default_method, label="Summary method"
        )
        ui["translation_model"] = gr.Dropdown(
            list(settings.translation_models),
            value=settings.translation_model,
            label="Translation model",
            allow_custom_value=False,
        )
        ui["show_original"] = gr.Checkbox(value=True, label="Show the original next to the translation")


def _results(ui: dict[str, Any]) -> None:
    with gr.Column(visible=False, elem_id="ins-results") as ui["results"]:
        ui["header"] = gr.HTML("", elem_id="ins-header", js_on_load=None)
        ui["summary"] = gr.Textbox(
            label="Summary (English)",
            placeholder="The summary appears here once the article is translated.",
            lines=3,
            max_lines=20,
            interactive=False,
            buttons=["copy"],
            elem_id="ins-summary",
        )
        ui["translation"] = gr.Textbox(
            label="Translation (English)",
            placeholder="The translation appears here, paragraph by paragraph.",
            lines=8,
            max_lines=40,
            interactive=False,
            autoscroll=False,
            buttons=["copy"],
            elem_id="ins-translation",
        )
        ui["side_by_side"] = gr.HTML("", visible=False, elem_id="ins-sbs", js_on_load=None)
        with gr.Row(elem_id="ins-downloads"):
            ui["download_md"] = gr.DownloadButton("Download Markdown", visible=False, elem_id="ins-dl-md")
            ui["download_json"] = gr.DownloadButton("Download JSON", visible=False, elem_id="ins-dl-json")
