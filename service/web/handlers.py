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
from dataclasses import replace
from typing import Any

import gradio as gr

from .. import choices, inputs, pipeline
from ..config import Settings
from ..errors import (
    ExtractionError,
    InputError,
    ModelNotAvailableError,
    ServiceError,
    UnsupportedContentError,
)
from ..fetch.polite import PoliteFetcher
from ..inputs import Item, failure_means_list, looks_like_list_url
from ..pipeline import check_text_size
from ..types import (
    ArticleReady,
    Done,
    Event,
    Options,
    ParagraphReady,
    Progress,
    Result,
    SummaryReady,
    TitleReady,
)
from . import history, render
from .constants import (
    BUSY_MESSAGE,
    GENERIC_ERROR,
    LOGGER_NAME,
    MANY_LINKS_MAX_WAIT,
    MAX_SESSIONS_NOTED,
    MODEL_QUEUE,
)
from .downloads import Downloads, digest_row
from .requests import (
    MAX_LINKS,
    api_links,
    check_upload,
    link_list,
    looks_like_url,
    prefill_url,
    request_options,
    source_kwargs,
)
from .view import (
    CANCELLED_MESSAGE,
    CANCELLED_TITLE,
    SUMMARY_UNAVAILABLE_NOTE,
    UNAVAILABLE_TITLE,
    ListView,
    PageView,
    cleared_page,
    how,
    summary_html,
)
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
        read_links: Callable[..., list[Item]] | None = None,
    ) -> None:
        self.settings = settings
        self.warmup = warmup
        self.downloads = downloads
        self.stream = stream or pipeline.stream
        self.read_links = read_links or inputs.from_feed  # a feed or section page -> its article links
        # Many links at once: one host is asked at most once a DEFAULT_HOST_DELAY, across all
        # readers (robots.txt is batch's business: a reader's own links are like a browser's);
        # a link that would wait more than MANY_LINKS_MAX_WAIT for its host fails at once.
        self.polite = PoliteFetcher(respect_robots=False, max_wait=MANY_LINKS_MAX_WAIT)
        self.blocks: gr.Blocks | None = None
        # Gradio runs validators concurrently and queues an event only after its validator
        # returns, so the queue length alone lets a burst through. Admissions are counted
        # under a lock until Gradio has recorded them (see `_unrecorded`).
        self._admit_lock = threading.Lock()
        self._admitted = 0
        self._last_admitted = 0.0
        self._runs: dict[str, threading.Event] = {}  # session -> its running page request's cancel flag
        self._cleared: set[int] = set()  # ids of the flags set by Clear (their run ends on an empty page)
        self._runs_lock = threading.Lock()
        self._last_read: dict[str, tuple[str, Result]] = {}  # session -> the link its last run read
        self.seconds_per_sentence: float | None = None  # measured on the last translation

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

    def translate_many(
        self,
        links: str,
        summary_length: str = choices.DEFAULT_SUMMARY_LENGTH,
        summary_method: str = "",
        bullets: bool = False,
        translation_model: str = "",
    ) -> list[dict[str, Any]]:
        """Translate and summarise several Indonesian news articles, one after another.

        Args:
            links: the articles' URLs (http or https), one a line; at most 20. One RSS/Atom
                feed or section page of an outlet stands for the (first 20) articles it links to.
            summary_length: short, medium or long.
            summary_method: abstractive, extractive or instruct (when enabled); empty for the
                server's default.
            bullets: the summaries as key points.
            translation_model: one of the server's translation models; empty for its default.
        Returns:
            One row per link, in order (the rows of `python -m service batch` and of the page's
            JSONL download): the article's JSON object plus id, input, status ("ok" or "error")
            and error; a link that failed has only id, input, status and error.
        """
        try:
            check_text_size(links, self.settings)
            urls = api_links(links)
            options = request_options(
                self.settings,
                summary_length=summary_length,
                summary_method=summary_method,
                bullets=bullets,
                translation_model=translation_model,
            )
        except ServiceError as exc:
            raise gr.Error(str(exc), print_exception=False) from None
        if len(urls) == 1 and looks_like_list_url(urls[0]):
            found = self._listing(urls[0])
            if found:
                return self._many_rows(found[:MAX_LINKS], options, expand=False)
            return self._many_rows(urls, options, expand=False)  # its listing failed: not read twice
        return self._many_rows(urls, options, expand=len(urls) == 1)

    def _many_rows(self, urls: list[str], options: Options, *, expand: bool) -> list[dict[str, Any]]:
        """`translate_many`'s rows; `expand`: one link that is no article may stand for its links."""
        rows = []
        for url in urls:
            try:
                done = None
                for event in self.stream(
                    url, options=options, settings=self.settings, fetcher=self.polite, **self._seams(options)
                ):
                    if isinstance(event, Done):
                        done = event.result
                rows.append(digest_row(url, done, None if done else GENERIC_ERROR))
            except ServiceError as exc:
                found = self._listing(url) if expand and failure_means_list(exc, url) else []
                if found:  # one section page: its articles' rows instead (one level only)
                    return self._many_rows(found[:MAX_LINKS], options, expand=False)
                rows.append(digest_row(url, None, str(exc)))
            except Exception as exc:  # noqa: BLE001 - a bug on one link: a generic message, logged
                _log_unexpected("translate_many", exc)
                rows.append(digest_row(url, None, GENERIC_ERROR))
        return rows

    # ---- the page

    def stream_page(
        self,
        source: str | None,
        upload: str | None,
        summary_length: str,
        style: str,
        summary_method: str,
        translation_model: str,
        bilingual: bool,
        request: gr.Request | None = None,
    ) -> Iterator[tuple[Any, ...]]:
        """Yield the page's outputs as the pipeline produces them (in `view.PAGE_OUTPUTS` order)."""
        flag = self._begin(request)
        view = PageView(bullets=(style == "bullets"), seconds_per_sentence=self.seconds_per_sentence)
        yield view.start()
        try:
            check_text_size(source, self.settings)
            check_upload(upload, self.settings)
            links = None if upload else link_list(source)
            kwargs = source_kwargs(source, upload)
            options = request_options(
                self.settings,
                summary_length=summary_length,
                summary_method=summary_method,
                bullets=(style == "bullets"),
                translation_model=translation_model,
            )
            options, summary_note = self._usable_summary(options)
            if links is not None:
                yield from self._stream_many(links, options, bool(bilingual), flag)
                return
            page_url = _single_url(kwargs)
            listed = bool(page_url and looks_like_list_url(page_url))  # a feed, an outlet's section page
            if listed and page_url:
                yield view.progress(Progress("acquire", 0, 1), is_url=True)  # "Fetching the page…"
                found = self._listing(page_url)
                if found:
                    yield from self._stream_many(found[:MAX_LINKS], options, bool(bilingual), flag,
                                                 origin=page_url, found=len(found))
                    return
            seams = self._seams(options)
            yield view.progress(Progress("acquire", 0, 1), is_url=looks_like_url(kwargs))
            events = self.stream(**kwargs, options=options, settings=self.settings, cancel=flag, **seams)
            try:
                for event in events:
                    if isinstance(event, Progress):
                        yield view.progress(event)
                    elif isinstance(event, ArticleReady):
                        yield view.article_ready(event.article, self._translator_note(options))
                    elif isinstance(event, TitleReady):
                        yield view.title_ready(event.title_en)
                    elif isinstance(event, ParagraphReady):
                        yield view.paragraph_ready(event.index, event.english)
                    elif isinstance(event, SummaryReady):
                        yield view.summary_ready(event.summary, event.provisional, summary_note)
                    elif isinstance(event, Done):
                        self._measure(event.result)
                        if page_url:
                            self._note_read(request, page_url, event.result)
                        files = self.downloads.write(event.result, bilingual=bool(bilingual))
                        yield view.done(event.result, files, summary_note)
                        return
            except (UnsupportedContentError, ExtractionError) as exc:
                # Not an article: a feed, or an outlet's section or front page, is read as its links.
                expand = page_url and not listed and view.article is None and failure_means_list(exc, page_url)
                found = self._listing(page_url) if expand and page_url else []
                if not found:
                    raise
                yield from self._stream_many(found[:MAX_LINKS], options, bool(bilingual), flag,
                                             origin=page_url or "", found=len(found))
                return
            except ModelNotAvailableError as exc:
                if view.article is None:
                    raise
                self.warmup.failed(
                    options.translation_model or "",
                    f"Translation model {options.translation_model} could not be loaded: {exc}",
                )
                yield view.original_only(view.article, self.downloads.write_original(view.article, UNAVAILABLE_TITLE))
                return
            # the stream ended without its result: stopped (Cancel or Clear), or (a bug) it just stopped
            yield self._stopped(flag, view.cancelled) if flag.is_set() else view.error(GENERIC_ERROR)
        except ServiceError as exc:
            yield view.error(str(exc))
        except Exception as exc:  # noqa: BLE001 - a bug: a generic message, logged without the article
            _log_unexpected("page", exc)
            yield view.error(GENERIC_ERROR)
        finally:
            self._end(request, flag)

    def _listing(self, url: str) -> list[str]:
        """The article links of the feed or section page at `url`; none when it has none or
        cannot be read that way (the caller then shows its own error). One fetch, spaced like
        the articles' (a sitemap index is not followed here: that is batch's business)."""
        try:
            return [item.value for item in self.read_links(url, self.settings, fetcher=self.polite, max_children=0)]
        except ServiceError:
            return []

    def _stream_many(
        self,
        links: list[str],
        options: Options,
        bilingual: bool,
        flag: threading.Event,
        *,
        origin: str = "",
        found: int = 0,
    ) -> Iterator[tuple[Any, ...]]:
        """Many links, one after another, in this one request (one queue slot)."""
        view = ListView(links, origin=origin, found=found)
        results: list[Result] = []
        seams = self._seams(options)
        for n, link in enumerate(links):
            if flag.is_set():
                break
            yield view.working(n)
            try:
                done = None
                for event in self.stream(
                    link, options=options, settings=self.settings, fetcher=self.polite, cancel=flag, **seams
                ):
                    if isinstance(event, Done):
                        done = event.result
                if done is None:
                    break  # cancelled
                self._measure(done)
                results.append(done)
                yield view.add(done, link)
            except ModelNotAvailableError:
                self.warmup.failed(options.translation_model or "", "Translation model could not be loaded")
                yield view.add_error(link, UNAVAILABLE_TITLE)
                seams = self._seams(options)
            except ServiceError as exc:
                yield view.add_error(link, str(exc))
        if flag.is_set():
            yield self._stopped(flag, view.cancelled)
            return
        yield view.done(self.downloads.write_many(view.entries, bilingual=bilingual) if view.entries else None)

    def _seams(self, options: Options) -> dict[str, Any]:
        """A translation model that failed a moment ago is not tried again per click: the article
        is read, then the stand-in says the model is unavailable (until the retry interval passes)."""
        if self.warmup.unavailable(options.translation_model):
            return {"translator": _Unavailable(options.translation_model or "")}
        return {}

    def _usable_summary(self, options: Options) -> tuple[Options, str | None]:
        """The summary method to use now: extractive, with a note, while the summary model is unavailable."""
        if options.summary_method == "abstractive" and self.warmup.unavailable(self.settings.summary_model):
            return replace(options, summary_method="extractive"), SUMMARY_UNAVAILABLE_NOTE
        return options, None

    def _measure(self, result: Result) -> None:
        """Remember the translation speed (seconds per sentence) for the next request's estimate."""
        sentences = sum(len(p) for p in result.sentences_en)
        seconds = result.timings.get("translate", 0.0)
        if result.translated and not result.cached and sentences and seconds > 0:
            self.seconds_per_sentence = seconds / sentences

    # ---- cancel: the Cancel and Clear buttons stop this session's run

    def _begin(self, request: gr.Request | None) -> threading.Event:
        flag = threading.Event()
        key = _session(request)
        if key:
            with self._runs_lock:
                previous = self._runs.get(key)
                if previous is not None:
                    previous.set()  # a new run in this tab supersedes the old one
                self._runs[key] = flag
        return flag

    def _end(self, request: gr.Request | None, flag: threading.Event) -> None:
        flag.set()  # whatever still runs for this request stops at its next event
        key = _session(request)
        with self._runs_lock:
            if key and self._runs.get(key) is flag:
                del self._runs[key]

    def cancel(self, request: gr.Request | None = None, *, clearing: bool = False) -> bool:
        """Stop this session's run: `pipeline.stream` notices the flag within its poll and ends,
        the work stops at its next step, and the page handler ends on its own, so its queue
        slot frees and the browser sees an ordinary end. (Gradio's `cancels=` would kill the handler's task instead, and a run killed
        that way can stay "pending" in the browser, which then ignores the next Translate.)"""
        key = _session(request)
        with self._runs_lock:
            flag = self._runs.pop(key, None) if key else None
        if flag is not None:
            if clearing:
                self._cleared.add(id(flag))
            flag.set()
        return flag is not None

    def _stopped(self, flag: threading.Event, cancelled: Callable[[], tuple[Any, ...]]) -> tuple[Any, ...]:
        """The last outputs of a stopped run: an empty page after Clear, "Stopped." after Cancel."""
        if id(flag) in self._cleared:
            self._cleared.discard(id(flag))
            return cleared_page()
        return cancelled()

    def cancel_page(self, request: gr.Request | None = None) -> tuple[Any, ...]:
        """The Cancel button: stop, say so, and leave no busy state behind (status, Translate, Cancel)."""
        self.cancel(request)
        return (
            render.notice_status(CANCELLED_MESSAGE, CANCELLED_TITLE),
            gr.update(interactive=True),
            gr.update(visible=False),
        )

    # ---- options that apply at once

    def resummarize(
        self,
        result: Result | None,
        summary_length: str,
        style: str,
        summary_method: str,
        bilingual: bool,
    ) -> Iterator[tuple[Any, ...]]:
        """Summary options changed: a new summary from the translation on the page, never a new
        translation. Yields (status, summary, download_md, download_json, result_state)."""
        if result is None:
            yield gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
            return
        started = time.perf_counter()
        yield render.status("resummarize"), gr.skip(), gr.skip(), gr.skip(), gr.skip()
        try:
            options = request_options(
                self.settings,
                summary_length=summary_length,
                summary_method=summary_method,
                bullets=(style == "bullets"),
                translation_model=result.options.translation_model or "",
            )
            options, note = self._usable_summary(options)
            new = pipeline.summarize_again(result, options, settings=self.settings)
        except ServiceError as exc:
            yield render.error_status(str(exc), "Could not write a new summary."), gr.skip(), gr.skip(), gr.skip(), gr.skip()
            return
        except Exception as exc:  # noqa: BLE001
            _log_unexpected("resummarize", exc)
            yield render.error_status(GENERIC_ERROR, "Could not write a new summary."), gr.skip(), gr.skip(), gr.skip(), gr.skip()
            return
        md, js = self.downloads.write(new, bilingual=bool(bilingual))
        status = render.done_status(
            time.perf_counter() - started, f"New summary; the translation was reused. {how(new)}"
        )
        yield (
            status,
            summary_html(new.summary, new.options.bullets, note=note),
            gr.update(value=md, visible=True),
            gr.update(value=js, visible=True),
            new,
        )

    def rewrite_downloads(self, result: Result | None, bilingual: bool) -> tuple[Any, Any]:
        """The bilingual option changed: the Markdown file again, at once (no model runs)."""
        if result is None:
            return gr.skip(), gr.skip()
        md, js = self.downloads.write(result, bilingual=bool(bilingual))
        return gr.update(value=md, visible=True), gr.update(value=js, visible=True)

    # ---- recent articles (the reader's browser keeps the list; see history.py)

    def remember(self, stored: Any, request: gr.Request | None = None) -> tuple[Any, Any, Any]:
        """After a run: the link this tab's run just read goes first in the reader's list (the
        link the run was given, not what the input box says now; nothing after a failed run)."""
        with self._runs_lock:
            read = self._last_read.pop(_session(request), None)
        link, result = read if read else ("", None)
        return self._recent(history.remember(stored, result, link))

    def _note_read(self, request: gr.Request | None, link: str, result: Result) -> None:
        key = _session(request)
        if not key:
            return
        with self._runs_lock:
            self._last_read.pop(key, None)
            self._last_read[key] = (link, result)
            while len(self._last_read) > MAX_SESSIONS_NOTED:  # tabs that never asked: the oldest go
                self._last_read.pop(next(iter(self._last_read)))

    def recall(self, stored: Any) -> tuple[Any, Any, Any]:
        """On load: the list the browser kept, checked, shown."""
        return self._recent(history.clean_history(stored))

    def forget(self) -> tuple[Any, Any, Any]:
        return self._recent([])

    def reopen(self, url: str | None) -> str | Any:
        """A recent article picked: its link goes into the input (the page then starts it)."""
        return prefill_url(url) or gr.skip()

    @staticmethod
    def _recent(entries: list[dict[str, str]]) -> tuple[Any, Any, Any]:
        shown = bool(entries)
        return (
            entries,
            gr.update(choices=history.choices(entries), value=None, visible=shown),
            gr.update(visible=shown),
        )

    def prefill(self, request: gr.Request | None = None) -> str | Any:
        """`?url=...`: the link goes into the input (the page then starts it); anything else is ignored."""
        params = getattr(request, "query_params", None) or {}
        url = prefill_url(params.get("url") if hasattr(params, "get") else None)
        return url or gr.skip()

    def _translator_note(self, options: Options) -> str:
        state, _ = self.warmup.snapshot().get("Translation model", ("ready", ""))
        if options.translation_model == self.settings.translation_model and state == "loading":
            return (
                "The translation model is still loading (first request after start-up); this takes a minute."
            )
        return ""


def _single_url(kwargs: dict[str, str]) -> str | None:
    """The one web address the reader gave (with https:// when it began with www.), else None."""
    if not looks_like_url(kwargs):
        return None
    url = kwargs["source"].strip()
    return url if url.lower().startswith(("http://", "https://")) else "https://" + url


def _session(request: gr.Request | None) -> str:
    return str(getattr(request, "session_hash", "") or "")


class _Unavailable:
    """A stand-in translator for a model that failed a moment ago: it says so at once."""

    def __init__(self, model_id: str) -> None:
        self.model_id = model_id

    def _fail(self, *_args: Any, **_kwargs: Any) -> Any:
        raise ModelNotAvailableError(f"The translation model {self.model_id!r} is not available right now.")

    translate_sentences = _fail
    translate_paragraphs = _fail
