"""The web app: a Gradio page and a named API endpoint over `pipeline.stream` / `pipeline.run`.

`build()` returns the Blocks; `launch()` starts it with the theme and CSS (Gradio 6 takes those
in `launch()`, not `Blocks()`). The page streams the translation paragraph by paragraph; the
`translate_article` API endpoint returns the same JSON object as `python -m service run
--format json`. Both run on one model queue (`settings.concurrency` at a time, at most
`settings.queue_size` waiting), and both turn our `ServiceError`s into readable messages.

Only app.py imports this module: `import service` stays free of gradio.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import gradio as gr

from . import choices, present, web_render
from .config import Settings
from .errors import InputError, InputTooLargeError, ServiceError
from .pipeline import (
    ArticleReady,
    Done,
    Options,
    ParagraphReady,
    Progress,
    Result,
    TitleReady,
)

log = logging.getLogger("service.web")

ASSETS = Path(__file__).with_name("web_assets")
BUSY_MESSAGE = "The service is busy; please try again in a minute."
GENERIC_ERROR = (
    "Something went wrong on our side while processing this article. "
    "Please try again; if it keeps happening, try another article or paste its text."
)
EMPTY_MESSAGE = "Paste an article's URL or its text, or upload a saved page (.html or .txt)."
BOTH_MESSAGE = "Give one article at a time: clear the text box or remove the uploaded file."
MODEL_QUEUE = "model"  # the concurrency id every model-backed event shares

EXAMPLE_TEXT = (
    "Pemerintah Kota Bogor Resmikan Taman Baca di Pasar Tradisional\n\n"
    "Pemerintah Kota Bogor meresmikan sebuah taman baca di lantai dua Pasar Kebon Kembang pada Sabtu pagi. "
    "Taman baca itu menyediakan sekitar seribu buku untuk anak-anak para pedagang.\n\n"
    "Wali kota mengatakan bahwa banyak anak menghabiskan waktu di pasar setelah pulang sekolah. "
    '"Kami ingin mereka punya tempat yang nyaman untuk membaca dan belajar," katanya.\n\n'
    "Taman baca dibuka setiap hari mulai pukul 13.00 hingga 17.00 WIB. "
    "Relawan dari beberapa kampus akan bergantian menemani anak-anak membaca."
)
EXAMPLE_URLS = (
    (
        "https://nasional.kompas.com/read/2016/02/16/14382361/"
        "Menteri.Yuddy.Ancam.PNS.yang.Rankingnya.Terendah.Akan.Dipangkas."
    ),
    "https://tekno.liputan6.com/read/2436773/tri-indonesia-broadband-dorong-ekosistem-digital-dalam-negeri",
    "https://gaya.tempo.co/read/news/2015/11/05/060716092/ini-7-alasan-mengapa-orang-malas-bergerak",
)

METHOD_LABELS = choices.SUMMARY_METHODS
LENGTH_LABELS = {name: length.label for name, length in choices.SUMMARY_LENGTHS.items()}


# --------------------------------------------------------------------------- settings helpers


def instruct_enabled(settings: Settings) -> bool:
    """Offer the instruct method only when an instruct model was chosen on purpose (see Settings)."""
    return settings.instruct_enabled or settings.summary_method == "instruct"


def summary_methods(settings: Settings) -> list[str]:
    return [m for m in choices.SUMMARY_METHODS if m != "instruct" or instruct_enabled(settings)]


def request_options(
    settings: Settings,
    *,
    summary_length: str = choices.DEFAULT_SUMMARY_LENGTH,
    summary_method: str = "",
    bullets: bool = False,
    translation_model: str = "",
) -> Options:
    """Per-request choices, checked (by `Options.validated`) against what this server offers."""
    return Options(
        translation_model=translation_model or None,
        summary_method=summary_method or None,
        summary_length=summary_length,
        bullets=bool(bullets),
    ).validated(
        settings, offered_methods=summary_methods(settings), offered_models=settings.translation_models
    )


def check_text_size(source: str | None, settings: Settings) -> None:
    """Refuse oversized input before it reaches the queue (the API takes any length)."""
    if source and len(source) > settings.max_text_chars:
        raise InputTooLargeError(
            f"The text is too long ({len(source):,} characters; the limit is {settings.max_text_chars:,}). "
            "Paste only the article itself."
        )


def check_upload(path: str | None, settings: Settings) -> None:
    if path and os.path.getsize(path) > settings.max_upload_bytes:
        raise InputTooLargeError(
            f"The file is too large ({os.path.getsize(path) / 1e6:.1f} MB; the limit is "
            f"{settings.max_upload_bytes / 1e6:.1f} MB). Save only the article page."
        )


def source_kwargs(source: str | None, upload: str | None) -> dict[str, str]:
    """The one input the page was given, as keyword arguments for the pipeline."""
    text = (source or "").strip()
    if upload and text:
        raise InputError(BOTH_MESSAGE)
    if upload:
        return {"file": upload}
    if not text:
        raise InputError(EMPTY_MESSAGE)
    return {"source": text}


# --------------------------------------------------------------------------- model warm-up


class ModelWarmup:
    """Loads the configured models once, in a background thread, and says how far it got."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self.states: dict[str, tuple[str, str]] = {
            "Translation model": ("loading", settings.translation_model),
            "Summary model": ("loading", settings.summary_model),
        }
        if instruct_enabled(settings):
            self.states["Instruct model"] = ("loading", settings.instruct_model)
        self.thread: threading.Thread | None = None

    def start(self) -> ModelWarmup:
        if self.thread is None:
            self.thread = threading.Thread(target=self._run, name="model-warmup", daemon=True)
            self.thread.start()
        return self

    def defer(self) -> None:
        """No background loading: each model loads on its first request."""
        with self._lock:
            self.states = {name: ("lazy", detail) for name, (_, detail) in self.states.items()}

    def _set(self, name: str, state: str, detail: str) -> None:
        with self._lock:
            self.states[name] = (state, detail)

    def _load(self, name: str, model_id: str, loader: Callable[[], Any]) -> None:
        try:
            loader()
        except ServiceError as exc:
            log.warning("%s %s could not be loaded: %s", name, model_id, exc)
            self._set(name, "failed", str(exc))
        except Exception as exc:  # noqa: BLE001 - a broken model folder raises anything; keep serving
            log.error("%s %s could not be loaded (%s)", name, model_id, type(exc).__name__)
            self._set(name, "failed", f"{model_id}: {type(exc).__name__}")
        else:
            log.info("%s ready: %s", name, model_id)
            self._set(name, "ready", model_id)

    def _run(self) -> None:
        from . import models, translate

        s = self.settings
        self._load(
            "Translation model", s.translation_model, lambda: translate.get_translator(s.translation_model, s)
        )
        self._load("Summary model", s.summary_model, lambda: models.load(s.summary_model, models.SEQ2SEQ, s))
        if "Instruct model" in self.states:
            from . import summarize

            # An instruct model may be a chat (causal) or a flan-t5 (seq2seq) model: let summarize decide.
            self._load(
                "Instruct model",
                s.instruct_model,
                lambda: summarize.load_model(s.instruct_model, "instruct", s),
            )

    def snapshot(self) -> dict[str, tuple[str, str]]:
        with self._lock:
            return dict(self.states)

    @property
    def settled(self) -> bool:
        return all(state != "loading" for state, _ in self.snapshot().values())

    def html(self) -> str:
        return web_render.models_line(self.snapshot())


# --------------------------------------------------------------------------- downloads


class Downloads:
    """Result files for the download buttons, one folder per request, pruned after an hour."""

    def __init__(self, root: Path | None = None, keep_seconds: float = 3600.0) -> None:
        self.root = root or Path(tempfile.mkdtemp(prefix="service-web-"))
        self.root.mkdir(parents=True, exist_ok=True)
        self.keep_seconds = keep_seconds

    def write(self, result: Result) -> tuple[str, str]:
        self._prune()
        folder = Path(tempfile.mkdtemp(dir=self.root))
        stem = _slug(result.title_en or result.article.title) or "article"
        md = folder / f"{stem}.md"
        js = folder / f"{stem}.json"
        md.write_text(present.to_markdown(result), encoding="utf-8")
        js.write_text(present.to_json(result) + "\n", encoding="utf-8")
        return str(md), str(js)

    def _prune(self) -> None:
        cutoff = time.time() - self.keep_seconds
        for child in self.root.iterdir():
            try:
                if child.stat().st_mtime < cutoff:
                    shutil.rmtree(child, ignore_errors=True)
            except OSError:
                pass


def _slug(text: str, limit: int = 60) -> str:
    words = re.findall(r"[A-Za-z0-9]+", text.lower())
    return "-".join(words)[:limit].strip("-")


# --------------------------------------------------------------------------- handlers


def _log_unexpected(where: str, exc: BaseException) -> None:
    """Log a bug without its message: exception messages can quote the article."""
    frames = "".join(traceback.format_tb(exc.__traceback__))
    log.error("unexpected %s in %s; traceback (message omitted):\n%s", type(exc).__name__, where, frames)


try:  # ZeroGPU Spaces: run inference with a GPU attached; elsewhere `spaces` is absent.
    import spaces  # type: ignore[import-not-found]

    _gpu: Callable[[Callable[..., Any]], Callable[..., Any]] = spaces.GPU
except ImportError:  # pragma: no cover - depends on the host

    def _gpu(fn: Callable[..., Any]) -> Callable[..., Any]:
        return fn


class App:
    """The page's state that outlives one request: settings, warm-up, downloads."""

    def __init__(self, settings: Settings, warmup: ModelWarmup, downloads: Downloads) -> None:
        self.settings = settings
        self.warmup = warmup
        self.downloads = downloads
        self.blocks: gr.Blocks | None = None
        # Gradio runs validators concurrently and queues an event only after its validator
        # returns, so the queue length alone lets a burst through. Admissions are counted
        # under a lock until Gradio has recorded them (see `_unrecorded`).
        self._admit_lock = threading.Lock()
        self._admitted = 0
        self._last_admitted = 0.0

    # ---- admission (runs before an event enters the queue)

    def waiting(self) -> int:
        """Events waiting (not running) on the model queue; 0 when Gradio's internals differ."""
        queue = getattr(self.blocks, "_queue", None)
        try:
            event_queue = queue.event_queue_per_concurrency_id.get(MODEL_QUEUE)  # type: ignore[union-attr]
            return len(event_queue.queue) if event_queue is not None else 0
        except AttributeError:
            return 0

    def _unrecorded(self) -> int:
        """Events admitted by the validator that Gradio has not put in its queue yet.

        Every queued event here passes a validator, so Gradio's count of recorded events
        catches up with ours within milliseconds; if it has not after a few seconds (a push
        failed after validation), we trust Gradio's count again rather than shrink for good.
        """
        recorded = getattr(getattr(self.blocks, "_queue", None), "events_recorded", None)
        if not isinstance(recorded, int):
            return 0
        if self._admitted > recorded and time.monotonic() - self._last_admitted > 5.0:
            self._admitted = recorded
        return max(0, self._admitted - recorded)

    def admission_error(self, source: str | None) -> str | None:
        try:
            check_text_size(source, self.settings)
        except ServiceError as exc:
            return str(exc)
        with self._admit_lock:
            if self.waiting() + self._unrecorded() >= self.settings.queue_size:
                return BUSY_MESSAGE
            self._admitted += 1
            self._last_admitted = time.monotonic()
        return None

    def validator(self, n_inputs: int) -> Callable[..., list[Any]]:
        """Gradio runs this before queueing an event; a refusal shows on the first input (the source)."""

        def validate(source: str | None, *_rest: Any) -> list[Any]:
            message = self.admission_error(source)
            return [gr.validate(message is None, message or "")] + [None] * (n_inputs - 1)

        return validate

    # ---- the API endpoint

    def translate_article(
        self,
        source: str,
        summary_length: str = choices.DEFAULT_SUMMARY_LENGTH,
        summary_method: str = "",
        bullets: bool = False,
        translation_model: str = "",
    ) -> dict[str, Any]:
        """Translate and summarise one Indonesian news article.

        Args:
            source: the article's URL (http or https) or its full text.
            summary_length: short, medium or long.
            summary_method: abstractive, extractive or instruct (when enabled); empty for the
                server's default.
            bullets: the summary as key points.
            translation_model: one of the server's translation models; empty for its default.
        Returns:
            The same JSON object as `python -m service run --format json`.
        """
        from .pipeline import run

        try:
            check_text_size(source, self.settings)
            options = request_options(
                self.settings,
                summary_length=summary_length,
                summary_method=summary_method,
                bullets=bullets,
                translation_model=translation_model,
            )
            if not (source or "").strip():
                raise InputError("Give the article's URL or its text as `source`.")
            return run(source.strip(), options=options, settings=self.settings).to_dict()
        except ServiceError as exc:
            raise gr.Error(str(exc), print_exception=False) from None
        except Exception as exc:  # noqa: BLE001 - a bug: a generic message, logged without the article
            _log_unexpected("translate_article", exc)
            raise gr.Error(GENERIC_ERROR, print_exception=False) from None

    # ---- the page

    def stream_page(
        self,
        source: str | None,
        upload: str | None,
        summary_length: str,
        style: str,
        summary_method: str,
        translation_model: str,
        show_original: bool,
    ) -> Iterator[tuple[Any, ...]]:
        """Yield the page's outputs as the pipeline produces them (see `OUTPUTS` order)."""
        view = _PageView(show_original)
        yield view.start()
        try:
            check_text_size(source, self.settings)
            check_upload(upload, self.settings)
            kwargs = source_kwargs(source, upload)
            options = request_options(
                self.settings,
                summary_length=summary_length,
                summary_method=summary_method,
                bullets=(style == "bullets"),
                translation_model=translation_model,
            )
            yield view.progress(Progress("acquire", 0, 1), is_url=_looks_like_url(kwargs))
            for event in _stream(kwargs, options, self.settings):
                if isinstance(event, Progress):
                    yield view.progress(event)
                elif isinstance(event, ArticleReady):
                    yield view.article_ready(event.article, self._translator_note(options))
                elif isinstance(event, TitleReady):
                    yield view.title_ready(event.title_en)
                elif isinstance(event, ParagraphReady):
                    yield view.paragraph_ready(event.index, event.english)
                elif isinstance(event, Done):
                    yield view.done(event.result, self.downloads.write(event.result))
        except ServiceError as exc:
            yield view.error(str(exc))
        except Exception as exc:  # noqa: BLE001 - a bug: a generic message, logged without the article
            _log_unexpected("page", exc)
            yield view.error(GENERIC_ERROR)

    def _translator_note(self, options: Options) -> str:
        state, _ = self.warmup.snapshot().get("Translation model", ("ready", ""))
        if options.translation_model == self.settings.translation_model and state == "loading":
            return (
                "The translation model is still loading (first request after start-up); this takes a minute."
            )
        return ""


def _stream(kwargs: dict[str, str], options: Options, settings: Settings) -> Iterator[Any]:
    from .pipeline import stream

    return stream(**kwargs, options=options, settings=settings)


def _looks_like_url(kwargs: dict[str, str]) -> bool:
    src = kwargs.get("source", "")
    return bool(re.match(r"^\s*(https?://|www\.)\S+\s*$", src, re.IGNORECASE))


PAGE_OUTPUTS = (
    "status",
    "header",
    "summary",
    "translation",
    "side_by_side",
    "results",
    "download_md",
    "download_json",
)


class _PageView:
    """What the page shows so far; each method returns one update for every output (PAGE_OUTPUTS order)."""

    def __init__(self, show_original: bool) -> None:
        self.show_original = show_original
        self.article: Any = None
        self.title_en: str | None = None
        self.english: list[str | None] = []
        self.meta = ""
        self.started = time.perf_counter()
        self.status = web_render.idle_status()
        self.note = ""

    def _out(
        self,
        *,
        summary: Any = None,
        downloads: tuple[Any, Any] | None = None,
        results_visible: bool = True,
    ) -> tuple[Any, ...]:
        header = ""
        sbs: Any = gr.update(visible=False)
        if self.article is not None:
            translated = self.article.language != "en"
            header = web_render.header(self.article, self.title_en, translated, self.meta)
            if self.show_original and translated:
                sbs = gr.update(
                    value=web_render.side_by_side(
                        self.article.paragraphs, self.english, self.article.language
                    ),
                    visible=True,
                )
        translation = "\n\n".join(p for p in self.english if p is not None)
        md, js = downloads if downloads else (gr.update(visible=False), gr.update(visible=False))
        return (
            self.status,
            header,
            gr.skip() if summary is None else summary,
            translation,
            sbs,
            gr.update(visible=results_visible),
            md,
            js,
        )

    def start(self) -> tuple[Any, ...]:
        self.status = web_render.status("acquire", 0, 1)
        return self._out(summary="", results_visible=False)

    def progress(self, event: Progress, is_url: bool = False) -> tuple[Any, ...]:
        stage = "fetch" if (event.stage == "acquire" and is_url) else event.stage
        self.status = web_render.status(stage, event.done, event.total, self.note)
        return self._out(results_visible=self.article is not None)

    def article_ready(self, article: Any, note: str) -> tuple[Any, ...]:
        self.article = article
        self.english = [None] * len(article.paragraphs)
        self.note = note
        self.meta = _article_meta(article)
        self.status = web_render.status("translate" if article.language != "en" else "acquire", 0, 0, note)
        return self._out(summary="")

    def title_ready(self, title_en: str) -> tuple[Any, ...]:
        self.title_en = title_en
        self.note = ""
        return self._out()

    def paragraph_ready(self, index: int, english: str) -> tuple[Any, ...]:
        while len(self.english) <= index:
            self.english.append(None)
        self.english[index] = english
        return self._out()

    def done(self, result: Result, files: tuple[str, str]) -> tuple[Any, ...]:
        self.article = result.article
        self.title_en = result.title_en
        self.english = list(result.paragraphs_en)
        self.meta = present.metadata_line(result)
        self.status = web_render.done_status(
            time.perf_counter() - self.started, _how(result), result.summary.note or ""
        )
        md, js = files
        return self._out(
            summary=present.summary_block(result),
            downloads=(gr.update(value=md, visible=True), gr.update(value=js, visible=True)),
        )

    def error(self, message: str) -> tuple[Any, ...]:
        title = (
            "Could not finish this article." if self.article is not None else "Could not read this article."
        )
        self.status = web_render.error_status(message, title)
        return self._out(results_visible=self.article is not None)


def _how(result: Result) -> str:
    """Which models did the work, in a few words, so a reader knows what to trust."""
    parts = []
    if result.translated and result.models.get("translation"):
        parts.append(f"Translated by {_model_name(result.models['translation'])}")
    summary = f"{result.summary.method} summary"
    if result.models.get("summary"):
        summary += f" by {_model_name(result.models['summary'])}"
    parts.append(summary)
    return "; ".join(parts) + "."


def _model_name(model_id: str) -> str:
    return model_id.rstrip("/").rsplit("/", 1)[-1] if os.path.isabs(model_id) else model_id


def _article_meta(article: Any) -> str:
    """The metadata line before a Result exists (present.metadata_line needs one)."""
    from types import SimpleNamespace

    return present.metadata_line(SimpleNamespace(article=article))  # type: ignore[arg-type]


# --------------------------------------------------------------------------- the Blocks


def build(settings: Settings | None = None, *, warm_up: bool = True) -> gr.Blocks:
    """The page and the API; starts loading the models in the background unless told not to."""
    settings = settings or Settings.from_env()
    warmup = ModelWarmup(settings)
    app = App(settings, warmup, Downloads())
    methods = summary_methods(settings)
    default_method = settings.summary_method if settings.summary_method in methods else methods[0]

    with gr.Blocks(title="Indonesian news in English", fill_width=False) as demo:
        app.blocks = demo
        with gr.Column(elem_id="ins-page"):
            gr.HTML(
                '<div class="ins-intro"><h1>Indonesian news in English</h1>'
                "<p>Paste a link to an Indonesian news article, or the article's text, and read it in "
                "English: a short summary, the full translation, and the original side by side. "
                "Translations are made by a machine and can be wrong: check names and numbers "
                "against the original.</p></div>",
                js_on_load=None,
            )
            models_status = gr.HTML(warmup.html(), elem_id="ins-models", js_on_load=None)
            with gr.Row(equal_height=True, elem_id="ins-inputs"):
                source = gr.Textbox(
                    label="Article URL or text",
                    placeholder="https://… or paste the article's text",
                    lines=4,
                    max_lines=12,
                    scale=3,
                    min_width=240,
                    elem_id="ins-source",
                )
                upload = gr.File(
                    label="Or a saved page (.html, .txt)",
                    file_types=[".html", ".htm", ".txt"],
                    type="filepath",
                    scale=1,
                    min_width=200,
                    height=170,
                    elem_id="ins-upload",
                )
            with gr.Accordion("Options", open=False, elem_id="ins-options"):
                summary_length = gr.Radio(
                    [(label, x) for x, label in LENGTH_LABELS.items()],
                    value=choices.DEFAULT_SUMMARY_LENGTH,
                    label="Summary length",
                )
                style = gr.Radio(
                    [("Prose", "prose"), ("Bullet points", "bullets")], value="prose", label="Summary style"
                )
                summary_method = gr.Radio(
                    [(METHOD_LABELS[m], m) for m in methods], value=default_method, label="Summary method"
                )
                translation_model = gr.Dropdown(
                    list(settings.translation_models),
                    value=settings.translation_model,
                    label="Translation model",
                    allow_custom_value=False,
                )
                show_original = gr.Checkbox(value=True, label="Show the original next to the translation")
            with gr.Row(elem_id="ins-actions"):
                go = gr.Button("Translate", variant="primary", elem_id="ins-go", scale=2)
                clear = gr.Button("Clear", variant="secondary", elem_id="ins-clear", scale=1)
            status = gr.HTML("", elem_id="ins-status", js_on_load=None)
            with gr.Column(visible=False, elem_id="ins-results") as results:
                header = gr.HTML("", elem_id="ins-header", js_on_load=None)
                summary = gr.Textbox(
                    label="Summary (English)",
                    placeholder="The summary appears here once the article is translated.",
                    lines=3,
                    max_lines=20,
                    interactive=False,
                    buttons=["copy"],
                    elem_id="ins-summary",
                )
                translation = gr.Textbox(
                    label="Translation (English)",
                    placeholder="The translation appears here, paragraph by paragraph.",
                    lines=8,
                    max_lines=40,
                    interactive=False,
                    autoscroll=False,
                    buttons=["copy"],
                    elem_id="ins-translation",
                )
                side_by_side = gr.HTML("", visible=False, elem_id="ins-sbs", js_on_load=None)
                with gr.Row(elem_id="ins-downloads"):
                    download_md = gr.DownloadButton("Download Markdown", visible=False, elem_id="ins-dl-md")
                    download_json = gr.DownloadButton("Download JSON", visible=False, elem_id="ins-dl-json")
            gr.Examples(
                examples=[[u] for u in EXAMPLE_URLS] + [[EXAMPLE_TEXT]],
                example_labels=[
                    "Kompas: civil servants' ranking",
                    "Liputan6: broadband ecosystem",
                    "Tempo: why people don't exercise",
                    "A short example text",
                ],
                inputs=[source],
                label="Examples (click one, then Translate)",
                cache_examples=False,
            )
            # The API's inputs: hidden, with the defaults a client gets when it leaves them out.
            with gr.Column(visible=False):
                api_source = gr.Textbox(label="source")
                api_length = gr.Textbox(value=choices.DEFAULT_SUMMARY_LENGTH, label="summary_length")
                api_method = gr.Textbox(value="", label="summary_method")
                api_bullets = gr.Checkbox(value=False, label="bullets")
                api_model = gr.Textbox(value="", label="translation_model")
                api_out = gr.JSON(label="result")

        page_inputs = [
            source,
            upload,
            summary_length,
            style,
            summary_method,
            translation_model,
            show_original,
        ]
        page_outputs = [
            status,
            header,
            summary,
            translation,
            side_by_side,
            results,
            download_md,
            download_json,
        ]

        go.click(
            _gpu(app.stream_page),
            inputs=page_inputs,
            outputs=page_outputs,
            api_visibility="private",
            concurrency_id=MODEL_QUEUE,
            concurrency_limit=settings.concurrency,
            show_progress="minimal",
            show_progress_on=[status],
            validator=app.validator(len(page_inputs)),
        )

        api_inputs = [api_source, api_length, api_method, api_bullets, api_model]
        api_btn = gr.Button(visible=False)
        api_btn.click(
            _gpu(app.translate_article),
            inputs=api_inputs,
            outputs=api_out,
            api_name="translate_article",
            concurrency_id=MODEL_QUEUE,
            concurrency_limit=settings.concurrency,
            validator=app.validator(len(api_inputs)),
        )

        def reset():  # type: ignore[no-untyped-def]
            return ("", None, "", "", "", "", gr.update(visible=False), gr.update(visible=False))

        clear.click(
            reset,
            outputs=[source, upload, status, header, summary, translation, side_by_side, results],
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


def launch_options(settings: Settings | None = None) -> dict[str, Any]:
    """What Gradio 6 takes in `launch()`: theme, CSS and the upload limit."""
    settings = settings or Settings.from_env()
    return {
        # System fonts: nothing to download before the first paint, and native text on phones.
        "theme": gr.themes.Soft(
            primary_hue="blue", neutral_hue="slate", font=("ui-sans-serif", "system-ui", "sans-serif")
        ),
        "css_paths": [ASSETS / "style.css"],
        "max_file_size": settings.max_upload_bytes,
        "footer_links": ["api", "gradio"],
    }


def configure_logging() -> None:
    """Our INFO lines (models ready, errors without article text) on stderr; others at WARNING."""
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("service").setLevel(logging.INFO)


def launch(demo: gr.Blocks | None = None, **overrides: Any) -> None:
    """Serve the app; host and port come from GRADIO_SERVER_NAME / GRADIO_SERVER_PORT."""
    configure_logging()
    demo = demo or build()
    settings = demo.service_app.settings  # type: ignore[attr-defined]
    demo.launch(**{**launch_options(settings), **overrides})
