"""What the page shows while one article is processed: one update for every page output."""

from __future__ import annotations

import os
import time
from typing import Any

import gradio as gr

from .. import present
from ..article import Article
from ..types import Progress, Result
from . import render

# The outputs the page's Translate event updates, by name, in the order of each update. The
# layout looks the components up by these names, so the page and its handler share one list.
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


def cleared() -> dict[str, Any]:
    """What the Clear button leaves: empty inputs and an empty page, the results hidden."""
    return {
        "source": "",
        "upload": None,
        "status": "",
        "header": "",
        "summary": "",
        "translation": "",
        "side_by_side": gr.update(visible=False),
        "results": gr.update(visible=False),
    }


class PageView:
    """What the page shows so far; each method returns one update for every output (PAGE_OUTPUTS order)."""

    def __init__(self, show_original: bool) -> None:
        self.show_original = show_original
        self.article: Article | None = None
        self.title_en: str | None = None
        self.english: list[str | None] = []
        self.meta = ""
        self.started = time.perf_counter()
        self.status = render.idle_status()
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
            header = render.header(self.article, self.title_en, translated, self.meta)
            if self.show_original and translated:
                sbs = gr.update(
                    value=render.side_by_side(self.article.paragraphs, self.english, self.article.language),
                    visible=True,
                )
        md, js = downloads if downloads else (gr.update(visible=False), gr.update(visible=False))
        values = {
            "status": self.status,
            "header": header,
            "summary": gr.skip() if summary is None else summary,
            "translation": "\n\n".join(p for p in self.english if p is not None),
            "side_by_side": sbs,
            "results": gr.update(visible=results_visible),
            "download_md": md,
            "download_json": js,
        }
        return tuple(values[name] for name in PAGE_OUTPUTS)

    def start(self) -> tuple[Any, ...]:
        self.status = render.status("acquire", 0, 1)
        return self._out(summary="", results_visible=False)

    def progress(self, event: Progress, is_url: bool = False) -> tuple[Any, ...]:
        stage = "fetch" if (event.stage == "acquire" and is_url) else event.stage
        self.status = render.status(stage, event.done, event.total, self.note)
        return self._out(results_visible=self.article is not None)

    def article_ready(self, article: Article, note: str) -> tuple[Any, ...]:
        self.article = article
        self.english = [None] * len(article.paragraphs)
        self.note = note
        self.meta = present.metadata_line(article)
        self.status = render.status("translate" if article.language != "en" else "acquire", 0, 0, note)
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
        self.meta = present.metadata_line(result.article)
        self.status = render.done_status(
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
        self.status = render.error_status(message, title)
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
