"""What one extraction did, for a person: which finder gave the body, what each rule removed, and
why a page had no article.

It is how a user reports a bad page (`python -m service extract --explain`) and how the next rule
is found. Recording is cheap (a counter per rule and the first few snippets), so every
extraction keeps one: `Article.extras["explain"]`, and `ExtractionError.explain` when there was
no article.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lxml import etree

_SNIPPETS = 3
_SNIPPET_CHARS = 80


def snippet(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _SNIPPET_CHARS else text[: _SNIPPET_CHARS - 1] + "…"


@dataclass
class Removal:
    count: int = 0
    snippets: list[str] = field(default_factory=list)


@dataclass
class Trace:
    """Notes taken while extracting; `as_dict` is what --explain prints."""

    finder: str | None = None  # outlet | readability | trafilatura | json-ld
    outlet: str | None = None  # the outlet whose rules applied, if any
    outlet_rules: bool = True
    tried: list[str] = field(default_factory=list)  # "readability: 120 characters of prose", ...
    sections: int = 0  # hidden in-page sections kept
    removed: dict[str, Removal] = field(default_factory=dict)
    no_article: str | None = None  # why there is no article, when there is none

    def drop(self, rule: str, what: etree._Element | str | None = None) -> None:
        """One block removed by `rule`; `what` is its text or element (a snippet is kept)."""
        entry = self.removed.setdefault(rule, Removal())
        entry.count += 1
        if what is not None and len(entry.snippets) < _SNIPPETS:
            text = what if isinstance(what, str) else "".join(what.itertext())
            if text.strip():
                entry.snippets.append(snippet(text))

    def try_finder(self, name: str, prose_chars: int, paragraphs: int) -> None:
        self.tried.append(f"{name}: {paragraphs} paragraphs, {prose_chars} characters of prose")

    def as_dict(self) -> dict[str, Any]:
        return {
            "finder": self.finder,
            "outlet": self.outlet,
            "outlet_rules": self.outlet_rules,
            "tried": list(self.tried),
            "hidden_sections_kept": self.sections,
            "removed": {rule: {"count": r.count, "snippets": list(r.snippets)} for rule, r in self.removed.items()},
            "no_article": self.no_article,
        }


def as_text(explain: dict[str, Any]) -> str:
    """The explanation as lines a person reads."""
    lines = []
    if explain.get("no_article"):
        lines.append(f"no article: {explain['no_article']}")
    outlet = explain.get("outlet")
    rules = "" if explain.get("outlet_rules", True) else " (outlet rules off)"
    lines.append(f"outlet rules: {outlet or 'none (generic path)'}{rules}")
    lines.append(f"body from: {explain.get('finder') or 'nothing'}")
    lines.extend(f"  tried {t}" for t in explain.get("tried", []))
    if explain.get("hidden_sections_kept"):
        lines.append(f"hidden in-page sections kept: {explain['hidden_sections_kept']}")
    removed = explain.get("removed", {})
    if removed:
        lines.append("removed:")
        for rule, r in removed.items():
            shown = "; ".join(f'"{s}"' for s in r["snippets"])
            lines.append(f"  {r['count']:4d} x {rule}" + (f": {shown}" if shown else ""))
    return "\n".join(lines) + "\n"
