"""Finding the article body in an HTML page and cutting it into paragraphs.

The order of trust: an outlet's own body container (outlets.py) when it is on the page and holds
prose; otherwise readability-lxml's choice of container, run on a page we have already cleared of
widgets; trafilatura as the second opinion when readability finds too little. Whatever the
source, the body is walked by our own code so that paragraphs, subheadings and list items stay
separate and inline tags join without invented spaces (a linked name followed by a comma reads
"Brandon Salim," not "Brandon Salim ,").

Every walk here is iterative: a hostile page cannot raise RecursionError (and libxml2 itself
stops nesting at 256 levels).
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass

import lxml.html
from lxml import etree

from . import cleanup, outlets
from .cleanup import NO_DEADLINE, Deadline, Para
from .explain import Trace
from .prose import inline_in_prose, main_cluster, protected
from .sections import hidden_sections, is_hidden, reveal

# Elements that never hold article prose.
_ALWAYS_JUNK = (
    "script", "style", "noscript", "template", "iframe", "svg", "canvas", "object", "embed", "video",
    "audio", "source", "picture", "img", "input", "button", "select", "textarea", "option", "label",
    "nav", "aside", "footer", "dialog", "menu", "map", "head",
)
# Block boundaries when cutting a container into paragraphs.
_BLOCKS = frozenset(
    ["p", "div", "section", "article", "main", "header", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "pre", "table", "tbody", "thead", "tfoot", "tr", "td", "th", "figure", "figcaption", "hr", "address", "center", "form", "fieldset", "details", "summary"]
)
_HEADINGS = frozenset(["h1", "h2", "h3", "h4", "h5", "h6"])

# class/id words of widgets every outlet has (checked per word, so "read__content" is not "ad").
_JUNK_WORD = re.compile(
    r"^(?:share|sharing|social|sosmed|socmed|sharebar|related|relateds|terkait|baca-?juga|bacajuga|"
    r"lihat-?juga|komentar|comments?|disqus|ads?|advert\w*|iklan|banner|sponsor\w*|newsletter|"
    r"subscribe|breadcrumbs?|caption|figcaption|credit|photo-?credit|tags?|tagging|topik|"
    r"populer|popular|terpopuler|most-?popular|trending|rekomendasi|recommend\w*|recommendation|"
    r"pilihan|lainnya|widget|sidebar|foto|keterangan|ketfoto|footer|navbar|nav|menu|pagination|paging|pager|"
    r"author-?box|promo|follow|signup|login|modal|popup|cookie|outbrain|taboola|mgid|dfp|gpt|"
    r"video-?embed|twitter-?tweet|instagram-?media|tiktok-?embed|embed|print|font-?size|fontsize|"
    r"rating|reaction|emoji|polling|quiz|prev|next|copyright|baca|bacajg|linksisip|inner-link-baca-juga)$",
    re.IGNORECASE,
)
_WORD_SPLIT = re.compile(r"[\s_\-]+|(?<=[a-z])(?=[A-Z])")

_MIN_CONTAINER_CHARS = 200  # an outlet container with less prose is a wrong match (e.g. a teaser)
# Bounds that keep a hostile page from costing more than a few seconds. Real article pages have
# 1-10 thousand elements; the generic finders are linear-ish but slow per element.
MAX_ELEMENTS = 40_000
_MAX_ELEMENTS_SECOND_OPINION = 15_000
_MAX_PARAGRAPHS = 3_000


@dataclass
class Body:
    paragraphs: list[Para]
    method: str  # which finder supplied the container: outlet | readability | trafilatura
    paywalled: bool = False  # the page shows a subscribe-to-read prompt


def parse_html(html: str) -> lxml.html.HtmlElement | None:
    """Parse a page; None when there is no document at all (empty, whitespace, binary junk)."""
    html = html.replace("\x00", "")
    if not html.strip():
        return None
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    try:
        return lxml.html.document_fromstring(html.encode("utf-8", "replace"), parser=parser)
    except (etree.ParserError, ValueError):
        return None


def _class_words(el: etree._Element) -> list[str]:
    raw = f"{el.get('class') or ''} {el.get('id') or ''}"
    return [w for part in raw.split() for w in (part, *_WORD_SPLIT.split(part)) if w]


def _text_len(el: etree._Element) -> int:
    return len("".join(el.itertext()).strip())


def _widget_class(el: etree._Element) -> bool:
    return any(_JUNK_WORD.match(w) for w in _class_words(el))


def preclean(
    doc: lxml.html.HtmlElement, outlet: outlets.Outlet | None, deadline: Deadline = NO_DEADLINE,
    trace: Trace | None = None,
) -> bool:
    """Remove what is never article text: scripts, widgets, captions, share bars, promos.
    Returns whether the visible page carries a paywall prompt (looked for before widgets go,
    since the prompt usually sits in one).

    Boilerplate is decided by blocks. A widget-looking element is kept when it holds most of the
    page's prose, or wraps the page's main run of paragraphs (some templates put the article in
    a wrapper whose class mentions "sidebar" or "share", and a short item is a small share of
    its page); an inline element inside running text is never cut for its class (a keyword
    link "<a class="inner-link-tag">" is part of the sentence). Hidden in-page sections of the
    article are kept (sections.py); other hidden elements go.
    """
    trace = trace or Trace()
    etree.strip_elements(doc, *_ALWAYS_JUNK, with_tail=False)
    for el in list(doc.iter(etree.Comment, etree.ProcessingInstruction)):
        _drop(el)
    paywalled = cleanup.PAYWALL.search(" ".join(doc.itertext())) is not None
    if outlet is not None:
        for selector in outlet.junk:
            for el in _select(doc, selector):
                trace.drop(f"outlet widget ({selector})", el)
                _drop(el)

    total = max(_prose_weight(doc), 1)
    cluster = main_cluster(doc, is_hidden)
    around_main = protected(cluster if cluster is not None and not _widget_class(cluster) else None)
    sections = hidden_sections(doc, around_main, _widget_class)
    trace.sections = len(sections)
    for el in sections:
        reveal(el)
    for el in list(doc.iter()):
        if not isinstance(el.tag, str) or el.getparent() is None:
            continue
        deadline.check()
        small_aria = el.get("aria-hidden") == "true" and _text_len(el) < 200
        if small_aria or (is_hidden(el) and el not in sections):
            trace.drop("hidden element", el)
            _drop(el)
            continue
        if el.tag in ("figure", "figcaption"):
            trace.drop("figure or caption", el)
            _drop(el)
            continue
        if el.tag in ("body", "html") or el in around_main or inline_in_prose(el):
            continue
        if _widget_class(el) and _prose_weight(el) < 0.4 * total:
            trace.drop("widget by class", el)
            _drop(el)
    _drop_inline_promos(doc, trace)
    _drop_teaser_lists(doc, trace)  # before link blocks go: a teaser is known by its linked headline
    _drop_link_blocks(doc, trace)
    return paywalled


_LEAF_BLOCKS = ("li", "div", "p", "h1", "h2", "h3", "h4", "h5", "h6", "td", "dt", "dd")


def _drop_link_blocks(doc: lxml.html.HtmlElement, trace: Trace) -> None:
    """Drop small blocks that are nothing but a link: menus, related-article lists, tag clouds.

    A body paragraph is never all link; a related headline always is. Only blocks without
    block children are judged, so a container is never dropped for its menus.
    """
    for el in list(doc.iter(*_LEAF_BLOCKS)):
        if el.getparent() is None or next((c for c in el.iterdescendants() if c.tag in _BLOCKS), None) is not None:
            continue
        text = "".join(el.itertext()).strip()
        if not text or len(text) > 250:
            continue
        linked = sum(len("".join(a.itertext()).strip()) for a in el.iter("a"))
        if linked >= 0.9 * len(text):
            trace.drop("block of links", text)
            _drop(el)


_TEASER_ITEM_TAGS = frozenset(("div", "li", "article", "section"))
_MIN_TEASERS = 3


def _drop_teaser_lists(doc: lxml.html.HtmlElement, trace: Trace) -> None:
    """Drop lists of other articles: three or more sibling items of the same kind, each a linked
    headline (in a heading, or a link standing as the item's first block) with a short summary.
    Their summaries read like prose, and on a page with a short article a generic extractor
    would otherwise pick them as the body."""
    for parent in list(doc.iter()):
        if not isinstance(parent.tag, str) or parent.getparent() is None:
            continue
        groups: dict[tuple[str, str], list[etree._Element]] = {}
        for child in parent:
            if isinstance(child.tag, str) and child.tag in _TEASER_ITEM_TAGS:
                groups.setdefault((child.tag, child.get("class") or ""), []).append(child)
        for items in groups.values():
            if len(items) >= _MIN_TEASERS and all(_is_teaser(item) for item in items):
                for item in items:
                    trace.drop("list of teasers", item)
                    _drop(item)


def _is_teaser(item: etree._Element) -> bool:
    linked_heading = any(
        h.find(".//a") is not None or any(a.tag == "a" for a in h.iterancestors())
        for h in item.iter("h1", "h2", "h3", "h4", "h5", "h6")
    )
    return (linked_heading or _leading_headline_link(item)) and len("".join(item.itertext()).strip()) <= 600


def _leading_headline_link(item: etree._Element) -> bool:
    """The item opens with a link holding a headline, followed by a block (the summary):
    "<a><span>Judul</span></a><p>Ringkasan ...</p>". A list item whose link runs on into its
    text ("<a>Nama</a>: keterangan") is not one."""
    if (item.text or "").strip():
        return False
    first = next((c for c in item if isinstance(c.tag, str)), None)
    if first is None or first.tag != "a" or (first.tail or "").strip():
        return False
    nxt = first.getnext()
    words = len("".join(first.itertext()).split())
    return 2 <= words <= 25 and nxt is not None and nxt.tag in _BLOCKS


def _prose_weight(el: etree._Element) -> int:
    """Characters of text under el that are not link text: a cheap measure of how much of the
    page's prose an element holds (menus and related lists weigh nothing)."""
    text = sum(len(t.strip()) for t in el.itertext())
    links = sum(len(t.strip()) for a in el.iter("a") for t in a.itertext())
    return text - links


def _drop(el: etree._Element) -> None:
    """Remove an element but keep its tail text (the text after it belongs to its parent)."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail and tail.strip():
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


def _select(doc: etree._Element, selector: str) -> list[etree._Element]:
    from lxml.cssselect import ExpressionError, SelectorSyntaxError

    try:
        return list(doc.cssselect(selector))
    except (SelectorSyntaxError, ExpressionError):  # a bad selector in outlets.py must not take a page down
        return []


def _drop_inline_promos(doc: lxml.html.HtmlElement, trace: Trace) -> None:
    """"Baca juga: <a>headline</a>" inside a paragraph: drop the label and the linked headline.

    Outlets put these mid-paragraph (Tribun, Kompas, Detik); the text around them is body.
    """
    for a in list(doc.iter("a")):
        _drop_link_after_text_label(a, trace)
    for el in list(doc.iter("strong", "b", "em", "i", "span", "a", "p", "div", "li", "h2", "h3", "h4", "h5")):
        if el.getparent() is None:
            continue
        text = " ".join("".join(el.itertext()).split())
        if not cleanup.PROMO_LABEL.match(text):
            continue
        if el.tag in ("p", "div", "li", "h2", "h3", "h4", "h5"):
            if len(text) <= 300:
                trace.drop("Baca juga block", text)
                _drop(el)  # the whole block is the promo
            continue
        if cleanup.PROMO_LABEL.fullmatch(text) and not (el.tail or "").strip(" :\u00a0\t\n"):
            # A bare label: the headline is the next element, a link (possibly wrapped in <strong>).
            nxt = el.getnext()
            is_link = nxt is not None and (nxt.tag == "a" or nxt.find(".//a") is not None)
            if is_link and len(" ".join("".join(nxt.itertext()).split())) <= 200:
                text = f"{text} {' '.join(''.join(nxt.itertext()).split())}"
                _drop(nxt)
        trace.drop("Baca juga link", text)
        _drop(el)


_TEXT_LABEL = re.compile(r"(?:baca|lihat|simak)\s++juga\s*+(?:[:：]\s*+)?$", re.IGNORECASE)


def _drop_link_after_text_label(a: etree._Element, trace: Trace) -> None:
    """"... kata dia. Baca juga: <a>headline</a> Kalimat berikutnya ..." with the label as plain
    text: cut the label from the text before the link and drop the link."""
    parent = a.getparent()
    if parent is None:
        return
    prev = a.getprevious()
    before = prev.tail if prev is not None else parent.text
    m = _TEXT_LABEL.search(before or "")
    if not m:
        return
    trimmed = before[: m.start()]
    trace.drop("Baca juga link", f"{m.group(0)} {''.join(a.itertext())}")
    if prev is not None:
        prev.tail = trimmed
    else:
        parent.text = trimmed
    _drop(a)


def _select_container(doc: lxml.html.HtmlElement, outlet: outlets.Outlet | None) -> list[etree._Element]:
    if outlet is None:
        return []
    for selector in outlet.body:
        found = _select(doc, selector)
        # Nested matches (a selector list hitting both a wrapper and its child): keep outermost.
        found = [el for el in found if not any(a in found for a in el.iterancestors())]
        if found and sum(_text_len(el) for el in found) >= _MIN_CONTAINER_CHARS:
            return found
    return []


def walk_paragraphs(container: etree._Element) -> list[Para]:
    """Cut an element into paragraphs, in document order, iteratively.

    Block elements and <br> end a paragraph; inline text joins as written (no spaces invented).
    Text inside <a> is counted so that link lists can be told from prose.
    """
    paras: list[Para] = []
    buf: list[str] = []
    link_chars = 0
    link_depth = 0
    kinds: list[str] = []

    def flush() -> None:
        nonlocal buf, link_chars
        text = " ".join("".join(buf).split())
        if text:
            kind = kinds[-1] if kinds else "p"
            ratio = min(link_chars / max(len(text), 1), 1.0)
            paras.append(Para(text, kind, ratio))
        buf = []
        link_chars = 0

    def add(text: str | None) -> None:
        nonlocal link_chars
        if text:
            buf.append(text)
            if link_depth:
                link_chars += len(text.strip())

    for event, el in etree.iterwalk(container, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            if tag in _BLOCKS or tag == "br":
                flush()
            if tag in _HEADINGS:
                kinds.append("h")
            elif tag == "li":
                kinds.append("li")
            elif tag == "blockquote":
                kinds.append("quote")
            if tag == "a":
                link_depth += 1
            add(el.text)
        else:
            if tag == "a":
                link_depth -= 1
            if tag in _BLOCKS:
                flush()
            if (tag in _HEADINGS or tag in ("li", "blockquote")) and kinds:
                kinds.pop()
            if el is not container:
                add(el.tail)
    flush()
    return paras


def _readability_paragraphs(doc: lxml.html.HtmlElement) -> list[Para]:
    try:
        from readability import Document

        summary = Document(copy.deepcopy(doc)).summary(html_partial=True)
    except Exception:  # noqa: BLE001 - readability gives up on some pages (Unparseable, odd trees); trafilatura gets its turn
        return []
    tree = parse_html(summary)
    if tree is None:
        return []
    body = tree.find("body")
    return walk_paragraphs(body if body is not None else tree)


def _trafilatura_paragraphs(doc: lxml.html.HtmlElement) -> list[Para]:
    try:
        import trafilatura

        text = trafilatura.extract(
            copy.deepcopy(doc), include_comments=False, include_tables=False, favor_precision=True, fast=True
        )
    except Exception:  # noqa: BLE001 - as above: a library failure means "this finder found nothing"
        return []
    return [Para(" ".join(line.split())) for line in (text or "").splitlines() if line.strip()]


def _prose_chars(paras: list[Para]) -> int:
    return sum(len(p.text) for p in paras if cleanup.is_prose(p.text) and p.link_ratio < 0.5)


def element_count(doc: etree._Element, limit: int) -> int:
    """Elements in the tree, counting stops just past `limit`."""
    n = 0
    for n, _ in enumerate(doc.iter(), 1):
        if n > limit:
            break
    return n


def find_body(
    doc: lxml.html.HtmlElement, outlet: outlets.Outlet | None, deadline: Deadline = NO_DEADLINE,
    trace: Trace | None = None,
) -> Body:
    """The article's paragraphs, still raw (cleanup.py removes Indonesian boilerplate after)."""
    trace = trace or Trace()
    paywalled = preclean(doc, outlet, deadline, trace)
    containers = _select_container(doc, outlet)
    if containers:
        paras = [p for el in containers for p in walk_paragraphs(el)]
        trace.try_finder("outlet selector", _prose_chars(paras), len(paras))
        if _prose_chars(paras) >= _MIN_CONTAINER_CHARS:
            return Body(paras[:_MAX_PARAGRAPHS], "outlet", paywalled)
    elif outlet is not None and outlet.body:
        trace.tried.append("outlet selector: not on this page")
    deadline.check()
    paras = _readability_paragraphs(doc)
    trace.try_finder("readability", _prose_chars(paras), len(paras))
    if _prose_chars(paras) >= _MIN_CONTAINER_CHARS and sum(cleanup.is_prose(p.text) for p in paras) >= 2:
        return Body(paras[:_MAX_PARAGRAPHS], "readability", paywalled)
    deadline.check()
    if element_count(doc, _MAX_ELEMENTS_SECOND_OPINION) <= _MAX_ELEMENTS_SECOND_OPINION:
        alt = _trafilatura_paragraphs(doc)
        trace.try_finder("trafilatura", _prose_chars(alt), len(alt))
        if _prose_chars(alt) > _prose_chars(paras):
            return Body(alt[:_MAX_PARAGRAPHS], "trafilatura", paywalled)
    return Body(paras[:_MAX_PARAGRAPHS], "readability", paywalled)
