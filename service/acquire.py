"""Whatever the user gave (a URL, a saved page, pasted text or pasted HTML) -> one clean Article.

This is where input limits are enforced and where the language is decided, so every way in
behaves the same: empty input and oversized text are refused with a message a person can act
on, control characters are dropped, and the article comes back with `language` set. Each
extraction runs under `settings.extract_deadline`.

Who published a fetched article is decided by the host it came from (after redirects), never by
what the page says of itself: extract_html gets the fetched URL, and a page served as plain text
is named after its host too.

A URL may hold a multi-page article. Outlets that can show the whole text on one page
(Kompas and Tribun ?page=all, Detik ?single=1) are asked for that view first; otherwise the
page's own links to its other pages are followed, at most `settings.max_pages` pages in all
and all under one deadline, and the bodies are joined without repeating paragraphs.
"""

from __future__ import annotations

import dataclasses
import os
import re
import time
from collections.abc import Callable
from pathlib import Path

from .article import Article
from .config import Settings
from .errors import ExtractionError, FetchError, HTTPStatusError, InputError, InputTooLargeError
from .extract import (
    all_pages_url,
    comparable,
    decode_html,
    detect_language,
    extract_html,
    extract_text,
    host_of,
    next_page_urls,
    outlet_for,
)

Fetcher = Callable[..., object]

_CONTROL = {c: None for c in range(0x20) if chr(c) not in "\t\n\r"} | {0x7F: None}
_HTML_START = re.compile(
    r"<(?:!doctype\s+html|html|head|body|article|main|div|p|section)[\s>]", re.IGNORECASE
)
_CLOSING_TAG = re.compile(r"</[a-zA-Z][a-zA-Z0-9]*\s*>")
_URL = re.compile(
    r"^(?:https?://|www\.)\S+$|^[a-z0-9-]++(?:\.[a-z0-9-]++)*\.[a-z]{2,}(?:[:/?#]\S*)?$", re.IGNORECASE
)
# Anything with a scheme goes to the fetcher too, so `file:` or `javascript:` input is refused
# as an address (with the guard's message) rather than read as a very short article.
_SCHEME = re.compile(
    r"^(?:[a-z][a-z0-9+.-]*://|(?:javascript|data|file|vbscript|about|mailto):)\S*$", re.IGNORECASE
)


def strip_controls(text: str) -> str:
    """Drop NUL and other control characters (keeping tabs and line breaks) and C1 controls."""
    text = text.translate(_CONTROL)
    if any("\x80" <= ch <= "\x9f" for ch in text):
        text = "".join(ch for ch in text if not ("\x80" <= ch <= "\x9f"))
    return text


def looks_like_html(text: str) -> bool:
    """Pasted or saved HTML source rather than the text a browser shows."""
    head = text[:5000]
    return bool(_HTML_START.search(head)) and len(_CLOSING_TAG.findall(text[:50_000])) >= 2


def _require_content(text: str, what: str) -> None:
    if len(text.strip()) <= 1:
        raise InputError(f"The {what} is empty. Paste the article's text, or give its address.")


def _finish(article: Article, settings: Settings, *, url: str | None) -> Article:
    """Every way in ends here: the size limit on what will be translated, then the language.

    The limit applies to the extracted article too, not only to pasted text: a saved file or
    a multi-page site can hold far more, and one request must not hold the queue for hours.
    """
    size = len(article.title) + sum(len(p) for p in article.paragraphs)
    if size > settings.max_text_chars:
        raise InputTooLargeError(
            f"The article is {size:,} characters long; this service translates at most "
            f"{settings.max_text_chars:,}. Paste the part you want to read."
        )
    return _with_language(article, url=url)


def _with_language(article: Article, *, url: str | None) -> Article:
    sample = f"{article.title}\n{article.text[:5000]}"
    return dataclasses.replace(article, language=detect_language(sample), url=url)


# ---------------------------------------------------------------------------------------------
# Entry points
# ---------------------------------------------------------------------------------------------


def acquire(source: str, settings: Settings, *, fetcher: Fetcher | None = None) -> Article:
    """A URL, or pasted text or HTML: decided by what the input looks like."""
    if source is None:
        raise InputError("Nothing was given. Paste the article's text, or give its address.")
    candidate = source.strip()
    if "\n" not in candidate and " " not in candidate and (_URL.match(candidate) or _SCHEME.match(candidate)):
        return acquire_url(candidate, settings, fetcher=fetcher)
    return acquire_text(source, settings)


_MIB = 1_048_576  # sizes are shown in MiB, written "MB"


def check_text_size(text: str | None, settings: Settings) -> None:
    """The one check (and message) for text that is too long to take, wherever it comes in."""
    if text and len(text) > settings.max_text_chars:
        raise InputTooLargeError(
            f"The text is too long ({len(text):,} characters; the limit is {settings.max_text_chars:,}). "
            "Paste only the article itself."
        )


def check_file_size(size: int, settings: Settings) -> None:
    """The one check (and message) for a saved or uploaded page that is too large."""
    if size > settings.max_upload_bytes:
        raise InputTooLargeError(
            f"The file is too large ({size / _MIB:.1f} MB; the limit is {settings.max_upload_bytes / _MIB:.1f} MB). "
            "Save only the article page, or paste its text."
        )


def acquire_text(text: str, settings: Settings) -> Article:
    """Pasted page text (or pasted HTML source, read as a page)."""
    if text is None:
        raise InputError("Nothing was given. Paste the article's text.")
    check_text_size(text, settings)
    text = strip_controls(text)
    _require_content(text, "text")
    return _read_local(text, settings)


def _read_local(text: str, settings: Settings) -> Article:
    """Pasted or saved text: HTML is read as a page, anything else as a pasted page text."""
    if looks_like_html(text):
        article = extract_html(
            text, max_seconds=settings.extract_deadline, outlet_rules=settings.extract_outlet_rules
        )
        return _finish(article, settings, url=article.url)
    return _finish(extract_text(text, max_seconds=settings.extract_deadline), settings, url=None)


def acquire_file(path: str | os.PathLike[str], settings: Settings) -> Article:
    """A saved HTML page or a text file with a pasted page."""
    p = Path(path)
    try:
        size = p.stat().st_size
    except FileNotFoundError:
        raise InputError(f"There is no file at {p}. Check the path.") from None
    except OSError as e:
        raise InputError(f"The file {p} cannot be read ({e.strerror or e}).") from None
    if not p.is_file():
        raise InputError(f"{p} is not a file. Give a saved web page (.html) or a text file.")
    check_file_size(size, settings)
    try:
        data = p.read_bytes()
    except OSError as e:
        raise InputError(f"The file {p} cannot be read ({e.strerror or e}).") from None
    text = strip_controls(decode_html(data))
    _require_content(text, "file")
    return _read_local(text, settings)


def acquire_url(url: str, settings: Settings, *, fetcher: Fetcher | None = None) -> Article:
    """Fetch an article (all of its pages, bounded) and extract it."""
    if url is None or not url.strip():
        raise InputError("The address is empty. Give the article's address (https://...).")
    from .fetch import normalize_url  # one spelling of every URL, shared with the guard

    url = normalize_url(url)
    if fetcher is None:
        from .fetch import fetch as fetcher  # the only module that talks HTTP
    deadline = time.monotonic() + settings.fetch_deadline

    whole = all_pages_url(url)
    page = None
    if whole and whole != url:
        try:
            page = fetcher(whole, settings, deadline=deadline)
        except HTTPStatusError:
            page = None  # the outlet no longer offers the all-pages view: read page by page
    if page is None:
        page = fetcher(url, settings, deadline=deadline)
        whole = None

    html = _page_text(page)
    if getattr(page, "content_type", "text/html") == "text/plain" and not looks_like_html(html):
        article = extract_text(html, max_seconds=settings.extract_deadline)
        return _finish(dataclasses.replace(article, site=_site_of(page.url)), settings, url=page.url)
    article = extract_html(
        html, page.url, max_seconds=settings.extract_deadline, outlet_rules=settings.extract_outlet_rules
    )

    more: list[str] = [] if whole else next_page_urls(html, page.url)
    article = _join_pages(article, more, settings, fetcher, deadline)
    return _finish(article, settings, url=article.url or page.url)


def _site_of(url: str) -> str | None:
    """The name of the site a URL is on: the outlet's own, else the host without "www."."""
    outlet = outlet_for(url)
    return outlet.name if outlet else host_of(url).removeprefix("www.") or None


def _page_text(page: object) -> str:
    return strip_controls(decode_html(page.body, page.charset))  # type: ignore[attr-defined]


def _join_pages(
    first: Article, urls: list[str], settings: Settings, fetcher: Fetcher, deadline: float
) -> Article:
    """Append the bodies of the other pages, skipping paragraphs already read."""
    if not urls:
        return first
    paragraphs = list(first.paragraphs)
    headings = list(first.headings)  # a later page's subheadings move to where its text lands
    seen = {comparable(p) for p in paragraphs}
    read, missed = 1, []
    for next_url in urls[: max(settings.max_pages - 1, 0)]:
        if time.monotonic() >= deadline:
            missed.append(next_url)
            continue
        try:
            page = fetcher(next_url, settings, deadline=deadline)
            article = extract_html(
                _page_text(page),
                page.url,
                max_seconds=settings.extract_deadline,
                outlet_rules=settings.extract_outlet_rules,
            )
        except (FetchError, ExtractionError):
            missed.append(next_url)  # one unreadable page should not lose the pages we have
            continue
        read += 1
        page_headings = set(article.headings)
        for i, p in enumerate(article.paragraphs):
            key = comparable(p)
            if key not in seen:
                seen.add(key)
                if i in page_headings:
                    headings.append(len(paragraphs))
                paragraphs.append(p)
    missed += urls[max(settings.max_pages - 1, 0) :]
    extras = {**first.extras, "pages": read}
    if missed:
        extras["pages_not_read"] = missed
    return dataclasses.replace(first, paragraphs=tuple(paragraphs), headings=tuple(headings), extras=extras)
