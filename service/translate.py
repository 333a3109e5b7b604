"""Indonesian -> English translation, sentence by sentence, with nothing dropped.

Paragraphs are segmented into sentences (service.segment); a sentence longer than the
model's input limit is cut at clause boundaries (split_long) and its parts translated and
rejoined, so no input is ever truncated. Sentences are translated in batches sorted by
length under a token budget, which keeps padding (wasted compute) small. The first
paragraph is translated on its own before anything else so the UI can show it early;
later paragraphs go in groups of several batches and are reported in order.

Generation sits behind one seam, `_TransformersBackend.translate_batch` (a list of source
strings in, the same number of English strings out). `_BACKENDS` maps LoadedModel.backend
to the class implementing it; CTranslate2 models share the transformers one. Everything
around it (splitting, batching, retry on out-of-memory, ordering) is backend-independent
and lives in `Translator`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from . import models
from .config import Settings
from .errors import ModelNotAvailableError, ModelRuntimeError
from .types import Translation
from .segment import normalize_space, split_long, split_sentences

# Source tokens per batch, padding included. On CPU, larger batches stop paying off early
# (beam search multiplies the work), and on a GPU this is still far from memory limits.
BATCH_TOKEN_BUDGET = 1024
MAX_BATCH_SENTENCES = 32
# Cut sentences longer than this even when the model would accept more: Marian-size models
# start skipping clauses on very long inputs, and shorter units batch better.
MAX_UNIT_TOKENS = 256
# After the first paragraph, paragraphs are translated in groups of about this many source
# tokens: large enough to batch well, small enough that paragraphs stream out steadily.
STREAM_GROUP_TOKENS = 2 * BATCH_TOKEN_BUDGET


@dataclass(frozen=True)
class LanguageCodes:
    """How a multilingual model is told the language pair."""

    src_lang: str  # value for tokenizer.src_lang
    target_token: str  # token whose id is forced as the first generated token


# By LoadedModel.family. Families not listed (Marian: one model per language pair) need nothing.
LANGUAGE_CODES: dict[str, LanguageCodes] = {
    "nllb": LanguageCodes(src_lang="ind_Latn", target_token="eng_Latn"),
    "m2m100": LanguageCodes(src_lang="id", target_token="__en__"),
}


class _TransformersBackend:
    """The generation seam: source strings in, English strings out, one call per batch."""

    def __init__(self, loaded: models.LoadedModel, settings: Settings) -> None:
        self.tokenizer = loaded.tokenizer
        self.model = loaded.model
        self.device = loaded.device
        self.num_beams = settings.num_beams
        self.forced_bos_token_id: int | None = None
        codes = LANGUAGE_CODES.get(loaded.family)
        if codes is not None:
            self._set_language_codes(loaded.model_id, codes)
        config = self.model.config
        positions = getattr(config, "max_target_positions", None) or getattr(
            config, "max_position_embeddings", None
        )
        # The decoder start token takes one position; the rest may be generated.
        self.max_new_tokens_cap = (positions - 1) if isinstance(positions, int) and positions > 1 else 512

    def _set_language_codes(self, model_id: str, codes: LanguageCodes) -> None:
        tok = self.tokenizer
        try:
            tok.src_lang = codes.src_lang
            target = tok.convert_tokens_to_ids(codes.target_token)
        except (KeyError, ValueError) as exc:
            raise ModelNotAvailableError(
                f"The tokenizer of {model_id!r} does not know the language code {codes.src_lang!r}: "
                "it does not look like the multilingual model its configuration says it is."
            ) from exc
        if not isinstance(target, int) or target == tok.unk_token_id:
            raise ModelNotAvailableError(
                f"The tokenizer of {model_id!r} has no token {codes.target_token!r} for English output."
            )
        self.forced_bos_token_id = target

    def count_tokens(self, text: str) -> int:
        return len(self.tokenizer(text)["input_ids"])

    def translate_batch(self, texts: list[str]) -> list[str]:
        import torch

        encoded = self.tokenizer(texts, return_tensors="pt", padding=True).to(self.device)
        longest = int(encoded["input_ids"].shape[1])
        kwargs: dict[str, Any] = {"max_new_tokens": min(2 * longest + 10, self.max_new_tokens_cap)}
        if self.num_beams > 0:
            kwargs["num_beams"] = self.num_beams
        if self.forced_bos_token_id is not None:
            kwargs["forced_bos_token_id"] = self.forced_bos_token_id
        with torch.inference_mode():
            output = self.model.generate(**encoded, **kwargs)
        rows = output.tolist()
        if self.forced_bos_token_id is not None:
            # Some multilingual tokenizers do not count their language tokens as special, so
            # skip_special_tokens would leave "__en__" in the text.
            rows = [[t for t in row if t != self.forced_bos_token_id] for row in rows]
        return [text.strip() for text in self.tokenizer.batch_decode(rows, skip_special_tokens=True)]


# LoadedModel.backend -> the class that implements the seam for it. A CTranslate2 model
# answers generate() like a transformers one (models.ct2.Seq2SeqModel), so one class serves both.
_BACKENDS: dict[str, Callable[[models.LoadedModel, Settings], Any]] = {
    "transformers": _TransformersBackend,
    "ctranslate2": _TransformersBackend,
}


def _is_out_of_memory(exc: BaseException) -> bool:
    if isinstance(exc, MemoryError):
        return True
    message = str(exc).lower()
    return any(s in message for s in ("out of memory", "not enough memory", "can't allocate memory"))


class Translator:
    """Translates Indonesian sentences and paragraphs to English with one loaded model."""

    def __init__(
        self,
        loaded: models.LoadedModel,
        settings: Settings,
        *,
        batch_token_budget: int = BATCH_TOKEN_BUDGET,
        max_batch_sentences: int = MAX_BATCH_SENTENCES,
        stream_group_tokens: int = STREAM_GROUP_TOKENS,
    ) -> None:
        self.model_id = loaded.model_id
        self.family = loaded.family
        self.device = loaded.device
        self.max_input_tokens = loaded.max_input_tokens
        self.max_unit_tokens = min(loaded.max_input_tokens, MAX_UNIT_TOKENS)
        self.batch_token_budget = batch_token_budget
        self.max_batch_sentences = max_batch_sentences
        self.stream_group_tokens = stream_group_tokens
        self.backend_name = loaded.backend
        backend_class = _BACKENDS.get(loaded.backend)
        if backend_class is None:
            raise ModelNotAvailableError(
                f"Translation cannot run {loaded.model_id!r} on the {loaded.backend!r} backend yet; "
                "set SERVICE_BACKEND=transformers."
            )
        self.backend = backend_class(loaded, settings)

    # -- public ---------------------------------------------------------------------------

    def translate_sentences(
        self, sentences: Sequence[str], *, on_progress: Callable[[int], None] | None = None
    ) -> list[str]:
        """One English string per input sentence; on_progress(sentences done so far)."""
        counts: dict[str, int] = {}
        units: list[str] = []
        owner: list[int] = []
        for i, sentence in enumerate(sentences):
            for unit in self._units(sentence, counts):
                units.append(unit)
                owner.append(i)
        remaining = [0] * len(sentences)
        for i in owner:
            remaining[i] += 1
        done = sum(1 for r in remaining if r == 0)

        def finished(batch: list[int]) -> None:
            nonlocal done
            for u in batch:
                remaining[owner[u]] -= 1
                if remaining[owner[u]] == 0:
                    done += 1
            if on_progress:
                on_progress(done)

        outputs = self._translate_units(units, counts, finished)
        english: list[list[str]] = [[] for _ in sentences]
        for u, text in enumerate(outputs):
            if text:
                english[owner[u]].append(text)
        return [" ".join(parts) for parts in english]

    def translate_paragraphs(
        self,
        paragraphs: Sequence[str],
        *,
        on_paragraph: Callable[[int, str], None] | None = None,
        on_progress: Callable[[int, int], None] | None = None,
    ) -> Translation:
        """Translate paragraph by paragraph; on_paragraph(i, english) fires in order as each is done."""
        return self.translate_article("", paragraphs, on_paragraph=on_paragraph, on_progress=on_progress)[1]

    def translate_article(
        self,
        title: str,
        paragraphs: Sequence[str],
        *,
        on_title: Callable[[str], None] | None = None,
        on_paragraph: Callable[[int, str], None] | None = None,
        on_progress: Callable[[int, int], None] | None = None,
    ) -> tuple[str, Translation]:
        """The title and the paragraphs; the title goes in the first batch, with the first
        paragraph, so both are ready after one model call (on_title fires just before
        on_paragraph(0)). on_progress counts the paragraphs' sentences only."""
        counts: dict[str, int] = {}
        title_units = [u for sentence in (split_sentences(title) or [title]) for u in self._units(sentence, counts)]
        title_units = [u for u in title_units if u.strip()] if title.strip() else []
        src: list[list[str]] = []
        for paragraph in paragraphs:
            units: list[str] = []
            for sentence in split_sentences(paragraph):
                units.extend(self._units(sentence, counts))
            src.append(units)
        total = sum(len(units) for units in src)
        done = 0
        if on_progress:
            on_progress(0, total)
        skip = 0  # leading title units in the batch being reported

        def finished(batch: list[int]) -> None:
            nonlocal done
            done += sum(1 for i in batch if i >= skip)
            if on_progress:
                on_progress(done, total)

        title_en = ""
        pending_title = bool(title_units)
        english: list[list[str]] = [[] for _ in paragraphs]
        for group in self._stream_groups(src, counts) or [[]]:
            head = title_units if pending_title else []
            skip = len(head)
            flat = head + [unit for p in group for unit in src[p]]
            outputs = iter(self._translate_units(flat, counts, finished) if flat else [])
            if pending_title:
                title_en = _join([next(outputs) for _ in head])
                pending_title = False
                if on_title:
                    on_title(title_en)
            skip = 0
            for p in group:
                english[p] = [next(outputs) for _ in src[p]]
                if on_paragraph:
                    on_paragraph(p, _join(english[p]))
        return title_en, Translation(
            sentences_src=tuple(tuple(units) for units in src),
            sentences_en=tuple(tuple(units) for units in english),
            paragraphs_en=tuple(_join(units) for units in english),
        )

    # -- internals ------------------------------------------------------------------------

    def _count(self, text: str, counts: dict[str, int]) -> int:
        if text not in counts:
            counts[text] = self.backend.count_tokens(text)
        return counts[text]

    def _units(self, sentence: str, counts: dict[str, int]) -> list[str]:
        """The pieces of one sentence that go to the model: the sentence, or its parts if too long."""
        return split_long(sentence, self.max_unit_tokens, lambda text: self._count(text, counts))

    def _stream_groups(self, src: list[list[str]], counts: dict[str, int]) -> list[list[int]]:
        """Consecutive paragraph ranges: up to the first non-empty one, then ~stream_group_tokens each."""
        groups: list[list[int]] = []
        current: list[int] = []
        tokens = 0
        first_done = False
        for p, units in enumerate(src):
            current.append(p)
            tokens += sum(counts[u] for u in units)
            if units and (not first_done or tokens >= self.stream_group_tokens):
                groups.append(current)
                current, tokens, first_done = [], 0, True
        if current:
            groups.append(current)
        return groups

    def _translate_units(
        self, units: list[str], counts: dict[str, int], on_batch: Callable[[list[int]], None]
    ) -> list[str]:
        outputs = [""] * len(units)
        todo: list[int] = []
        for i, unit in enumerate(units):
            if counts[unit] > self.max_input_tokens:
                # A single "word" longer than the model accepts (a pasted blob, a huge URL):
                # it has no translation, so it is copied rather than cut or dropped.
                outputs[i] = unit
                on_batch([i])
            else:
                todo.append(i)
        for batch in self._batches(todo, units, counts):
            for i, text in zip(batch, self._run_batch([units[i] for i in batch]), strict=True):
                # A model that answers a sentence with nothing has failed on it; showing the
                # source sentence beats silently losing it.
                outputs[i] = text or units[i]
            on_batch(batch)
        return outputs

    def _batches(self, todo: list[int], units: list[str], counts: dict[str, int]) -> list[list[int]]:
        """Group unit indices, shortest first, so that size x longest stays within the budget."""
        batches: list[list[int]] = []
        current: list[int] = []
        longest = 0
        for i in sorted(todo, key=lambda i: counts[units[i]]):
            n = counts[units[i]]
            too_big = max(longest, n) * (len(current) + 1) > self.batch_token_budget
            if current and (too_big or len(current) >= self.max_batch_sentences):
                batches.append(current)
                current, longest = [], 0
            current.append(i)
            longest = max(longest, n)
        if current:
            batches.append(current)
        return batches

    def _run_batch(self, texts: list[str]) -> list[str]:
        """Call the backend; on out-of-memory retry in halves before giving up."""
        try:
            outputs = self.backend.translate_batch(texts)
        except (RuntimeError, ValueError, IndexError, MemoryError) as exc:
            if _is_out_of_memory(exc) and len(texts) > 1:
                _release_cached_memory()
                half = len(texts) // 2
                return self._run_batch(texts[:half]) + self._run_batch(texts[half:])
            if _is_out_of_memory(exc):
                raise ModelRuntimeError(
                    f"Translation ran out of memory on {self.device} with model {self.model_id!r}, even one "
                    "sentence at a time. Free memory, use a smaller model, or set SERVICE_DEVICE=cpu."
                ) from exc
            raise ModelRuntimeError(
                f"Translation with {self.model_id!r} failed on a batch of {len(texts)} sentence(s): "
                f"{type(exc).__name__}: {exc}"
            ) from exc
        if len(outputs) != len(texts):
            raise ModelRuntimeError(
                f"Translation with {self.model_id!r} returned {len(outputs)} results for {len(texts)} sentences."
            )
        return outputs


def _join(sentences: Sequence[str]) -> str:
    return " ".join(s for s in sentences if s)


def _release_cached_memory() -> None:
    import torch

    if torch.cuda.is_available():
        torch.cuda.empty_cache()


def get_translator(model_id: str, settings: Settings) -> Translator:
    """A translator for `model_id` (Hub id or local folder); the model itself is cached in service.models."""
    return Translator(models.load(model_id, models.SEQ2SEQ, settings), settings)


def identity_translation(paragraphs: Sequence[str]) -> Translation:
    """The Translation of text that is already English: same shape, text unchanged (whitespace normalised)."""
    src = tuple(tuple(split_sentences(p)) for p in paragraphs)
    return Translation(
        sentences_src=src,
        sentences_en=src,
        paragraphs_en=tuple(normalize_space(p) for p in paragraphs),
    )
