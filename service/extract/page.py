"""Entry points of extraction: an HTML page or a pasted page text in, a clean `Article` out.

The work is split by what it knows about: htmlbody.py finds and cuts the body of a page,
pasted.py reads a select-all copy, cleanup.py holds the Indonesian boilerplate rules both share,
metadata.py reads title/author/date/site, outlets.py holds per-outlet selectors and
pagination.py finds the other pages of a multi-page article.

One extraction runs under a time limit (`max_seconds`, settings.extract_deadline where acquire.py
calls it): the stages check a `Deadline` between steps and per paragraph or line, and past it
the request fails with ExtractionTimeoutError. What comes out carries no bidi control
characters in any field, so a title cannot display in an order other than it reads.
"""

from __future__ import annotations

import dataclasses

from ..article import Article
from ..config import Settings
from ..errors import ExtractionError
from .body import MAX_ELEMENTS, element_count, find_body, parse_html
from .cleanup import Deadline, Para, clean_paragraphs, strip_bidi
from .explain import Trace
from .metadata import read_metadata
from .outlets import all_pages_url as _all_pages_url
from .outlets import outlet_for
from .pagination import next_page_urls as _next_page_urls
from .pasted import read_pasted

NO_ARTICLE = "No article found on this page. Paste the article text instead."
PAGE_TOO_SLOW = (
    "This page took longer than {seconds:g} s to read and was stopped (it may be built to slow readers "
    "down). Paste the article's text instead."
)
TEXT_TOO_SLOW = (
    "This text took longer than {seconds:g} s to read and was stopped. Paste only the article's "
    "paragraphs, without the rest of the page."
)
DEFAULT_SECONDS = Settings.extract_deadline

_MIN_BODY_CHARS = 80  # less than a couple of sentences is a stub, a paywall or a JS shell
_PAYWALL_STUB_WORDS = 150  # a page with a paywall prompt and less text shows only the teaser
_MIN_JSON_LD_CHARS = 200


def extract_html(
    html: str, url: str | None = None, *, max_seconds: float = DEFAULT_SECONDS, outlet_rules: bool = True
) -> Article:
    """The article on an HTML page; ExtractionError when the page holds none we can find.

    `url` is the address the page was fetched from (after redirects): it decides the outlet, and
    a canonical link to another site is ignored. None for a saved page or pasted HTML.
    `outlet_rules=False` reads every page by the generic path alone (outlets.py's selectors and
    widget lists unused; the site is still named): how much each outlet rule earns is measured
    with it. What was done is in `extras["explain"]` (explain.py), and on the error's `explain`.
    """
    deadline = Deadline(max_seconds, PAGE_TOO_SLOW.format(seconds=max_seconds))
    trace = Trace(outlet_rules=outlet_rules)
    doc = parse_html(html)
    if doc is None:
        raise _no_article(trace, "the page is empty or not HTML")
    if element_count(doc, MAX_ELEMENTS) > MAX_ELEMENTS:
        raise _no_article(trace, f"the page has more than {MAX_ELEMENTS} elements, too many for an article page")
    deadline.check()
    meta = read_metadata(doc, url, deadline)
    outlet = outlet_for(meta.canonical or url)
    trace.outlet = outlet.name if outlet else None
    body = find_body(doc, outlet if outlet_rules else None, deadline, trace)
    method, paywalled = body.method, body.paywalled
    cleaned = clean_paragraphs(body.paragraphs, title=meta.title, deadline=deadline, trace=trace)
    if _too_short(cleaned.paragraphs) and not paywalled and len(meta.article_body or "") >= _MIN_JSON_LD_CHARS:
        # Pages rendered by JavaScript often still carry the text in JSON-LD for search engines.
        lines = [Para(line) for line in (meta.article_body or "").split("\n") if line.strip()]
        cleaned, method = clean_paragraphs(lines, title=meta.title, deadline=deadline, trace=trace), "json-ld"
        trace.tried.append(f"json-ld articleBody: {len(lines)} paragraphs")
    words = sum(len(p.split()) for p in cleaned.paragraphs)
    if _too_short(cleaned.paragraphs):
        chars = sum(len(p) for p in cleaned.paragraphs)
        raise _no_article(trace, f"after boilerplate was removed, {chars} characters of text were left "
                                 f"(an article has at least {_MIN_BODY_CHARS})")
    if paywalled and words < _PAYWALL_STUB_WORDS:
        raise _no_article(trace, f"the page shows a subscribe-to-read prompt and only {words} words "
                                 f"(fewer than {_PAYWALL_STUB_WORDS}): a teaser behind a paywall")
    trace.finder = method
    extras: dict[str, object] = {"extractor": method, **cleaned.extras, "explain": trace.as_dict()}
    return _without_bidi(Article(
        title=meta.title,
        paragraphs=tuple(cleaned.paragraphs),
        headings=tuple(cleaned.headings),
        author=cleaned.author or meta.author,
        published=meta.published,
        site=meta.site,
        url=meta.canonical or url,
        source=cleaned.source,
        extras=extras,
    ))


def _no_article(trace: Trace, why: str) -> ExtractionError:
    """The "no article" error, carrying the explanation (`explain`) for --explain."""
    trace.no_article = why
    return ExtractionError(NO_ARTICLE, explain=trace.as_dict())


def _too_short(paragraphs: list[str]) -> bool:
    return sum(len(p) for p in paragraphs) < _MIN_BODY_CHARS


def extract_text(text: str, *, max_seconds: float = DEFAULT_SECONDS) -> Article:
    """The article in a pasted page text (a select-all copy, or just its paragraphs)."""
    trace = Trace(finder="pasted text")
    pasted = read_pasted(text, Deadline(max_seconds, TEXT_TOO_SLOW.format(seconds=max_seconds)), trace)
    if not pasted.paragraphs:
        trace.finder, trace.no_article = None, "every line of the text was page chrome or boilerplate"
        raise ExtractionError("No article text found. Paste the article's paragraphs.", explain=trace.as_dict())
    return _without_bidi(Article(
        title=pasted.title,
        paragraphs=tuple(pasted.paragraphs),
        headings=tuple(pasted.headings),
        author=pasted.author,
        published=pasted.published,
        site=pasted.site,
        url=None,
        source=pasted.source,
        extras={**pasted.extras, "explain": trace.as_dict()},
    ))


def _without_bidi(article: Article) -> Article:
    """Every text field without bidi controls. Paragraphs and titles lost them in normalize_space;
    this also covers what is passed through as written (URL, author, site, extras)."""

    def clean(value: object) -> object:
        if isinstance(value, str):
            return strip_bidi(value)
        if isinstance(value, (list, tuple)):
            return type(value)(clean(v) for v in value)
        return value

    return dataclasses.replace(
        article,
        title=strip_bidi(article.title),
        paragraphs=tuple(strip_bidi(p) for p in article.paragraphs),
        **{name: clean(getattr(article, name)) for name in ("author", "published", "site", "url", "source")},
        extras={key: clean(value) for key, value in article.extras.items()},
    )


def next_page_urls(html: str, url: str) -> list[str]:
    """The other pages of a multi-page article, in order ([] for a single page)."""
    doc = parse_html(html)
    if doc is None:
        return []
    return _next_page_urls(doc, url)


def all_pages_url(url: str) -> str | None:
    """The outlet's URL showing the whole article (Kompas/Tribun ?page=all, Detik ?single=1)."""
    return _all_pages_url(url)
