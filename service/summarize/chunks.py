"""Cutting an article into chunks that each fit a model's input window.

Summarisers have a fixed window (1024 tokens for distilbart). Instead of letting the
tokenizer truncate, which silently drops the end of the article, we cut on sentence
boundaries under a token budget, and check every finished chunk exactly: whatever goes
into the model has been measured.
"""

from __future__ import annotations

from typing import Callable, Sequence

from .text import join_units

Unit = tuple[int, str]  # (paragraph index, sentence)


def plan_chunks(
    units: Sequence[Unit],
    cost: Callable[[str], int],
    budget: int,
    fits: Callable[[str], bool],
) -> list[list[Unit]]:
    """Group sentences greedily into chunks whose text `fits`.

    `cost` estimates a sentence's tokens (summed to pack quickly against `budget`);
    `fits` is the exact check on the finished chunk text. A sentence longer than the
    budget is split between words, never dropped.
    """
    if budget < 1:
        raise ValueError(f"token budget must be positive, got {budget}")
    pieces: list[tuple[Unit, int]] = []
    for para, sentence in units:
        n = cost(sentence)
        if n <= budget:
            pieces.append(((para, sentence), n))
        else:
            pieces.extend(((para, part), cost(part)) for part in _split_words(sentence, cost, budget))

    chunks: list[list[Unit]] = []
    current: list[Unit] = []
    used = 0
    for unit, n in pieces:
        if current and used + n + 1 > budget:
            chunks.append(current)
            current, used = [], 0
        current.append(unit)
        used += n + (1 if len(current) > 1 else 0)
    if current:
        chunks.append(current)

    exact: list[list[Unit]] = []
    for chunk in chunks:
        exact.extend(_until_fits(chunk, cost, budget, fits))
    return exact


def _until_fits(
    chunk: list[Unit], cost: Callable[[str], int], budget: int, fits: Callable[[str], bool]
) -> list[list[Unit]]:
    """The estimate can be off by a few tokens at joins; halve until the exact check passes."""
    if fits(join_units(chunk)):
        return [chunk]
    if len(chunk) > 1:
        mid = len(chunk) // 2
        return _until_fits(chunk[:mid], cost, budget, fits) + _until_fits(chunk[mid:], cost, budget, fits)
    para, sentence = chunk[0]
    parts = _split_words(sentence, cost, max(1, budget // 2))
    if len(parts) == 1:
        # One "word" (a URL, a run of symbols, noise) too long for the window: cut it in
        # halves by characters rather than drop or truncate it.
        if len(sentence) < 2:
            raise ValueError(f"the model's input window cannot hold even {sentence!r}")
        half = len(sentence) // 2
        parts = [sentence[:half], sentence[half:]]
    return [c for part in parts for c in _until_fits([(para, part)], cost, budget, fits)]


def _split_words(sentence: str, cost: Callable[[str], int], budget: int) -> list[str]:
    """Pieces of an over-long sentence, each about `budget` tokens, cut between words.

    Word costs are summed rather than re-measuring the growing piece (quadratic on a
    page-long run-on "sentence"); `_until_fits` corrects any overshoot.
    """
    parts: list[str] = []
    current: list[str] = []
    used = 0
    for word in _words_within(sentence, cost, budget):
        n = cost(word)
        if current and used + n > budget:
            parts.append(" ".join(current))
            current, used = [], 0
        current.append(word)
        used += n
    if current:
        parts.append(" ".join(current))
    return parts


def _words_within(sentence: str, cost: Callable[[str], int], budget: int) -> list[str]:
    """The sentence's words, with any word over the budget cut by characters to fit it."""
    words: list[str] = []
    for word in sentence.split():
        n = cost(word)
        if n <= budget or len(word) < 2:
            words.append(word)
            continue
        step = max(1, len(word) * budget // (n + 1))
        words.extend(word[i : i + step] for i in range(0, len(word), step))
    return words
