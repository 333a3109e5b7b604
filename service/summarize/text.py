"""Plain-text helpers for the summary stage: splitting model output into sentences or
points, cleaning what a generative model adds around its answer, and formatting.

Kept apart from the model code so the rules about what a summary looks like can be
read (and tested) without torch.
"""

from __future__ import annotations

import re
from typing import Iterable, Sequence

from ..segment import split_sentences

_BULLET = re.compile(r"^\s*(?:[-*\u2022\u2013\u2014\u25cf]|\d{1,2}[.)])\s+(?=\S)")
_THINK = re.compile(r"<think>.*?(?:</think>|$)", re.DOTALL | re.IGNORECASE)
_MARKUP_TAG = re.compile(r"</?[a-zA-Z_|][^>\n]{0,40}>|<\|[^|>\n]{1,40}\|>")
_HEADING = re.compile(r"^\s*#{1,6}\s*")
_EMPHASIS = re.compile(r"(\*\*|__|`)")
# Labels models put before their answer; a wider rule would eat "Police said: ..." openings.
_LABEL = re.compile(
    r"^\s*(?:summary|english summary|key points|main points|answer|ringkasan|tl;?dr)\s*:\s*", re.I
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ufffd]")
_SPACES = re.compile(r"[ \t]+")


def clean_generated(text: str, prompt: str = "") -> str:
    """Remove what a generative model wraps around its answer.

    Chat and instruction models sometimes think aloud, echo the prompt, add a preamble
    ("Here is the summary:"), a label ("Summary:") or Markdown. None of it belongs in
    the summary the reader sees.
    """
    text = _THINK.sub("", text)
    text = _MARKUP_TAG.sub("", text)
    text = _CONTROL.sub("", text)
    prompt = prompt.strip()
    if prompt and text.lstrip().startswith(prompt):
        text = text.lstrip()[len(prompt) :]
    prompt_lines = {line.strip() for line in prompt.splitlines() if line.strip()}
    lines = []
    for line in text.splitlines():
        line = _EMPHASIS.sub("", _HEADING.sub("", line))
        line = _SPACES.sub(" ", line).strip()
        if not line or line in prompt_lines:
            continue
        lines.append(line)
    # A first line that only introduces what follows ("Here is a summary of the article:").
    if len(lines) > 1 and lines[0].endswith(":"):
        lines = lines[1:]
    if lines and not _BULLET.match(lines[0]):
        lines[0] = _LABEL.sub("", lines[0], count=1)
    return "\n".join(lines).strip()


def points_of(text: str) -> list[str]:
    """The summary's points: the list items when the model wrote a list, else its sentences."""
    lines = [line for line in text.splitlines() if line.strip()]
    items = [_BULLET.sub("", line).strip() for line in lines if _BULLET.match(line)]
    if len(items) >= 2 and len(items) >= len(lines) - 1:
        return [item for item in items if item]
    return split_sentences(" ".join(lines))


def format_summary(points: Sequence[str], bullets: bool) -> str:
    """Prose joins the points; bullets put each on its own "- " line."""
    if bullets:
        return "\n".join(f"- {p}" for p in points)
    return " ".join(points)


def flatten(paragraphs: Iterable[Sequence[str]]) -> list[tuple[int, str]]:
    """(paragraph index, sentence) for every non-empty sentence, in article order."""
    return [(i, s.strip()) for i, para in enumerate(paragraphs) for s in para if s and s.strip()]


def join_units(units: Sequence[tuple[int, str]]) -> str:
    """Sentences joined back into paragraphs, so a model sees the article's structure."""
    out: list[str] = []
    previous: int | None = None
    for para, sentence in units:
        if out:
            out.append(" " if para == previous else "\n")
        out.append(sentence)
        previous = para
    return "".join(out)


def paragraphs_to_units(paragraphs: Sequence[str]) -> list[tuple[int, str]]:
    """Sentence units from plain paragraphs, for callers without a segmentation."""
    return flatten(split_sentences(p) for p in paragraphs)
