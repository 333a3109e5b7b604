"""HTML for the web page's result blocks, built from page text that is escaped in one place.

Everything that came from a page (headline, author, outlet, paragraphs) or from a user goes
through `html.escape` here, so a headline such as `<img src=x onerror=...>` shows as those
characters. Kept apart from the gradio modules (no gradio import) so the escaping is cheap to test.
The metadata line is plain text built here too, and escaped by `header`.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from html import escape
from itertools import zip_longest

from ..article import Article
from ..choices import LANGUAGE_NAMES

PENDING = "…"

_STAGE_LABELS = {
    "acquire": "Reading the article",
    "fetch": "Fetching the page",
    "translate": "Translating",
    "summarize": "Summarising",
    "models": "Loading the translation model",
    "resummarize": "Writing a new summary",
}


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def status(stage: str, done: int = 0, total: int = 0, detail: str = "", eta: str = "") -> str:
    """One line saying what is happening now, with a bar when the stage can count its work."""
    label = _STAGE_LABELS.get(stage, stage.capitalize())
    count = ""
    bar = ""
    if total > 1 or (stage == "translate" and total > 0):
        unit = " sentences" if stage == "translate" else ""
        count = f'<span class="ins-count">{done} of {total}{unit}</span>'
        bar = f'<progress max="{int(total)}" value="{int(min(done, total))}" aria-hidden="true"></progress>'
    extra = f'<span class="ins-detail">{_e(detail)}</span>' if detail else ""
    left = f'<span class="ins-eta">{_e(eta)}</span>' if eta else ""
    return (
        f'<div class="ins-status ins-busy" role="status" aria-live="polite">'
        f'<span class="ins-spinner" aria-hidden="true"></span>'
        f'<span class="ins-stage">{_e(label)}…</span> {count}{left}{extra}{bar}</div>'
    )


def notice_status(message: str, title: str) -> str:
    """Finished, but not everything could be done (translation unavailable, cancelled)."""
    return (
        f'<div class="ins-status ins-notice" role="status" aria-live="polite">'
        f'<span class="ins-notice-title">{_e(title)}</span> '
        f'<span class="ins-notice-message">{_e(message)}</span></div>'
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


def _sentences(units: Sequence[str], para: int, language: str, *, ids: bool) -> str:
    spans = []
    for j, unit in enumerate(units):
        anchor = f' id="ins-s-{para}-{j}"' if ids else ""
        spans.append(
            f'<span class="ins-sent"{anchor} data-s="{para}-{j}" tabindex="0">{_e(unit)}</span>'
        )
    return " ".join(spans)


def article(
    original: Sequence[str],
    english: Sequence[str | None],
    language: str = "id",
    *,
    sentences_src: Sequence[Sequence[str]] = (),
    sentences_en: Sequence[Sequence[str]] = (),
    headings: Collection[int] = (),
) -> str:
    """The English article, each paragraph with its original beside it (shown on demand).

    With the sentence alignment (a finished result) every sentence is a span that names its
    counterpart (`data-s="paragraph-sentence"`), so hovering or focusing one lights up the
    other; the English ones carry the ids the summary's points link to. The paragraphs whose
    index is in `headings` (the article's subheadings, `Article.headings`) are headings in
    both languages, with the same spans.
    """
    aligned = len(sentences_src) == len(sentences_en) == len(original) and all(
        len(s) == len(e) for s, e in zip(sentences_src, sentences_en)
    )
    lang = _e(language)
    heads = frozenset(headings)
    rows = [
        '<div class="ins-row ins-heads">'
        '<h3 id="ins-doc-h" class="ins-en">Translation (English)</h3>'
        f'<h3 class="ins-orig">Original ({_e(LANGUAGE_NAMES.get(language, language))})</h3></div>'
    ]
    for i, (src, en) in enumerate(zip_longest(original, english)):
        if aligned and en is not None:
            en_html = _sentences(sentences_en[i], i, "en", ids=True)
            src_html = _sentences(sentences_src[i], i, language, ids=False)
        else:
            en_html = _e(en) if en is not None else f'<span class="ins-pending">{PENDING}</span>'
            src_html = _e(src or "")
        if i in heads:
            rows.append(
                f'<div class="ins-row ins-subhead"><h4 class="ins-en" lang="en">{en_html}</h4>'
                f'<h4 class="ins-orig" lang="{lang}">{src_html}</h4></div>'
            )
            continue
        rows.append(
            f'<div class="ins-row"><p class="ins-en" lang="en">{en_html}</p>'
            f'<p class="ins-orig" lang="{lang}">{src_html}</p></div>'
        )
    return (
        '<section class="ins-doc" aria-labelledby="ins-doc-h" tabindex="0">' + "".join(rows) + "</section>"
    )


def original_only(paragraphs: Sequence[str], language: str = "id", *, headings: Collection[int] = ()) -> str:
    """The clean original, as the article itself (no translation could be made); the
    paragraphs whose index is in `headings` are its subheadings."""
    name = _e(LANGUAGE_NAMES.get(language, language))
    lang, heads = _e(language), frozenset(headings)
    body = "".join(
        f'<h4 class="ins-subhead" lang="{lang}">{_e(p)}</h4>' if i in heads else f'<p lang="{lang}">{_e(p)}</p>'
        for i, p in enumerate(paragraphs)
    )
    return (
        '<section class="ins-doc ins-only-orig" aria-labelledby="ins-doc-h" tabindex="0">'
        f'<h3 id="ins-doc-h">Original ({name})</h3>{body}</section>'
    )


def summary(
    text: str,
    points: Sequence[str],
    *,
    method: str,
    model: str | None,
    bullets: bool,
    anchors: Sequence[tuple[int, int]] = (),
    provisional: bool = False,
    note: str | None = None,
    pending: bool = False,
) -> str:
    """The summary on top of the article: what wrote it, then its points (linked to the
    article's sentences when they were picked from it)."""
    head = '<h3 id="ins-summary-h">Summary</h3>'
    if pending:
        body = f'<p class="ins-pending">{_e("The summary follows the translation.")}</p>'
        how = ""
    else:
        if method == "extractive":
            how = (
                "Sentences picked from the article; each links to where it stands."
                if anchors
                else "Sentences picked from the article."
            )
        else:
            how = f"Written by a model ({_e(model_name(model or method))}): check it against the article."
        if provisional:
            how = "A first summary, picked from the article; the model's summary follows."
        items = []
        for k, point in enumerate(points or ((text,) if text else ())):
            if k < len(anchors):
                p, i = anchors[k]
                items.append(f'<a class="ins-point-link" href="#ins-s-{int(p)}-{int(i)}">{_e(point)}</a>')
            else:
                items.append(_e(point))
        if bullets or len(items) > 1 and anchors:
            body = "<ul>" + "".join(f"<li>{x}</li>" for x in items) + "</ul>"
        else:
            body = f"<p>{' '.join(items)}</p>"
        how = f'<p class="ins-summary-how">{how}</p>'
    extra = f'<p class="ins-note">{_e(note)}</p>' if note else ""
    return (
        '<section class="ins-summary" aria-labelledby="ins-summary-h" tabindex="0">'
        f'{head}{how}{extra}<div class="ins-summary-body" lang="en">{body}</div></section>'
    )


def article_list(items: Sequence[dict[str, str]], pending: int = 0) -> str:
    """Many articles at once: one row each (English headline, two lines of the summary, outlet,
    local time, status), opening to the summary and the article.

    Each item: title, teaser, site, when, state, summary_html, article_html (the last two
    already rendered and escaped), or error (a one-line message) and input (what was given)."""
    parts = [
        f'<section class="ins-list" aria-labelledby="ins-list-h"><h3 id="ins-list-h">'
        f"{len(items)} of {len(items) + pending} articles</h3><ol>"
    ]
    for n, item in enumerate(items):
        if item.get("error"):
            parts.append(
                f'<li class="ins-list-error"><p class="ins-list-input"><strong>{_e(item.get("input", ""))}</strong></p>'
                f'<p class="ins-list-status" role="note">Failed: {_e(item["error"])}</p></li>'
            )
            continue
        facts = " · ".join(_e(x) for x in (item.get("site"), item.get("when")) if x)
        parts.append(
            f'<li><details id="ins-item-{n}"><summary><span class="ins-list-title" lang="en">{_e(item["title"])}</span>'
            f'<span class="ins-list-teaser" lang="en">{_e(item.get("teaser", ""))}</span>'
            f'<span class="ins-meta ins-list-facts">{facts}'
            f'{" · " if facts else ""}<span class="ins-list-status">{_e(item.get("state", ""))}</span></span>'
            f'</summary>{item.get("summary_html", "")}{item.get("article_html", "")}</details></li>'
        )
    parts.append("</ol></section>")
    return "".join(parts)


def model_name(model_id: str) -> str:
    """A model as readers should see it: its Hub id, or a local folder's own name (never a path)."""
    text = (model_id or "").rstrip("/\\")
    if text.startswith(("/", "./", "../", "~")) or "\\" in text or text.count("/") > 1:
        return text.replace("\\", "/").rsplit("/", 1)[-1]
    return text


def estimate(remaining: int, seconds_per_sentence: float | None) -> str:
    """'about 40 s left' from the sentences left and the speed measured so far ('' if unknown)."""
    if not seconds_per_sentence or remaining <= 0:
        return ""
    seconds = remaining * seconds_per_sentence
    if seconds < 10:
        return "a few seconds left"
    if seconds < 90:
        return f"about {int(round(seconds / 5.0) * 5)} s left"
    return f"about {int(round(seconds / 60.0))} min left"


def models_line(states: dict[str, tuple[str, str]]) -> str:
    """`{"Translation model": ("ready", "Helsinki-NLP/opus-mt-id-en"), ...}` as one status line.

    For readers: a model's name (never a server path) and whether it works now; why a model
    failed is the operator's business and goes to the log, not the page."""
    icons = {"ready": "✓", "loading": "…", "failed": "✗", "lazy": "–"}
    items = []
    for name, (state, detail) in states.items():
        shown = model_name(detail) if state != "failed" and detail else ""
        items.append(
            f'<span class="ins-model ins-model-{_e(state)}">'
            f'<span aria-hidden="true">{icons.get(state, "")}</span> {_e(name)}: {_e(_state_text(state))}'
            + (f' <span class="ins-model-detail">({_e(shown)})</span>' if shown else "")
            + "</span>"
        )
    return f'<div class="ins-models" aria-live="polite">{"".join(items)}</div>'


def _state_text(state: str) -> str:
    return {
        "ready": "ready",
        "loading": "loading",
        "failed": "not available right now",
        "lazy": "loads on first use",
    }.get(state, state)
