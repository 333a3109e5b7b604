"""The article as the acquisition stages hand it on: plain data, no behaviour."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Article:
    """A clean article in its own language.

    `paragraphs` is the body, one string per paragraph, with subheadings and list items
    as paragraphs of their own; `text` joins them with blank lines.

    `headings` holds the indices into `paragraphs` of the subheadings (a page's <h2>-<h6>
    inside the body, short and not a finished sentence). The body stays one flat list, so the
    translation, the sentence alignment and the summary's anchors keep counting paragraphs as
    before; only the views (web page, Markdown) need to know which ones to show as headings.
    Pasted plain text has no markup and so no headings.
    """

    title: str
    paragraphs: tuple[str, ...]
    author: str | None = None
    published: str | None = None  # ISO 8601 date or date-time
    site: str | None = None
    url: str | None = None  # canonical URL; None for pasted text
    language: str = "id"  # ISO 639-1
    source: str | None = None  # wire or origin credit ("Antara", "Kompas.com")
    extras: dict[str, Any] = field(default_factory=dict, compare=False)
    headings: tuple[int, ...] = ()  # indices into `paragraphs` of the subheadings

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)

    @property
    def word_count(self) -> int:
        return sum(len(p.split()) for p in self.paragraphs)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("extras")
        d["paragraphs"] = list(self.paragraphs)
        d["headings"] = list(self.headings)
        d["text"] = self.text
        return d
