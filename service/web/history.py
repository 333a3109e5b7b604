"""The reader's recent articles: kept in their own browser (Gradio's BrowserState), never here.

The list comes back from the browser with every request, so it is data a client sent: each
entry is checked (a web address the page may open, a short title) and the list is cut to
`HISTORY_SIZE` before it is used or stored again. Only links are remembered: reopening one
runs it again, which the result cache answers at once when it is on.
"""

from __future__ import annotations

from typing import Any

from ..extract.localtime import local_time
from ..types import Result
from .requests import prefill_url

HISTORY_KEY = "ins-recent-articles"  # the browser's localStorage key
# BrowserState encrypts with a secret it sends to the page anyway; a fixed one keeps the
# reader's list across server restarts (a random one would drop it at each).
HISTORY_SECRET = "indonesian-news-in-english-recent"
HISTORY_SIZE = 10
_TITLE_CHARS = 160


def clean_history(value: Any) -> list[dict[str, str]]:
    """The usable entries of a list the browser sent: web addresses and short texts, newest first."""
    entries: list[dict[str, str]] = []
    if not isinstance(value, list):
        return entries
    seen: set[str] = set()
    for item in value[: HISTORY_SIZE * 2]:
        if not isinstance(item, dict):
            continue
        url = prefill_url(item.get("url") if isinstance(item.get("url"), str) else None)
        if not url or url in seen:
            continue
        seen.add(url)
        entries.append({
            "url": url,
            "title": _short(item.get("title")) or url,
            "site": _short(item.get("site")),
            "when": _short(item.get("when")),
        })
        if len(entries) == HISTORY_SIZE:
            break
    return entries


def remember(history: Any, result: Result | None, given: str | None) -> list[dict[str, str]]:
    """The list with this article first (a link the reader gave; pasted texts are not kept)."""
    entries = clean_history(history)
    url = prefill_url(given) if given else ""
    if result is None or not url:
        return entries
    article = result.article
    entry = {
        "url": url,
        "title": _short(result.title_en or article.title) or url,
        "site": _short(article.site),
        "when": _short(local_time(article.published) or ""),
    }
    return [entry, *[e for e in entries if e["url"] != url]][:HISTORY_SIZE]


def choices(entries: list[dict[str, str]]) -> list[tuple[str, str]]:
    """(label, link) pairs for the page's "Recent articles" list."""
    return [(" · ".join(x for x in (e["title"], e["site"], e["when"]) if x), e["url"]) for e in entries]


def _short(value: Any) -> str:
    text = " ".join(value.split()) if isinstance(value, str) else ""
    return text if len(text) <= _TITLE_CHARS else text[: _TITLE_CHARS - 1] + "…"
