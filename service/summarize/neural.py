"""Summaries written by a model: abstractive (BART-style summarisers) and instruction
following (T5-family prompts, or chat models through their chat template).

All three share one map-reduce: the input is cut into chunks that fit the model's window
(`summarize_chunks`), each chunk is summarised, and the partial summaries are combined:
joined when they are already short enough, summarised again when they fit one more
call, or chunked again when they do not. Nothing is truncated.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

from ..choices import LANGUAGE_NAMES, SUMMARY_LENGTHS
from ..errors import ModelNotAvailableError, ModelRuntimeError, ServiceError
from ..models import CAUSAL
from . import prompts
from .chunks import Unit, plan_chunks
from .text import clean_generated, join_units, points_of

# (min, max) new tokens per requested length, from `choices.SUMMARY_LENGTHS`.
SEQ2SEQ_NEW_TOKENS = {name: length.seq2seq_new_tokens for name, length in SUMMARY_LENGTHS.items()}
CHAT_NEW_TOKENS = {name: length.chat_new_tokens for name, length in SUMMARY_LENGTHS.items()}
# Input tokens per chat-model call. A 1.5B model on CPU needs tens of seconds per thousand
# prompt tokens and gets vaguer on long inputs, so long articles are chunked well before
# the model's 32k context is reached.
CHAT_INPUT_CAP = 3072
# The fewest new tokens a chunk's partial summary may get when many chunks share one
# combining call: below this a summary cannot hold a fact.
PARTIAL_FLOOR = 24
# Combine rounds before giving up and joining partial summaries (each round shrinks the
# text by about the chunk count, so real articles need one).
MAX_ROUNDS = 3
# Room left in the window for tokens the estimate misses at joins.
MARGIN = 4



@dataclass(frozen=True)
class Request:
    """What the reader asked for, as the writers need it."""

    title: str
    length: str
    bullets: bool
    min_sentences: int
    max_sentences: int
    language: str = "en"  # ISO 639-1 code of the text handed to the model
    num_beams: int = 0  # 0: the model's own generation config


class Progress:
    """Counts model calls; the total grows as the map-reduce discovers how many it needs."""

    def __init__(self, callback: Callable[[int, int], None] | None) -> None:
        self.callback = callback
        self.done = 0
        self.total = 0

    def expect(self, n: int) -> None:
        self.total += n

    def step(self) -> None:
        self.done += 1
        if self.callback:
            self.callback(self.done, max(self.total, self.done))


class Writer:
    """How one kind of model is prompted, measured and run. Subclasses fill in `build`."""

    new_tokens = SEQ2SEQ_NEW_TOKENS
    add_special_tokens = True  # whether the tokenizer adds <s>/</s> around the input

    def __init__(self, lm: Any, request: Request) -> None:
        self.lm = lm
        self.tok = lm.tokenizer
        self.request = request
        self.window = lm.max_input_tokens

    # -- measuring -------------------------------------------------------------------
    def cost(self, text: str) -> int:
        return len(self.tok(text, add_special_tokens=False, verbose=False)["input_ids"])

    def count(self, full: str) -> int:
        return len(self.tok(full, add_special_tokens=self.add_special_tokens, verbose=False)["input_ids"])

    def budget(self, combine: bool) -> int:
        """Tokens left for article text once the prompt around it is counted."""
        room = self.window - self.count(self.build("", combine)) - MARGIN
        if room < 8:
            raise ModelRuntimeError(
                f"The model {self.lm.model_id!r} has an input window of {self.window} tokens, too small for "
                "the summary prompt; choose a model with a larger window."
            )
        return room

    def fits(self, text: str, combine: bool) -> bool:
        return self.count(self.build(text, combine)) <= self.window

    # -- prompting and running --------------------------------------------------------
    def build(self, text: str, combine: bool) -> str:
        raise NotImplementedError

    def echo(self, combine: bool) -> str:
        """The instructions a model might repeat in its answer.

        Without the article: a summary line that copies an article sentence is content.
        """
        return ""

    def output_limit(self, n_input: int) -> int:
        """Most new tokens the model can produce after `n_input` input tokens."""
        limit = getattr(self.lm.model.config, "max_position_embeddings", None)
        if self.lm.model.config.model_type in ("t5", "mt5", "umt5") or not isinstance(limit, int):
            return 10_000
        return max(1, limit - 2)

    def generate(self, text: str, combine: bool, min_new: int, max_new: int) -> str:
        full = self.build(text, combine)
        try:
            encoded = self.tok(full, return_tensors="pt", add_special_tokens=self.add_special_tokens)
            n_input = encoded["input_ids"].shape[1]
            if n_input > self.window:  # plan_chunks makes this impossible; never truncate silently
                raise ModelRuntimeError(
                    f"internal error: a chunk of {n_input} tokens exceeds the {self.window}-token window"
                )
            max_new = max(1, min(max_new, self.output_limit(n_input)))
            out = _run_generate(self.lm, encoded, self.generation_kwargs(min(min_new, max_new), max_new))
            new_ids = out[0, n_input:] if self.lm.task == CAUSAL else out[0]
            raw = self.tok.decode(new_ids, skip_special_tokens=True)
        except ServiceError:
            raise
        except Exception as exc:  # tokenizer/torch/transformers errors: one place translates them
            raise _runtime_error(self.lm, exc) from exc
        return clean_generated(raw, self.echo(combine))

    def generation_kwargs(self, min_new: int, max_new: int) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"max_new_tokens": max_new, "min_new_tokens": min_new}
        if self.request.num_beams > 0:
            kwargs["num_beams"] = self.request.num_beams
        return kwargs

    def style(self) -> str:
        name = "summary/style_bullets.txt" if self.request.bullets else "summary/style_prose.txt"
        return prompts.render(
            name, min_sentences=self.request.min_sentences, max_sentences=self.request.max_sentences
        )


class AbstractiveWriter(Writer):
    """A summariser trained on article -> summary pairs (distilbart-cnn): no prompt at all."""

    def build(self, text: str, combine: bool) -> str:
        return text


class T5Writer(Writer):
    """T5-family instruction models (flan-t5, mT0): a task prompt in front of the text."""

    def __init__(self, lm: Any, request: Request, multilingual: bool) -> None:
        super().__init__(lm, request)
        self.template = "summary/t5_multilingual.txt" if multilingual else "summary/t5.txt"

    def build(self, text: str, combine: bool) -> str:
        values = {
            "title": self.request.title,
            "style": self.style(),
            "language": LANGUAGE_NAMES.get(self.request.language, self.request.language),
        }
        if combine:
            return prompts.render("summary/t5_combine.txt", values, summaries=text)
        return prompts.render(self.template, values, article=text)

    def echo(self, combine: bool) -> str:
        return self.build("", combine)


class ChatWriter(Writer):
    """A chat model: a system and a user message through the tokenizer's chat template."""

    new_tokens = CHAT_NEW_TOKENS
    add_special_tokens = False  # the chat template already holds every special token

    def __init__(self, lm: Any, request: Request) -> None:
        super().__init__(lm, request)
        if not getattr(self.tok, "chat_template", None):
            raise ModelNotAvailableError(
                f"The model {lm.model_id!r} has no chat template, so it cannot follow instructions; "
                "use an instruction-tuned chat model (e.g. Qwen/Qwen2.5-1.5B-Instruct) or a flan-t5 model."
            )
        _, most_new = self.new_tokens[request.length]
        self.window = max(1, min(lm.max_input_tokens - most_new, CHAT_INPUT_CAP))

    def user_message(self, text: str, combine: bool) -> str:
        values = {
            "title": self.request.title,
            "style": self.style(),
            "language": LANGUAGE_NAMES.get(self.request.language, self.request.language),
        }
        if combine:
            return prompts.render("summary/chat_combine_user.txt", values, summaries=text)
        return prompts.render("summary/chat_user.txt", values, article=text)

    def build(self, text: str, combine: bool) -> str:
        messages = [
            {"role": "system", "content": prompts.render("summary/chat_system.txt")},
            {"role": "user", "content": self.user_message(text, combine)},
        ]
        try:
            return self.tok.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
        except Exception as exc:  # a broken template is a model problem, reported as such
            raise _runtime_error(self.lm, exc) from exc

    def echo(self, combine: bool) -> str:
        return self.user_message("", combine)

    def output_limit(self, n_input: int) -> int:
        return max(1, self.lm.max_input_tokens - n_input)

    def generation_kwargs(self, min_new: int, max_new: int) -> dict[str, Any]:
        # Greedy: the same article gives the same summary, and sampling buys nothing here.
        kwargs: dict[str, Any] = {
            "max_new_tokens": max_new,
            "do_sample": False,
            "temperature": None,
            "top_p": None,
            "top_k": None,
        }
        if min_new > 0:
            kwargs["min_new_tokens"] = min_new
        pad = self.tok.pad_token_id if self.tok.pad_token_id is not None else self.tok.eos_token_id
        if pad is not None:
            kwargs["pad_token_id"] = pad
        if self.request.num_beams > 0:
            kwargs["num_beams"] = self.request.num_beams
        return kwargs


def _runtime_error(lm: Any, exc: BaseException) -> ModelRuntimeError:
    return ModelRuntimeError(
        f"The summary model {lm.model_id!r} failed while writing the summary ({type(exc).__name__}: {exc}). "
        "Try again with the extractive method, or a shorter article."
    )


def _run_generate(lm: Any, encoded: Any, kwargs: dict[str, Any]) -> Any:
    import torch

    with torch.inference_mode():
        return lm.model.generate(**encoded.to(lm.device), **kwargs)


def write(writer: Writer, units: Sequence[Unit], progress: Progress) -> list[str]:
    """The summary's points, written by the model over as many calls as the text needs."""
    text = _map_reduce(writer, list(units), progress, combine=False, round_=0)
    points = points_of(text)
    if not points:
        raise ModelRuntimeError(
            f"The summary model {writer.lm.model_id!r} returned an empty summary; "
            "try the extractive method or another model."
        )
    return points[: writer.request.max_sentences]


def _map_reduce(writer: Writer, units: list[Unit], progress: Progress, combine: bool, round_: int) -> str:
    lo, hi = writer.new_tokens[writer.request.length]
    try:
        chunks = plan_chunks(
            units, writer.cost, writer.budget(combine), lambda text: writer.fits(text, combine)
        )
    except ValueError as exc:
        raise _runtime_error(writer.lm, exc) from exc
    if len(chunks) == 1:
        progress.expect(1)
        result = writer.generate(join_units(chunks[0]), combine, lo, hi)
        progress.step()
        return result

    # Map: partial summaries, kept short enough that together they fit one combining call.
    progress.expect(len(chunks))
    share = max(PARTIAL_FLOOR, min(hi, writer.budget(True) // len(chunks)))
    partials = []
    for chunk in chunks:
        partials.append(writer.generate(join_units(chunk), combine, min(lo, share // 2), share))
        progress.step()

    # Reduce.
    partial_units = [(i, point) for i, partial in enumerate(partials) for point in points_of(partial)]
    if len(partial_units) <= writer.request.max_sentences:
        return "\n".join(point for _, point in partial_units)
    summaries = "\n".join(point for _, point in partial_units)
    if writer.fits(summaries, True):
        progress.expect(1)
        result = writer.generate(summaries, True, lo, hi)
        progress.step()
        return result
    if round_ + 1 >= MAX_ROUNDS:
        return summaries
    return _map_reduce(writer, partial_units, progress, combine=True, round_=round_ + 1)
