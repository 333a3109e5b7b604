"""The summary stage: three ways to summarise a translated article.

- abstractive (default): a summariser (distilbart-cnn) writes new English sentences.
- extractive: no model; the most central sentences of the original are ranked
  (`textrank`) and shown in their English translation, as many as the length's upper
  bound, in article order. Also the fallback when the summary model cannot be loaded,
  so a reader always gets a summary.
- instruct: an instruction-tuned model (flan-t5 / mT0 prompts, or a chat model such as
  Qwen2.5-Instruct) follows the prompts in `prompts/summary/`; chat and multilingual
  models read the original-language text directly.

Which code path runs is decided by the model that loads (its family), not only by the
method's name: a T5 model is always prompted, a BART model never is, and `Summary.method`
says which happened. Model summaries are trimmed to the length's upper bound of sentences;
the generation bounds per length are in `summarize_neural`.
"""

from __future__ import annotations

from typing import Callable, Sequence

from .. import models
from . import neural, textrank
from ..choices import SUMMARY_LENGTHS, SUMMARY_METHODS
from ..config import Settings
from ..errors import InputError, ModelNotAvailableError
from ..types import Summary, SummaryRequest
from .text import flatten, format_summary, paragraphs_to_units

# (fewest, most) sentences per length, and the method names: both from `choices`.
LENGTHS: dict[str, tuple[int, int]] = {name: length.sentences for name, length in SUMMARY_LENGTHS.items()}
METHODS = tuple(SUMMARY_METHODS)

_MULTILINGUAL_T5_HINTS = ("mt0", "mt5", "umt5", "byt5")


def summarize(
    request: SummaryRequest,
    settings: Settings,
    *,
    on_progress: Callable[[int, int], None] | None = None,
) -> Summary:
    """Summarise one article; see the module docstring for the methods."""
    r = request
    if r.method not in METHODS:
        raise InputError(f"Unknown summary method {r.method!r}; choose one of {', '.join(METHODS)}.")
    if r.length not in LENGTHS:
        raise InputError(f"Unknown summary length {r.length!r}; choose one of {', '.join(LENGTHS)}.")
    units_en = flatten(r.sentences_en) or paragraphs_to_units(r.paragraphs_en)
    if not units_en:
        raise InputError("The article has no text to summarise.")

    def extractive(note: str | None = None) -> Summary:
        points, anchors = _extractive_points(
            units_en, r.sentences_src, r.sentences_en, r.source_language, LENGTHS[r.length][1],
            skip=frozenset(r.headings),
        )
        if on_progress:
            on_progress(1, 1)
        return Summary(
            format_summary(points, r.bullets), tuple(points), "extractive", None, note, tuple(anchors)
        )

    if r.method == "extractive":
        return extractive()

    chosen = r.model_id or (settings.instruct_model if r.method == "instruct" else settings.summary_model)
    try:
        lm = load_model(chosen, r.method, settings)
        return _neural(lm, r, units_en, settings, on_progress)
    except ModelNotAvailableError as exc:
        return extractive(
            f"The summary model could not be loaded ({str(exc).rstrip('.')}); "
            "showing an extractive summary instead."
        )


def _extractive_points(
    units_en: list[tuple[int, str]],
    sentences_src: Sequence[Sequence[str]],
    sentences_en: Sequence[Sequence[str]],
    source_language: str,
    count: int,
    *,
    skip: frozenset[int] = frozenset(),
) -> tuple[list[str], list[tuple[int, int]]]:
    """The chosen English sentences and where each stands, as (paragraph, sentence) indices
    into `sentences_en` (empty when the English was not given sentence by sentence).

    Ranked in the original language when every source sentence pairs with its translation.
    Paragraphs in `skip` (subheadings) are never chosen: a heading is no summary sentence.
    """
    aligned = len(sentences_src) == len(sentences_en) and all(
        len(s) == len(e) for s, e in zip(sentences_src, sentences_en, strict=True)
    )
    if aligned:
        cells = [
            (src.strip(), en.strip(), (p, i))
            for p, (src_para, en_para) in enumerate(zip(sentences_src, sentences_en, strict=True))
            for i, (src, en) in enumerate(zip(src_para, en_para, strict=True))
            if src.strip() and en.strip() and p not in skip
        ]
        if cells:
            ranked_in, language = (
                ([src for src, _, _ in cells], source_language)
                if source_language != "en"
                else ([en for _, en, _ in cells], "en")
            )
            chosen = textrank.select(ranked_in, count, language)
            return [cells[i][1] for i in chosen], [cells[i][2] for i in chosen]
    english = [sentence for p, sentence in units_en if p not in skip]
    return [english[i] for i in textrank.select(english, count, "en")], []


def load_model(model_id: str, method: str, settings: Settings) -> models.LoadedModel:
    """The summary model, loaded as the kind it is (an abstractive model is most likely an
    encoder-decoder; `models` decides from its config or its name)."""
    return models.load_either(model_id, settings, likely_seq2seq=method == "abstractive")


def _neural(
    lm: models.LoadedModel,
    r: SummaryRequest,
    units_en: list[tuple[int, str]],
    settings: Settings,
    on_progress: Callable[[int, int], None] | None,
) -> Summary:
    lo, hi = LENGTHS[r.length]
    model_type = getattr(lm.model.config, "model_type", "") or ""
    is_t5 = lm.task == models.SEQ2SEQ and (lm.family == "t5" or model_type in ("t5", "mt5", "umt5"))
    multilingual = is_t5 and (
        model_type in ("mt5", "umt5") or any(h in lm.model_id.lower() for h in _MULTILINGUAL_T5_HINTS)
    )
    reads_source = (lm.task == models.CAUSAL or multilingual) and r.source_language != "en"

    if reads_source:
        units = flatten(r.sentences_src) or paragraphs_to_units(r.source_text.split("\n\n"))
        language = r.source_language
    else:
        units, language = units_en, "en"
    request = neural.Request(
        title=r.title_en,
        length=r.length,
        bullets=r.bullets,
        min_sentences=lo,
        max_sentences=hi,
        language=language,
        num_beams=settings.num_beams,
    )
    if lm.task == models.CAUSAL:
        writer: neural.Writer = neural.ChatWriter(lm, request)
    elif is_t5:
        writer = neural.T5Writer(lm, request, multilingual)
    else:
        writer = neural.AbstractiveWriter(lm, request)
    points = neural.write(writer, units, neural.Progress(on_progress))
    method = "abstractive" if isinstance(writer, neural.AbstractiveWriter) else "instruct"
    return Summary(format_summary(points, r.bullets), tuple(points), method, lm.model_id)
