"""The one way through the data: acquire -> translate -> summarise -> one `Result`.

The CLI and the web app only call `run` (blocking, with an optional event callback) or
`stream` (the same, as an iterator of events for a UI that shows paragraphs as they come).
"""

from __future__ import annotations

import queue
import threading
import time
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Iterator, Union

from . import acquire as acquire_stage
from .article import Article
from .config import Settings
from .errors import InputError

SUMMARY_METHODS = ("abstractive", "extractive", "instruct")
SUMMARY_LENGTHS = ("short", "medium", "long")


@dataclass(frozen=True)
class Options:
    """What a user may choose per request; None means "as the settings say"."""

    translation_model: str | None = None
    summary_model: str | None = None
    summary_method: str | None = None
    summary_length: str = "medium"
    bullets: bool = False

    def validated(self, settings: Settings) -> "Options":
        method = self.summary_method or settings.summary_method
        if method not in SUMMARY_METHODS:
            raise InputError(f"Unknown summary method {method!r}; choose one of {', '.join(SUMMARY_METHODS)}.")
        if self.summary_length not in SUMMARY_LENGTHS:
            raise InputError(
                f"Unknown summary length {self.summary_length!r}; choose one of {', '.join(SUMMARY_LENGTHS)}."
            )
        return replace(
            self,
            translation_model=self.translation_model or settings.translation_model,
            summary_method=method,
        )


# Events, in the order they happen.
@dataclass(frozen=True)
class Progress:
    stage: str  # acquire | translate | summarize
    done: int
    total: int


@dataclass(frozen=True)
class ArticleReady:
    article: Article


@dataclass(frozen=True)
class TitleReady:
    title_en: str


@dataclass(frozen=True)
class ParagraphReady:
    index: int
    english: str


@dataclass(frozen=True)
class Done:
    result: "Result"


Event = Union[Progress, ArticleReady, TitleReady, ParagraphReady, Done]


class Cancelled(Exception):
    """Raised inside the work when its consumer has gone (a closed browser tab)."""


@dataclass(frozen=True)
class Result:
    article: Article
    title_en: str
    paragraphs_en: tuple[str, ...]
    summary: Any  # summarize.Summary
    translated: bool
    models: dict[str, str | None]
    timings: dict[str, float]
    options: Options = field(default_factory=Options)

    @property
    def translation(self) -> str:
        return "\n\n".join(self.paragraphs_en)

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract shared by `run --format json` and the web API."""
        d = self.article.to_dict()
        d.update(
            title_en=self.title_en,
            paragraphs_en=list(self.paragraphs_en),
            translation=self.translation,
            translated=self.translated,
            summary=self.summary.text,
            summary_points=list(self.summary.points),
            summary_method=self.summary.method,
            summary_note=self.summary.note,
            summary_length=self.options.summary_length,
            bullets=self.options.bullets,
            models=dict(self.models),
            timings={k: round(v, 3) for k, v in self.timings.items()},
            word_count=self.article.word_count,
        )
        return d


def _source_kwargs_count(**kwargs: Any) -> int:
    return sum(v is not None for v in kwargs.values())


def acquire(
    source: str | None = None,
    *,
    url: str | None = None,
    file: str | None = None,
    text: str | None = None,
    settings: Settings,
) -> Article:
    """Turn exactly one of the accepted inputs into a clean article."""
    if _source_kwargs_count(source=source, url=url, file=file, text=text) != 1:
        raise InputError("Give exactly one input: a URL, a file, or the article text.")
    if url is not None:
        return acquire_stage.acquire_url(url, settings)
    if file is not None:
        return acquire_stage.acquire_file(file, settings)
    if text is not None:
        return acquire_stage.acquire_text(text, settings)
    assert source is not None
    return acquire_stage.acquire(source, settings)


def run(
    source: str | None = None,
    *,
    url: str | None = None,
    file: str | None = None,
    text: str | None = None,
    options: Options | None = None,
    settings: Settings | None = None,
    on_event: Callable[[Event], None] | None = None,
    cancel: threading.Event | None = None,
) -> Result:
    """Acquire, translate and summarise one article.

    `cancel`, when set by another thread, stops the work at the next event (between
    batches) with `Cancelled`, so an abandoned request frees the CPU for the next one.
    """
    from . import summarize, translate

    settings = settings or Settings.from_env()
    opts = (options or Options()).validated(settings)
    sink = on_event or (lambda event: None)

    def emit(event: Event) -> None:
        if cancel is not None and cancel.is_set():
            raise Cancelled()
        sink(event)
    timings: dict[str, float] = {}
    started = time.perf_counter()

    emit(Progress("acquire", 0, 1))
    t = time.perf_counter()
    article = acquire(source, url=url, file=file, text=text, settings=settings)
    timings["acquire"] = time.perf_counter() - t
    emit(ArticleReady(article))

    t = time.perf_counter()
    translated = article.language != "en"
    if translated:
        translator = translate.get_translator(opts.translation_model, settings)
        title_en = " ".join(translator.translate_sentences(_sentences(article.title))) if article.title else ""
        emit(TitleReady(title_en))
        translation = translator.translate_paragraphs(
            article.paragraphs,
            on_paragraph=lambda i, en: emit(ParagraphReady(i, en)),
            on_progress=lambda done, total: emit(Progress("translate", done, total)),
        )
    else:
        title_en = article.title
        emit(TitleReady(title_en))
        translation = translate.identity_translation(article.paragraphs)
        for i, paragraph in enumerate(translation.paragraphs_en):
            emit(ParagraphReady(i, paragraph))
    timings["translate"] = time.perf_counter() - t

    emit(Progress("summarize", 0, 1))
    t = time.perf_counter()
    summary = summarize.summarize(
        title_en=title_en,
        paragraphs_en=translation.paragraphs_en,
        sentences_src=translation.sentences_src,
        sentences_en=translation.sentences_en,
        source_text=article.text,
        source_language=article.language,
        method=opts.summary_method or settings.summary_method,
        length=opts.summary_length,
        bullets=opts.bullets,
        settings=settings,
        model_id=opts.summary_model,
        on_progress=lambda done, total: emit(Progress("summarize", done, total)),
    )
    timings["summarize"] = time.perf_counter() - t
    timings["total"] = time.perf_counter() - started

    result = Result(
        article=article,
        title_en=title_en,
        paragraphs_en=translation.paragraphs_en,
        summary=summary,
        translated=translated,
        models={"translation": opts.translation_model if translated else None, "summary": summary.model},
        timings=timings,
        options=opts,
    )
    emit(Done(result))
    return result


def _sentences(text: str) -> list[str]:
    from .segment import split_sentences

    return split_sentences(text) or [text]


_END = object()


def stream(
    source: str | None = None,
    *,
    url: str | None = None,
    file: str | None = None,
    text: str | None = None,
    options: Options | None = None,
    settings: Settings | None = None,
) -> Iterator[Event]:
    """`run` as an iterator of events; errors are raised from the iterator.

    The work runs in a thread so a UI can show each paragraph as soon as it is ready.
    Closing the iterator early (the consumer went away) cancels the work.
    """
    events: "queue.Queue[object]" = queue.Queue()
    cancel = threading.Event()

    def work() -> None:
        try:
            run(
                source, url=url, file=file, text=text, options=options, settings=settings,
                on_event=events.put, cancel=cancel,
            )
        except BaseException as exc:  # handed to the consumer, who re-raises it
            events.put(exc)
        finally:
            events.put(_END)

    worker = threading.Thread(target=work, name="pipeline", daemon=True)
    worker.start()
    try:
        while True:
            item = events.get()
            if item is _END:
                break
            if isinstance(item, BaseException):
                worker.join()
                raise item
            yield item  # type: ignore[misc]
    finally:
        cancel.set()  # no-op when the work already ended
    worker.join()
