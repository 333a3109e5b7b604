"""The values that cross stage boundaries, and the two seams a caller may fill.

Stages produce these and the pipeline, CLI, web app and batch runner pass them along, so
they live here rather than in the module of whoever happens to create them first.

`Translating` and `Summarizing` are what `pipeline.run` and `pipeline.stream` accept in
place of the real models (the way httpx accepts a transport): a test that checks the flow,
or a caller with its own engine, hands in any object of that shape.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from .config import Settings


@dataclass(frozen=True)
class Translation:
    """An article's English, sentence-aligned with the source."""

    sentences_src: tuple[tuple[str, ...], ...]  # per paragraph, the source units as sent to the model
    sentences_en: tuple[tuple[str, ...], ...]  # per paragraph, their English (same shape)
    paragraphs_en: tuple[str, ...]  # one English paragraph per source paragraph, same order and count


@dataclass(frozen=True)
class Summary:
    text: str  # prose, or "- " lines when bullets were asked for
    points: tuple[str, ...]  # the summary's sentences or points
    method: str  # the method actually used: abstractive | extractive | instruct
    model: str | None  # model id used (None for extractive)
    note: str | None = None  # why the method differs from the one asked for, if it does


class Translating(Protocol):
    """Indonesian (or another source language) to English, sentence by sentence."""

    def translate_sentences(
        self, sentences: Sequence[str], *, on_progress: Callable[[int], None] | None = None
    ) -> list[str]: ...

    def translate_paragraphs(
        self,
        paragraphs: Sequence[str],
        *,
        on_paragraph: Callable[[int, str], None] | None = None,
        on_progress: Callable[[int, int], None] | None = None,
    ) -> Translation: ...


class Summarizing(Protocol):
    """An article's English (and its source) to a Summary; `summarize.summarize` is one."""

    def __call__(
        self,
        *,
        title_en: str,
        paragraphs_en: Sequence[str],
        sentences_src: Sequence[Sequence[str]],
        sentences_en: Sequence[Sequence[str]],
        source_text: str,
        source_language: str,
        method: str,
        length: str,
        bullets: bool,
        settings: Settings,
        model_id: str | None = None,
        on_progress: Callable[[int, int], None] | None = None,
    ) -> Summary: ...
