"""Prompt templates, kept as plain files under `prompts/` so they can be read and edited
without touching code.

A template is text with named placeholders in braces, `{title}`; a literal brace is
written twice, `{{`. Only the names in `PLACEHOLDERS` are allowed, so a typo in a prompt
file fails loudly the first time it is loaded instead of reaching a model as text.
"""

from __future__ import annotations

import string
from functools import lru_cache
from pathlib import Path
from typing import Mapping

# An installed wheel carries the prompts inside the package (service/_prompts, see
# pyproject.toml); a checkout or an editable install reads the repository's prompts/.
_PACKAGED = Path(__file__).resolve().parents[1] / "_prompts"
PROMPTS_DIR = _PACKAGED if _PACKAGED.is_dir() else Path(__file__).resolve().parents[2] / "prompts"

# Every placeholder any prompt file may use, and what it is filled with.
PLACEHOLDERS: dict[str, str] = {
    "title": "the article's headline",
    "article": "the article text (or one chunk of it)",
    "summaries": "the partial summaries of consecutive chunks, one per line",
    "language": "the English name of the article's language, e.g. Indonesian",
    "style": "the rendered length/format wording (summary/style_*.txt)",
    "min_sentences": "the least number of sentences or points wanted",
    "max_sentences": "the most number of sentences or points wanted",
}


class PromptError(ValueError):
    """A prompt file is missing, malformed, or was rendered without all its values.

    This is a defect in the prompt files or the calling code, not something a user can
    cause, hence a ValueError rather than a ServiceError.
    """


class Template:
    """One prompt file, parsed once."""

    def __init__(self, name: str, text: str) -> None:
        self.name = name
        self.text = text
        self.fields = _fields(name, text)

    def render(self, **values: object) -> str:
        missing = sorted(self.fields - values.keys())
        if missing:
            raise PromptError(f"prompt {self.name!r} needs a value for {', '.join(missing)}")
        return self.text.format_map({k: values[k] for k in self.fields})

    def __repr__(self) -> str:
        return f"Template({self.name!r}, fields={sorted(self.fields)})"


def _fields(name: str, text: str) -> frozenset[str]:
    found: set[str] = set()
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as exc:  # an unmatched single brace
        raise PromptError(
            f"prompt {name!r} is malformed ({exc}); write a literal brace as {{{{ or }}}}"
        ) from exc
    for _literal, field, spec, conversion in parsed:
        if field is None:
            continue
        if not field.isidentifier():
            raise PromptError(f"prompt {name!r} has a placeholder {{{field}}}; use a name like {{title}}")
        if spec or conversion:
            raise PromptError(
                f"prompt {name!r}: placeholder {{{field}}} must not carry a format or conversion"
            )
        if field not in PLACEHOLDERS:
            known = ", ".join(sorted(PLACEHOLDERS))
            raise PromptError(f"prompt {name!r} uses unknown placeholder {{{field}}}; known ones: {known}")
        found.add(field)
    return frozenset(found)


@lru_cache(maxsize=None)
def _load(directory: Path, name: str) -> Template:
    path = directory / name
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PromptError(f"prompt file {path} cannot be read ({exc.strerror or exc})") from exc
    # Editors add a final newline; a prompt should not end in one.
    return Template(name, text.rstrip("\n"))


def load(name: str, directory: Path | None = None) -> Template:
    """Return the template in `prompts/<name>` (e.g. "summary/chat_user.txt")."""
    return _load((directory or PROMPTS_DIR).resolve(), name)


def render(name: str, values: Mapping[str, object] | None = None, **more: object) -> str:
    """Load and fill one prompt file; extra values the file does not use are ignored."""
    return load(name).render(**{**(values or {}), **more})


def all_names(directory: Path | None = None) -> list[str]:
    """Every file under prompts/, as the names `load` takes."""
    root = (directory or PROMPTS_DIR).resolve()
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
