"""What a request may ask for, checked before it reaches the model queue (no gradio here)."""

from __future__ import annotations

import os
import re

from .. import choices
from ..config import Settings
from ..errors import InputError
from ..inputs import link_lines, usable_link
from ..pipeline import check_file_size
from ..types import Options
from .constants import BOTH_MESSAGE, EMPTY_MESSAGE


def instruct_enabled(settings: Settings) -> bool:
    """Offer the instruct method only when an instruct model was chosen on purpose (see Settings)."""
    return settings.instruct_enabled or settings.summary_method == "instruct"


def summary_methods(settings: Settings) -> list[str]:
    return [m for m in choices.SUMMARY_METHODS if m != "instruct" or instruct_enabled(settings)]


def request_options(
    settings: Settings,
    *,
    summary_length: str = choices.DEFAULT_SUMMARY_LENGTH,
    summary_method: str = "",
    bullets: bool = False,
    translation_model: str = "",
) -> Options:
    """Per-request choices, checked (by `Options.validated`) against what this server offers."""
    return Options(
        translation_model=translation_model or None,
        summary_method=summary_method or None,
        summary_length=summary_length,
        bullets=bool(bullets),
    ).validated(
        settings, offered_methods=summary_methods(settings), offered_models=settings.translation_models
    )


def check_upload(path: str | None, settings: Settings) -> None:
    """Refuse an oversized upload before it reaches the queue, with the pipeline's own check."""
    if path:
        check_file_size(os.path.getsize(path), settings)


def source_kwargs(source: str | None, upload: str | None) -> dict[str, str]:
    """The one input the page was given, as keyword arguments for the pipeline."""
    text = (source or "").strip()
    if upload and text:
        raise InputError(BOTH_MESSAGE)
    if upload:
        return {"file": upload}
    if not text:
        raise InputError(EMPTY_MESSAGE)
    return {"source": text}


def looks_like_url(kwargs: dict[str, str]) -> bool:
    src = kwargs.get("source", "")
    return bool(re.match(r"^\s*(https?://|www\.)\S+\s*$", src, re.IGNORECASE))


MAX_LINKS = 20  # links one request may carry ("many articles at once"); one queue slot for all


def link_list(source: str | None) -> list[str] | None:
    """The links of a many-articles request (two or more lines, each one web address), or None.

    Blank lines and `#` comments are skipped; repeated links count once."""
    lines = link_lines(source or "")
    if len(lines) < 2 or not all(_ONE_URL.match(ln) for ln in lines):
        return None
    links = list(dict.fromkeys(lines))
    if len(links) > MAX_LINKS:
        raise InputError(f"Give at most {MAX_LINKS} links at a time ({len(links)} were given).")
    return links


_ONE_URL = re.compile(r"^(https?://|www\.)\S+$", re.IGNORECASE)


def api_links(links: str | None) -> list[str]:
    """The API's `translate_many` links: one web address a line, 1 to MAX_LINKS of them."""
    lines = link_lines(links or "")
    if not lines:
        raise InputError("Give one or more article URLs as `links`, one a line.")
    bad = next((ln for ln in lines if not _ONE_URL.match(ln)), None)
    if bad is not None:
        shown = bad if len(bad) <= 80 else bad[:77] + "..."
        raise InputError(f"Each line of `links` must be one web address (http or https); this one is not: {shown}")
    unique = list(dict.fromkeys(lines))
    if len(unique) > MAX_LINKS:
        raise InputError(f"Give at most {MAX_LINKS} links at a time ({len(unique)} were given).")
    return unique


def prefill_url(value: str | None) -> str:
    """A `?url=` query value the page may put in its input: one web address, else nothing."""
    text = (value or "").strip()
    return text if usable_link(text) else ""
