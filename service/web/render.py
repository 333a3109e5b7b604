"""HTML for the web page's result blocks, built from page text that is escaped in one place.

Everything that came from a page (headline, author, outlet, paragraphs) or from a user goes
through `html.escape` here, so a headline such as `<img src=x onerror=...>` shows as those
characters. Kept apart from the gradio modules (no gradio import) so the escaping is cheap to test.
The metadata line is plain text built here too, and escaped by `header`.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from itertools import zip_longest

from ..article import Article

PENDING = "…"

_STAGE_LABELS = {
    "acquire": "Reading the article",
    "fetch": "Fetching the page",
    "translate": "Translating",
    "summarize": "Summarising",
}


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def status(stage: str, done: int = 0, total: int = 0, detail: str = "") -> str:
    """One line saying what is happening now, with a bar when the stage can count its work."""
    label = _STAGE_LABELS.get(stage, stage.capitalize())
    count = ""
    bar = ""
    if total > 1 or (stage == "translate" and total > 0):
        unit = " sentences" if stage == "translate" else ""
        count = f'<span class="ins-count">{done} of {total}{unit}</span>'
        bar = f'<progress max="{int(total)}" value="{int(min(done, total))}" aria-hidden="true"></progress>'
    extra = f'<span class="ins-detail">{_e(detail)}</span>' if detail else ""
    return (
        f'<div class="ins-status ins-busy" role="status" aria-live="polite">'
        f'<span class="ins-spinner" aria-hidden="true"></span>'
        f'<span class="ins-stage">{_e(label)}…</span> {count}{extra}{bar}</div>'
    )


def done_status(seconds: float, how: str = "", note: str = "") -> str:
    """Finished: how long it took, which models did the work, and any note from the summariser."""
    detail = f' <span class="ins-how">{_e(how)}</span>' if how else ""
    extra = f'<div class="ins-note">{_e(note)}</div>' if note else ""
    return (
        f'<div class="ins-status ins-done" role="status" aria-live="polite">'
        f"<span>Done in {seconds:.1f} s.</span>{detail}{extra}</div>"
    )


def error_status(message: str, title: str = "Could not read this article.") -> str:
    return (
        f'<div class="ins-status ins-error" role="alert">'
        f'<span class="ins-error-title">{_e(title)}</span> '
        f'<span class="ins-error-message">{_e(message)}</span></div>'
    )


def idle_status() -> str:
    return ""


def header(article: Article, title_en: str | None, translated: bool, meta: str) -> str:
    """The English headline, the original under it, the metadata line and the link."""
    if translated:
        english = (
            _e(title_en)
            if title_en is not None
            else '<span class="ins-pending">Translating the headline…</span>'
        )
    else:
        english = _e(article.title)
    parts = ['<div class="ins-header">']
    if article.title or title_en:
        parts.append(f'<h2 class="ins-title-en">{english}</h2>')
        if translated and article.title:
            parts.append(
                f'<p class="ins-title-orig" lang="{_e(article.language)}">'
                f'<span class="ins-label">Original headline:</span> {_e(article.title)}</p>'
            )
    if meta:
        parts.append(f'<p class="ins-meta">{_e(meta)}</p>')
    if article.url and article.url.startswith(("http://", "https://")):
        parts.append(
            f'<p class="ins-link"><a href="{_e(article.url)}" target="_blank" '
            'rel="noopener noreferrer nofollow">'
            f"{_e(article.url)}</a></p>"
        )
    parts.append("</div>")
    return "".join(parts)


def side_by_side(original: Sequence[str], english: Sequence[str | None], language: str = "id") -> str:
    """Each original paragraph next to its English paragraph; untranslated ones show as pending."""
    rows = []
    for src, en in zip_longest(original, english):
        en_cell = _e(en) if en is not None else f'<span class="ins-pending">{PENDING}</span>'
        rows.append(f'<tr><td lang="{_e(language)}">{_e(src or "")}</td><td lang="en">{en_cell}</td></tr>')
    return (
        '<div class="ins-sbs-wrap"><table class="ins-sbs">'
        '<thead><tr><th scope="col">Original</th><th scope="col">English</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def models_line(states: dict[str, tuple[str, str]]) -> str:
    """`{"Translation model": ("ready", "Helsinki-NLP/opus-mt-id-en"), ...}` as one status line."""
    icons = {"ready": "✓", "loading": "…", "failed": "✗", "lazy": "–"}
    items = []
    for name, (state, detail) in states.items():
        items.append(
            f'<span class="ins-model ins-model-{_e(state)}">'
            f'<span aria-hidden="true">{icons.get(state, "")}</span> {_e(name)}: {_e(_state_text(state))}'
            + (f' <span class="ins-model-detail">({_e(detail)})</span>' if detail else "")
            + "</span>"
        )
    return f'<div class="ins-models" aria-live="polite">{"".join(items)}</div>'


def _state_text(state: str) -> str:
    return {
        "ready": "ready",
        "loading": "loading",
        "failed": "not available",
        "lazy": "loads on first use",
    }.get(state, state)
