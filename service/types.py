"""The values that cross stage boundaries, and the two seams a caller may fill.

Stages produce these and the pipeline, CLI, web app and batch runner pass them along, so
they live here rather than in the module of whoever happens to create them first.

`Translating` and `Summarizing` are what `pipeline.run` and `pipeline.stream` accept in
place of the real models (the way httpx accepts a transport): a test that checks the flow,
or a caller with its own engine, hands in any object of that shape.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from . import choices
from .article import Article
from .config import Settings
from .errors import InputError

SUMMARY_METHODS = tuple(choices.SUMMARY_METHODS)
SUMMARY_LENGTHS = tuple(choices.SUMMARY_LENGTHS)


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
    # extractive only: where each point stands in the article, as (paragraph, sentence)
    # indices into Result.sentences_en, so a reader can jump from the summary to the text
    anchors: tuple[tuple[int, int], ...] = ()


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


@dataclass(frozen=True)
class SummaryRequest:
    """What the summary stage is asked: the article's English, aligned with its source."""

    title_en: str
    paragraphs_en: Sequence[str]
    sentences_src: Sequence[Sequence[str]]  # per paragraph, the source sentences
    sentences_en: Sequence[Sequence[str]]  # per paragraph, their English (same shape)
    source_text: str
    source_language: str
    method: str  # one of choices.SUMMARY_METHODS
    length: str  # one of choices.SUMMARY_LENGTHS
    bullets: bool
    model_id: str | None = None  # None: the method's model from the settings
    headings: Sequence[int] = ()  # paragraphs that are subheadings: never a summary sentence


class Summarizing(Protocol):
    """A SummaryRequest to a Summary; `summarize.summarize` is one."""

    def __call__(
        self,
        request: SummaryRequest,
        settings: Settings,
        *,
        on_progress: Callable[[int, int], None] | None = None,
    ) -> Summary: ...


@dataclass(frozen=True)
class Options:
    """What a user may choose per request; None means "as the settings say".

    Checked once, by `validated`, for the CLI, the library, the web page and the API alike.
    """

    translation_model: str | None = None
    summary_model: str | None = None
    summary_method: str | None = None
    summary_length: str = choices.DEFAULT_SUMMARY_LENGTH
    bullets: bool = False

    def validated(
        self,
        settings: Settings,
        *,
        offered_methods: Sequence[str] | None = None,
        offered_models: Sequence[str] | None = None,
    ) -> Options:
        """The options with defaults filled in, or InputError saying what to choose instead.

        `offered_methods` / `offered_models`: what a server offers its visitors (the API can
        be called directly, so a model id is accepted only from the configured list; otherwise
        anyone could make the server download and load any model).
        """
        length = (self.summary_length or choices.DEFAULT_SUMMARY_LENGTH).strip().lower()
        if length not in choices.SUMMARY_LENGTHS:
            raise InputError(
                f"Unknown summary length {self.summary_length!r}; choose one of {', '.join(SUMMARY_LENGTHS)}."
            )
        method = (self.summary_method or "").strip().lower() or settings.summary_method
        methods = tuple(offered_methods) if offered_methods is not None else SUMMARY_METHODS
        if method not in methods:
            if method in SUMMARY_METHODS:
                raise InputError(
                    f"The {method} summary is not enabled on this server; choose {' or '.join(methods)}."
                )
            raise InputError(
                f"Unknown summary method {self.summary_method!r}; choose one of {', '.join(methods)}."
            )
        model = (self.translation_model or "").strip() or settings.translation_model
        if offered_models is not None and model not in offered_models:
            raise InputError(
                f"Unknown translation model {self.translation_model!r}; choose one of {', '.join(offered_models)}."
            )
        return replace(
            self,
            translation_model=model,
            summary_method=method,
            summary_length=length,
            bullets=bool(self.bullets),
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
class SummaryReady:
    """A summary to show. `provisional`: the extractive one (no model, milliseconds), sent as
    soon as the translation is done so the reader has something while the model writes;
    the final one follows with provisional=False (and is also `Done.result.summary`)."""

    summary: Summary
    provisional: bool = False


@dataclass(frozen=True)
class Done:
    result: Result


Event = Progress | ArticleReady | TitleReady | ParagraphReady | SummaryReady | Done


@dataclass(frozen=True)
class Result:
    article: Article
    title_en: str
    paragraphs_en: tuple[str, ...]
    summary: Summary
    translated: bool
    models: dict[str, str | None]
    timings: dict[str, float]
    options: Options = field(default_factory=Options)
    cached: bool = False  # served from the on-disk result cache
    # per paragraph, the source sentences as translated and their English (same shape): the
    # alignment a side-by-side view highlights, and what `pipeline.summarize_again` re-uses
    sentences_src: tuple[tuple[str, ...], ...] = ()
    sentences_en: tuple[tuple[str, ...], ...] = ()

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
            summary_anchors=[list(a) for a in self.summary.anchors],
            summary_length=self.options.summary_length,
            bullets=self.options.bullets,
            models=dict(self.models),
            timings={k: round(v, 3) for k, v in self.timings.items()},
            cached=self.cached,
            word_count=self.article.word_count,
            sentences=[
                [{"source": src, "english": en} for src, en in zip(s_para, e_para, strict=True)]
                for s_para, e_para in zip(self.sentences_src, self.sentences_en, strict=True)
            ],
        )
        return d
