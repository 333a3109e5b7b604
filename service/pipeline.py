"""The one way through the data: acquire -> translate -> summarise -> one `Result`.

The CLI and the web app only call `run` (blocking, with an optional event callback) or
`stream` (the same, as an iterator of events for a UI that shows paragraphs as they come).
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

from . import acquire as acquire_stage
from . import summarize, translate
from .acquire import check_file_size, check_text_size
from .article import Article
from .cache import ResultCache, cache_key
from .config import Settings
from .errors import InputError
from .segment import split_sentences
from .types import (
    SUMMARY_LENGTHS,
    SUMMARY_METHODS,
    ArticleReady,
    Done,
    Event,
    Options,
    ParagraphReady,
    Progress,
    Result,
    Summarizing,
    Summary,
    SummaryReady,
    SummaryRequest,
    TitleReady,
    Translating,
    Translation,
)

__all__ = [
    "SUMMARY_LENGTHS",
    "SUMMARY_METHODS",
    "ArticleReady",
    "Cancelled",
    "Done",
    "Event",
    "Options",
    "ParagraphReady",
    "Progress",
    "Result",
    "SummaryReady",
    "TitleReady",
    "acquire",
    "check_file_size",
    "check_text_size",
    "run",
    "stream",
    "summarize_again",
    "warm_up",
]


class Cancelled(Exception):
    """Raised inside the work when its consumer has gone (a closed browser tab)."""


def _source_kwargs_count(**kwargs: Any) -> int:
    return sum(v is not None for v in kwargs.values())


def acquire(
    source: str | None = None,
    *,
    url: str | None = None,
    file: str | None = None,
    text: str | None = None,
    settings: Settings,
    fetcher: Callable[..., Any] | None = None,
) -> Article:
    """Turn exactly one of the accepted inputs into a clean article.

    `fetcher` stands in for `fetch.fetch` (same signature), e.g. batch's polite fetcher.
    """
    if _source_kwargs_count(source=source, url=url, file=file, text=text) != 1:
        raise InputError("Give exactly one input: a URL, a file, or the article text.")
    if url is not None:
        return acquire_stage.acquire_url(url, settings, fetcher=fetcher)
    if file is not None:
        return acquire_stage.acquire_file(file, settings)
    if text is not None:
        return acquire_stage.acquire_text(text, settings)
    assert source is not None
    return acquire_stage.acquire(source, settings, fetcher=fetcher)


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
    translator: Translating | None = None,
    summarizer: Summarizing | None = None,
    fetcher: Callable[..., Any] | None = None,
) -> Result:
    """Acquire, translate and summarise one article.

    `cancel`, when set by another thread, stops the work at the next event (between
    batches) with `Cancelled`, so an abandoned request frees the CPU for the next one.
    `translator` / `summarizer` stand in for the configured models (see `types`); results
    made with them are not cached, since the cache is keyed by model ids.
    """
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
    article = acquire(source, url=url, file=file, text=text, settings=settings, fetcher=fetcher)
    timings["acquire"] = time.perf_counter() - t
    emit(ArticleReady(article))

    seams = translator is not None or summarizer is not None
    key, cache = ("", None) if seams else _cache_for(article, opts, settings)
    hit = cache.get(key) if cache else None
    if hit is not None:
        result = _from_cache(hit, article, opts, timings, emit)
        timings["total"] = time.perf_counter() - started
    else:
        result = _translate_and_summarize(
            article, opts, settings, timings, emit, translator, summarizer, provisional=on_event is not None
        )
        timings["total"] = time.perf_counter() - started
        if cache and result.summary.note is None:  # never keep a fallback: the model may come back
            cache.put(key, _cacheable(result))
    emit(Done(result))
    return result


def _translate_and_summarize(
    article: Article,
    opts: Options,
    settings: Settings,
    timings: dict[str, float],
    emit: Callable[[Event], None],
    translator: Translating | None = None,
    summarizer: Summarizing | None = None,
    *,
    provisional: bool = True,
) -> Result:
    t = time.perf_counter()
    translated = article.language != "en"
    if translated:
        if translator is None:
            emit(Progress("models", 0, 1))  # the first request may wait here for seconds
            translator = translate.get_translator(opts.translation_model, settings)
        together = getattr(translator, "translate_article", None)
        if together is not None and article.title:
            # The title rides in the first batch with the first paragraph: one model call
            # before the reader sees both (TitleReady still comes first).
            title_en, translation = together(
                article.title,
                article.paragraphs,
                on_title=lambda en: emit(TitleReady(en)),
                on_paragraph=lambda i, en: emit(ParagraphReady(i, en)),
                on_progress=lambda done, total: emit(Progress("translate", done, total)),
            )
        else:
            title_en = (
                " ".join(translator.translate_sentences(_sentences(article.title))) if article.title else ""
            )
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

    t = time.perf_counter()
    request = _summary_request(article, opts, settings, title_en, translation)
    summary = _summarize(request, settings, emit, summarizer, provisional=provisional)
    timings["summarize"] = time.perf_counter() - t
    return Result(
        article=article,
        title_en=title_en,
        paragraphs_en=translation.paragraphs_en,
        summary=summary,
        translated=translated,
        models={"translation": opts.translation_model if translated else None, "summary": summary.model},
        timings=timings,
        options=opts,
        sentences_src=translation.sentences_src,
        sentences_en=translation.sentences_en,
    )


def _summary_request(
    article: Article,
    opts: Options,
    settings: Settings,
    title_en: str,
    translation: Translation,
) -> SummaryRequest:
    return SummaryRequest(
        title_en=title_en,
        paragraphs_en=translation.paragraphs_en,
        sentences_src=translation.sentences_src,
        sentences_en=translation.sentences_en,
        source_text=article.text,
        source_language=article.language,
        method=opts.summary_method or settings.summary_method,
        length=opts.summary_length,
        bullets=opts.bullets,
        model_id=opts.summary_model,
        headings=article.headings,
    )


def _summarize(
    request: SummaryRequest,
    settings: Settings,
    emit: Callable[[Event], None],
    summarizer: Summarizing | None,
    *,
    provisional: bool = True,
) -> Summary:
    """The summary, with the extractive one sent first (provisional) when a model will write
    the final one: it costs milliseconds and gives the reader something to read meanwhile.
    `provisional=False` when nobody listens to the events (batch, a library call)."""
    write = summarizer or summarize.summarize
    emit(Progress("summarize", 0, 1))
    if provisional and request.method != "extractive":
        emit(
            SummaryReady(
                summarize.summarize(replace(request, method="extractive"), settings), provisional=True
            )
        )
    summary = write(
        request, settings, on_progress=lambda done, total: emit(Progress("summarize", done, total))
    )
    emit(SummaryReady(summary))
    return summary


def summarize_again(
    result: Result,
    options: Options,
    *,
    settings: Settings | None = None,
    on_event: Callable[[Event], None] | None = None,
    summarizer: Summarizing | None = None,
) -> Result:
    """`result` with a new summary for other summary options, from its translation as it is.

    A reader who changes the summary's length, method or bullets waits only for the summary,
    never for the article to be translated again. The translation model stays the one
    `result` was made with.
    """
    settings = settings or Settings.from_env()
    opts = replace(options, translation_model=result.options.translation_model).validated(settings)
    sink = on_event or (lambda event: None)
    translation = Translation(result.sentences_src, result.sentences_en, result.paragraphs_en)
    if not result.sentences_en:  # a Result made without its alignment: one unit per paragraph
        translation = Translation((), tuple((p,) for p in result.paragraphs_en), result.paragraphs_en)
    request = _summary_request(result.article, opts, settings, result.title_en, translation)
    t = time.perf_counter()
    summary = _summarize(request, settings, sink, summarizer, provisional=on_event is not None)
    timings = {**result.timings, "summarize": time.perf_counter() - t}
    models = {**result.models, "summary": summary.model}
    return replace(result, summary=summary, options=opts, timings=timings, models=models, cached=False)


_caches: dict[str, Any] = {}
_caches_lock = threading.Lock()


def _cache_for(article: Article, opts: Options, settings: Settings) -> tuple[str, Any]:
    """The key of this request and the (shared) cache for these settings, or ("", None) when off."""
    if not settings.cache_enabled:
        return "", None
    # Everything that changes the output is part of the key: text, models, engine, options.
    models = {
        "translation": opts.translation_model,
        "summary": opts.summary_model or settings.summary_model,
        "instruct": settings.instruct_model,
        "backend": settings.backend,
        "device": settings.device,
        "beams": settings.num_beams,
    }
    # The subheadings count as text: an extractive summary never quotes one (since 2026-12).
    key = cache_key(f"{article.title}\n\n{article.text}\n\n{list(article.headings)}", models, replace(opts))
    path = str(settings.cache_dir)
    with _caches_lock:
        cache = _caches.get(path)
        if cache is None:
            cache = _caches[path] = ResultCache(settings)
    return key, cache


def _cacheable(result: Result) -> dict[str, Any]:
    s = result.summary
    return {
        "title_en": result.title_en,
        "paragraphs_en": list(result.paragraphs_en),
        "translated": result.translated,
        "models": dict(result.models),
        "summary": {
            "text": s.text,
            "points": list(s.points),
            "method": s.method,
            "model": s.model,
            "anchors": [list(a) for a in s.anchors],
        },
        "sentences_src": [list(p) for p in result.sentences_src],
        "sentences_en": [list(p) for p in result.sentences_en],
    }


def _from_cache(
    hit: dict[str, Any],
    article: Article,
    opts: Options,
    timings: dict[str, float],
    emit: Callable[[Event], None],
) -> Result:
    paragraphs_en = tuple(hit["paragraphs_en"])
    emit(TitleReady(hit["title_en"]))
    for i, paragraph in enumerate(paragraphs_en):
        emit(ParagraphReady(i, paragraph))
    s = hit["summary"]
    summary = Summary(
        text=s["text"],
        points=tuple(s["points"]),
        method=s["method"],
        model=s["model"],
        anchors=tuple((int(p), int(i)) for p, i in s.get("anchors", ())),
    )
    emit(SummaryReady(summary))
    timings.update(translate=0.0, summarize=0.0)
    return Result(
        article=article,
        title_en=hit["title_en"],
        paragraphs_en=paragraphs_en,
        summary=summary,
        sentences_src=tuple(tuple(p) for p in hit.get("sentences_src", ())),
        sentences_en=tuple(tuple(p) for p in hit.get("sentences_en", ())),
        translated=bool(hit["translated"]),
        models=dict(hit["models"]),
        timings=timings,
        options=opts,
        cached=True,
    )


def _sentences(text: str) -> list[str]:
    return split_sentences(text) or [text]


WARM_UP_KINDS = ("translation", "summary", "instruct")


def warm_up(kind: str, settings: Settings) -> None:
    """Load (once) the model `run` will use for `kind`, so a first request need not wait for it.

    "translation": settings.translation_model; "summary": settings.summary_model, as the
    abstractive method loads it; "instruct": settings.instruct_model, as the instruct method
    loads it (a chat or a flan-t5 model). Raises what loading raises.
    """
    if kind == "translation":
        # One short sentence through it too: the first call pays for the engine's buffers
        # and caches, and the first reader should not.
        translate.get_translator(settings.translation_model, settings).translate_sentences(["Selamat pagi."])
    elif kind == "summary":
        summarize.load_model(settings.summary_model, "abstractive", settings)
    elif kind == "instruct":
        summarize.load_model(settings.instruct_model, "instruct", settings)
    else:
        raise ValueError(f"Unknown model kind {kind!r}; choose one of {', '.join(WARM_UP_KINDS)}.")


_END = object()
STREAM_POLL = 0.2  # seconds: how soon `stream` notices its caller's cancel flag


def stream(
    source: str | None = None, *, cancel: threading.Event | None = None, **run_kwargs: Any
) -> Iterator[Event]:
    """`run(source, **run_kwargs)` as an iterator of events; errors are raised from the iterator.

    It takes `run`'s arguments (the input, options, settings, the model seams) except
    `on_event`, which it supplies. The work runs in a thread so a UI can show each paragraph
    as soon as it is ready. `cancel` is the caller's stop flag: once it is set the iterator
    ends within STREAM_POLL seconds, without waiting for the model's current step, and the
    work stops at its next step in the background. Closing the iterator early (the consumer
    went away) stops the work too. The caller's flag is only read, never set.
    """
    if "on_event" in run_kwargs:
        raise TypeError("stream() supplies on_event itself")
    if cancel is not None and cancel.is_set():
        return  # stopped before it began: no fetch, no work
    events: queue.Queue[object] = queue.Queue()
    stop = threading.Event()  # the work's own flag: set when this iterator ends, however it ends

    def work() -> None:
        try:
            run(source, on_event=events.put, cancel=stop, **run_kwargs)
        except BaseException as exc:  # handed to the consumer, who re-raises it
            events.put(exc)
        finally:
            events.put(_END)

    worker = threading.Thread(target=work, name="pipeline", daemon=True)
    worker.start()
    try:
        while True:
            try:
                item = events.get(timeout=STREAM_POLL)
            except queue.Empty:
                if cancel is not None and cancel.is_set():
                    return
                continue
            if item is _END or (cancel is not None and cancel.is_set()):
                break
            if isinstance(item, BaseException):
                worker.join()
                raise item
            yield item  # type: ignore[misc]
    finally:
        stop.set()  # no-op when the work already ended
    if cancel is None or not cancel.is_set():
        worker.join()
