"""Stand-ins for the two model seams of `service.types` (`Translating`, `Summarizing`), in the
spirit of httpx's MockTransport and llm's MockModel: tests that check the flow through the
pipeline use these instead of building and running models.

    translator = FakeTranslator()
    result = pipeline.run(text=..., translator=translator, summarizer=FakeSummarizer())
    translator.sentences   # every sentence the pipeline asked to translate, in order

The "English" is the source marked with `EN:`, so a test can tell translated text from the
original and match each output to its input.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

from service.segment import split_sentences
from service.types import Summary, SummaryRequest, Translation


class FakeTranslator:
    """Translates each sentence to "EN:<sentence>"; records what it was asked."""

    def __init__(self, on_paragraph: Callable[[int], None] | None = None) -> None:
        self.sentences: list[str] = []
        self.paragraph_calls = 0
        self._on_paragraph = on_paragraph  # runs after each paragraph is reported (to hold, say)
        self._lock = threading.Lock()

    @staticmethod
    def english(sentence: str) -> str:
        return f"EN:{sentence}"

    def translate_sentences(
        self, sentences: Sequence[str], *, on_progress: Callable[[int], None] | None = None
    ) -> list[str]:
        with self._lock:
            self.sentences.extend(sentences)
        if on_progress:
            on_progress(len(sentences))
        return [self.english(s) for s in sentences]

    def translate_paragraphs(self, paragraphs: Sequence[str], **callbacks: Callable | None) -> Translation:
        """As `Translating.translate_paragraphs`: callbacks on_paragraph(i, en), on_progress(done, total)."""
        on_paragraph, on_progress = callbacks.get("on_paragraph"), callbacks.get("on_progress")
        self.paragraph_calls += 1
        src = tuple(tuple(split_sentences(p)) for p in paragraphs)
        total = sum(len(units) for units in src)
        if on_progress:
            on_progress(0, total)
        english: list[tuple[str, ...]] = []
        done = 0
        for i, units in enumerate(src):
            english.append(tuple(self.translate_sentences(units)))
            done += len(units)
            if on_progress:
                on_progress(done, total)
            if on_paragraph:
                on_paragraph(i, " ".join(english[-1]))
            if self._on_paragraph:
                self._on_paragraph(i)
        return Translation(
            sentences_src=src,
            sentences_en=tuple(english),
            paragraphs_en=tuple(" ".join(e) for e in english),
        )


class FakeSummarizer:
    """Summarises as the first sentence of the English; records every request it got."""

    def __init__(self) -> None:
        self.requests: list[SummaryRequest] = []

    def __call__(self, request: SummaryRequest, settings: object, *, on_progress=None) -> Summary:  # noqa: ANN001
        self.requests.append(request)
        first = next((s for para in request.sentences_en for s in para if s.strip()), "")
        text = f"- {first}" if request.bullets else first
        return Summary(text=text, points=(first,), method=request.method, model="fake-summarizer")
