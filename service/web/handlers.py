"""The page's and the API's handlers: admission to the model queue, the API endpoint, the page stream.

Both turn our `ServiceError`s into readable messages and log a bug without the article's text.
The pipeline is a seam: `App(..., stream=...)` takes another `pipeline.stream` (a test's fake).
"""

from __future__ import annotations

import logging
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from typing import Any

import gradio as gr

from .. import choices, pipeline
from ..config import Settings
from ..errors import InputError, ServiceError
from ..pipeline import check_text_size
from ..types import ArticleReady, Done, Event, Options, ParagraphReady, Progress, TitleReady
from .constants import BUSY_MESSAGE, GENERIC_ERROR, LOGGER_NAME, MODEL_QUEUE
from .downloads import Downloads
from .requests import check_upload, looks_like_url, request_options, source_kwargs
from .view import PageView
from .warmup import ModelWarmup

log = logging.getLogger(LOGGER_NAME)

Streaming = Callable[..., Iterator[Event]]  # `pipeline.stream`'s shape: (**source, options, settings)


def _log_unexpected(where: str, exc: BaseException) -> None:
    """Log a bug without its message: exception messages can quote the article."""
    frames = "".join(traceback.format_tb(exc.__traceback__))
    log.error("unexpected %s in %s; traceback (message omitted):\n%s", type(exc).__name__, where, frames)


try:  # ZeroGPU Spaces: run inference with a GPU attached; elsewhere `spaces` is absent.
    import spaces  # type: ignore[import-not-found]

    gpu: Callable[[Callable[..., Any]], Callable[..., Any]] = spaces.GPU
except ImportError:  # pragma: no cover - depends on the host

    def gpu(fn: Callable[..., Any]) -> Callable[..., Any]:
        return fn


class App:
    """The page's state that outlives one request: settings, warm-up, downloads."""

    def __init__(
        self,
        settings: Settings,
        warmup: ModelWarmup,
        downloads: Downloads,
        *,
        stream: Streaming | None = None,
    ) -> None:
        self.settings = settings
        self.warmup = warmup
        self.downloads = downloads
        self.stream = stream or pipeline.stream
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
            return pipeline.run(source.strip(), options=options, settings=self.settings).to_dict()
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
        """Yield the page's outputs as the pipeline produces them (in `view.PAGE_OUTPUTS` order)."""
        view = PageView(show_original)
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
            yield view.progress(Progress("acquire", 0, 1), is_url=looks_like_url(kwargs))
            for event in self.stream(**kwargs, options=options, settings=self.settings):
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
