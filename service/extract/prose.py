"""Where the page's running text is, so that widget rules cannot remove it.

Two guards for preclean (body.py), both about deciding boilerplate by blocks:

- `main_cluster`: the element holding the most paragraphs of prose side by side. A short news
  item is a small share of a page full of teasers, so "most of the page's prose" cannot be the
  test of whether a wrapper with a widget-like class ("layout--with-sidebar") is the article's.
  The wrappers around the main cluster are never widgets.
- `inline_in_prose`: an inline element (a link, a span) in the middle of running text. Its words
  are part of the sentence ("Menteri Perhubungan (<a class="inner-link-tag">Menhub</a>)"), so a
  class word such as "tag" on it says nothing about the block it sits in.
"""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from .cleanup import is_prose

_INLINE = frozenset((
    "a", "span", "strong", "b", "em", "i", "u", "small", "sup", "sub", "font", "mark", "abbr", "cite",
    "q", "time", "del", "ins", "s", "code", "kbd", "var", "dfn", "bdi", "bdo", "data", "wbr",
))
_MAX_PARAGRAPHS_SCANNED = 20_000  # far more than any article page has
_MIN_OWN_TEXT = 15  # characters of running text around an inline element that make it inline prose


def _block_ancestor(el: etree._Element) -> etree._Element | None:
    for a in el.iterancestors():
        if isinstance(a.tag, str) and a.tag not in _INLINE:
            return a
    return None


def inline_in_prose(el: etree._Element) -> bool:
    """An inline element with running text of its block on either side of it (or around it)."""
    if not isinstance(el.tag, str) or el.tag not in _INLINE:
        return False
    block = _block_ancestor(el)
    if block is None:
        return False
    inside = len("".join(el.itertext()).strip())
    around = len("".join(block.itertext()).strip()) - inside
    return around >= _MIN_OWN_TEXT and is_prose(" ".join("".join(block.itertext()).split()))


def _prose_of_paragraph(p: etree._Element) -> int:
    text = " ".join("".join(p.itertext()).split())
    if not is_prose(text):
        return 0
    linked = sum(len(t.strip()) for a in p.iter("a") for t in a.itertext())
    return len(text) - linked if linked < 0.5 * len(text) else 0


def main_cluster(
    doc: etree._Element, hidden: Callable[[etree._Element], bool] = lambda el: False
) -> etree._Element | None:
    """The element whose own visible <p> children carry the most prose (link text not counted).

    Teaser lists put one summary in each item, so their paragraphs have different parents; an
    article's paragraphs are siblings. None when the page has no paragraph of prose.
    """
    weight: dict[etree._Element, int] = {}
    for n, p in enumerate(doc.iter("p")):
        if n >= _MAX_PARAGRAPHS_SCANNED:
            break
        parent = p.getparent()
        if parent is None or any(hidden(a) for a in (p, *p.iterancestors())):
            continue
        w = _prose_of_paragraph(p)
        if w:
            weight[parent] = weight.get(parent, 0) + w
    if not weight:
        return None
    return max(weight, key=weight.__getitem__)


def protected(cluster: etree._Element | None) -> frozenset[etree._Element]:
    """The main cluster and every element around it: never dropped as a widget."""
    if cluster is None:
        return frozenset()
    return frozenset((cluster, *cluster.iterancestors()))
