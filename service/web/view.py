"""What the page shows while articles are processed: one update for every page output.

`PageView` is one article (streamed paragraph by paragraph, the summary on top, the original
beside it on demand); `ListView` is many links at once (one entry per article). Both return
one value per name of `PAGE_OUTPUTS`, in that order.
"""

from __future__ import annotations

import html
import time
from typing import Any

import gradio as gr

from .. import present
from ..article import Article
from ..types import Progress, Result, Summary
from . import render

# The outputs the page's Translate event updates, by name, in the order of each update. The
# layout looks the components up by these names, so the page and its handler share one list.
PAGE_OUTPUTS = (
    "status",
    "header",
    "summary",
    "article",
    "results",
    "download_md",
    "download_json",
    "go",
    "cancel",
    "result_state",
    "download_csv",
    "download_jsonl",
    "copy_summary",
    "copy_translation",
    "show_original",
)

UNAVAILABLE_TITLE = "Translation is not available right now."
UNAVAILABLE_MESSAGE = (
    "Here is the original article, cleaned up, with its downloads; please try the translation again later."
)
SUMMARY_UNAVAILABLE_NOTE = (
    "The summary model is not available right now, so these sentences were picked from the article."
)
CANCELLED_TITLE = "Stopped."
CANCELLED_MESSAGE = "Nothing more will be translated for this request."


def cleared() -> dict[str, Any]:
    """What the Clear button leaves: empty inputs and an empty page, the results hidden."""
    return {
        "source": "",
        "upload": None,
        "status": "",
        "header": "",
        "summary": "",
        "article": "",
        "results": gr.update(visible=False),
        "download_md": gr.update(visible=False),
        "download_json": gr.update(visible=False),
        "go": gr.update(interactive=True),
        "cancel": gr.update(visible=False),
        "result_state": None,
        "download_csv": gr.update(visible=False),
        "download_jsonl": gr.update(visible=False),
        "copy_summary": gr.update(visible=False),
        "copy_translation": gr.update(visible=False),
        "show_original": gr.update(visible=False),
    }


def cleared_page() -> tuple[Any, ...]:
    """`cleared()` as the Translate event's outputs: what a run stopped by Clear leaves."""
    values = cleared()
    return tuple(values[name] for name in PAGE_OUTPUTS)


def reader_note(note: str | None) -> str | None:
    """A summariser's note as readers should read it: no operator instructions."""
    if note and note.startswith("The summary model could not be loaded"):
        return SUMMARY_UNAVAILABLE_NOTE
    return note


def summary_html(summary: Summary, bullets: bool, *, provisional: bool = False, note: str | None = None) -> str:
    return render.summary(
        summary.text,
        summary.points,
        method=summary.method,
        model=summary.model,
        bullets=bullets,
        anchors=summary.anchors,
        provisional=provisional,
        note=reader_note(note if note is not None else summary.note),
    )


_KEEP = object()  # the result state stays as it is
_NO_RESULT = None  # no single result to re-summarise


def _buttons(running: bool) -> tuple[Any, Any]:
    return gr.update(interactive=not running), gr.update(visible=running)


class PageView:
    """What the page shows so far for one article; each method returns one update per output."""

    def __init__(self, bullets: bool = False, seconds_per_sentence: float | None = None) -> None:
        self.bullets = bullets
        self.article: Article | None = None
        self.title_en: str | None = None
        self.english: list[str | None] = []
        self.meta = ""
        self.started = time.perf_counter()
        self.status = render.idle_status()
        self.note = ""
        self.summary_html = ""
        self.has_summary = False  # a summary (provisional or final) to copy, not the "follows" line
        self.untranslated = False  # no translation: nothing to copy or show beside the original
        self.prior_speed = seconds_per_sentence  # seconds per sentence measured on earlier requests
        self._t0: float | None = None  # when translation progress was first reported
        self._d0 = 0

    def _out(
        self,
        *,
        downloads: tuple[Any, Any] | None = None,
        results_visible: bool = True,
        running: bool = True,
        article_html: str | None = None,
        state: Any = _KEEP,
    ) -> tuple[Any, ...]:
        header = ""
        body = ""
        if self.article is not None:
            translated = self.article.language != "en"
            header = render.header(self.article, self.title_en, translated, self.meta)
            body = article_html or render.article(
                self.article.paragraphs, self.english, self.article.language, headings=self.article.headings
            )
        md, js = downloads if downloads else (gr.update(visible=False), gr.update(visible=False))
        go, cancel = _buttons(running)
        # A button for what is on the page: no "Copy summary" before there is one, nothing to
        # copy or show beside the original when only the original is there.
        has_english = self.article is not None and not self.untranslated and any(self.english)
        values = {
            "status": self.status,
            "header": header,
            "summary": self.summary_html,
            "article": body,
            "results": gr.update(visible=results_visible),
            "download_md": md,
            "download_json": js,
            "go": go,
            "cancel": cancel,
            "result_state": gr.skip() if state is _KEEP else state,
            "download_csv": gr.update(visible=False),
            "download_jsonl": gr.update(visible=False),
            "copy_summary": gr.update(visible=self.has_summary),
            "copy_translation": gr.update(visible=has_english),
            "show_original": gr.update(
                visible=has_english and self.article is not None and self.article.language != "en"
            ),
        }
        return tuple(values[name] for name in PAGE_OUTPUTS)

    def start(self) -> tuple[Any, ...]:
        self.status = render.status("acquire", 0, 1)
        return self._out(results_visible=False, state=_NO_RESULT)

    def progress(self, event: Progress, is_url: bool = False) -> tuple[Any, ...]:
        stage = "fetch" if (event.stage == "acquire" and is_url) else event.stage
        eta = ""
        if event.stage == "translate" and event.total:
            eta = render.estimate(event.total - event.done, self._speed(event.done))
        self.status = render.status(stage, event.done, event.total, self.note, eta)
        return self._out(results_visible=self.article is not None)

    def _speed(self, done: int) -> float | None:
        """Seconds per sentence: measured on this article once a batch is done, else the last one's."""
        now = time.perf_counter()
        if self._t0 is None:
            self._t0, self._d0 = now, done
        if done > self._d0:
            return (now - self._t0) / (done - self._d0)
        return self.prior_speed

    def article_ready(self, article: Article, note: str) -> tuple[Any, ...]:
        self.article = article
        self.english = [None] * len(article.paragraphs)
        self.note = note
        self.meta = present.metadata_line(article)
        self.summary_html = render.summary("", (), method="", model=None, bullets=False, pending=True)
        self.has_summary = False
        self.status = render.status("translate" if article.language != "en" else "acquire", 0, 0, note)
        return self._out()

    def title_ready(self, title_en: str) -> tuple[Any, ...]:
        self.title_en = title_en
        self.note = ""
        return self._out()

    def paragraph_ready(self, index: int, english: str) -> tuple[Any, ...]:
        while len(self.english) <= index:
            self.english.append(None)
        self.english[index] = english
        return self._out()

    def summary_ready(self, summary: Summary, provisional: bool, note: str | None = None) -> tuple[Any, ...]:
        self._show_summary(summary, self.bullets, provisional=provisional, note=note)
        return self._out()

    def _show_summary(self, summary: Summary, bullets: bool, *, provisional: bool = False, note: str | None) -> None:
        self.summary_html = summary_html(summary, bullets, provisional=provisional, note=note)
        self.has_summary = bool(summary.text or summary.points)

    def done(self, result: Result, files: tuple[str, str], note: str | None = None) -> tuple[Any, ...]:
        self.article = result.article
        self.title_en = result.title_en
        self.english = list(result.paragraphs_en)
        self.meta = present.metadata_line(result.article)
        self._show_summary(result.summary, result.options.bullets, note=note)
        self.status = render.done_status(time.perf_counter() - self.started, how(result))
        md, js = files
        body = render.article(
            result.article.paragraphs,
            self.english,
            result.article.language,
            sentences_src=result.sentences_src,
            sentences_en=result.sentences_en,
            headings=result.article.headings,
        )
        return self._out(
            downloads=(gr.update(value=md, visible=True), gr.update(value=js, visible=True)),
            running=False,
            article_html=body,
            state=result,
        )

    def original_only(self, article: Article, files: tuple[str, str]) -> tuple[Any, ...]:
        """No translation model: the clean original with its downloads, and one sentence why."""
        self.article = article
        self.title_en = None
        self.meta = present.metadata_line(article)
        self.summary_html = ""
        self.has_summary = False
        self.untranslated = True
        self.status = render.notice_status(UNAVAILABLE_MESSAGE, UNAVAILABLE_TITLE)
        md, js = files
        header = render.header(article, None, False, self.meta)
        out = dict(
            zip(
                PAGE_OUTPUTS,
                self._out(
                    downloads=(gr.update(value=md, visible=True), gr.update(value=js, visible=True)),
                    running=False,
                    article_html=render.original_only(article.paragraphs, article.language, headings=article.headings),
                    state=_NO_RESULT,
                ),
                strict=True,
            )
        )
        out["header"] = header
        return tuple(out[name] for name in PAGE_OUTPUTS)

    def cancelled(self) -> tuple[Any, ...]:
        self.status = render.notice_status(CANCELLED_MESSAGE, CANCELLED_TITLE)
        return self._out(results_visible=self.article is not None, running=False)

    def error(self, message: str) -> tuple[Any, ...]:
        title = (
            "Could not finish this article." if self.article is not None else "Could not read this article."
        )
        self.status = render.error_status(message, title)
        return self._out(results_visible=self.article is not None, running=False)


class ListView:
    """Many links at once: one row per article as each is done (headline, two lines of the
    summary, outlet, local time, status; a failed link shows its one-line message)."""

    def __init__(self, inputs: list[str], *, origin: str = "", found: int = 0) -> None:
        """`origin`: the feed or section page the links were read from (`found` links on it)."""
        self.inputs = inputs
        self.origin = origin
        self.found = found
        self.items: list[dict[str, str]] = []
        self.entries: list[tuple[str, Result | None, str | None]] = []  # for the digest downloads
        self.started = time.perf_counter()
        self.status = render.status("acquire", 0, len(inputs))

    def _out(self, *, running: bool = True, downloads: tuple[str, str, str] | None = None) -> tuple[Any, ...]:
        go, cancel = _buttons(running)
        hidden = gr.update(visible=False)
        md = csv = jsonl = hidden
        if downloads:
            md, csv, jsonl = (gr.update(value=path, visible=True) for path in downloads)
        values = {
            "status": self.status,
            "header": self._origin_line(),
            "summary": "",
            "article": render.article_list(self.items, pending=len(self.inputs) - len(self.items)),
            "results": gr.update(visible=bool(self.items) or not running),
            "download_md": md,
            "download_json": hidden,
            "go": go,
            "cancel": cancel,
            "result_state": None,
            "download_csv": csv,
            "download_jsonl": jsonl,
            # one row per article: no single summary or translation to copy or set beside its original
            "copy_summary": hidden,
            "copy_translation": hidden,
            "show_original": hidden,
        }
        return tuple(values[name] for name in PAGE_OUTPUTS)

    def _origin_line(self) -> str:
        """Where the links came from, when the reader gave one feed or section page."""
        if not self.origin:
            return ""
        shown = html.escape(self.origin)
        link = (
            f'<a href="{shown}" target="_blank" rel="noopener noreferrer nofollow">{shown}</a>'
            if self.origin.startswith(("http://", "https://"))
            else shown
        )
        count = len(self.inputs)
        extent = (
            f"the first {count} of the {self.found} article links on it"
            if self.found > count
            else f"the {count} article link{'s' if count != 1 else ''} on it"
        )
        return f'<p class="ins-list-origin ins-meta">Read from {link}: {extent}.</p>'

    def working(self, n: int, stage: str = "fetch") -> tuple[Any, ...]:
        self.status = render.status(stage, n, len(self.inputs), f"Article {n + 1} of {len(self.inputs)}")
        return self._out()

    def add(self, result: Result, given: str = "") -> tuple[Any, ...]:
        from ..extract.localtime import local_time

        body = render.article(
            result.article.paragraphs,
            list(result.paragraphs_en),
            result.article.language,
            headings=result.article.headings,
        )
        s = result.summary
        teaser = " ".join(s.points) if result.options.bullets and s.points else s.text
        self.items.append(
            {
                "title": result.title_en or result.article.title,
                "teaser": " ".join((teaser or "").split()),
                "site": result.article.site or "",
                "when": local_time(result.article.published) or "",
                "state": ("Translated" if result.translated else "English original")
                + (" (from the cache)" if result.cached else ""),
                "meta": present.metadata_line(result.article),
                "summary_html": summary_html(result.summary, result.options.bullets),
                "article_html": body,
            }
        )
        self.entries.append((given or result.article.url or "", result, None))
        return self._out()

    def add_error(self, given: str, message: str) -> tuple[Any, ...]:
        one_line = " ".join(str(message).split())
        self.items.append({"input": given, "error": one_line})
        self.entries.append((given, None, one_line))
        return self._out()

    def done(self, files: tuple[str, str, str] | None) -> tuple[Any, ...]:
        ok = sum(1 for i in self.items if not i.get("error"))
        self.status = render.done_status(
            time.perf_counter() - self.started, f"{ok} of {len(self.inputs)} articles translated."
        )
        return self._out(running=False, downloads=files)

    def cancelled(self) -> tuple[Any, ...]:
        self.status = render.notice_status(CANCELLED_MESSAGE, CANCELLED_TITLE)
        return self._out(running=False)


def how(result: Result) -> str:
    """Which models did the work, in a few words, so a reader knows what to trust."""
    parts = []
    if result.translated and result.models.get("translation"):
        parts.append(f"Translated by {render.model_name(result.models['translation'] or '')}")
    summary = f"{result.summary.method} summary"
    if result.models.get("summary"):
        summary += f" by {render.model_name(result.models['summary'] or '')}"
    parts.append(summary)
    return "; ".join(parts) + "."
