"""Hidden parts of a page that are still the article: in-page sections shown one at a time.

Some outlets (the KLY family: Merdeka, KapanLagi, Fimela, Liputan6, Bola) send the whole article
in one page but show one section at a time: the other sections sit in `div`s hidden with
`style="display:none"` or marked with paging attributes (`data-paging_num="2"`), each with its own
subheading, and readers page through them with buttons. Hidden by CSS is not the same as not
article, so such a section is kept. Other hidden things (modals, menus, templates, newsletter
pop-ups) still go: a hidden element is a section only when

- it carries a paging attribute with a page number, or it is a same-class sibling of the visible
  section that holds the page's main run of paragraphs, and
- it holds prose, and its class does not name a widget (the caller's `is_widget`).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml import etree

from .cleanup import is_prose

_HIDDEN_STYLE = re.compile(r"display\s*+:\s*+none|visibility\s*+:\s*+hidden", re.IGNORECASE)
# data-paging_num, data-paging, data-page, data-page-num, data-section, data-slide-index, data-part
_PAGING_ATTR = re.compile(
    r"^data-(?:paging|page|section|slide|part|step)(?:[_-]?+(?:num|number|no|index|idx|id))?$", re.IGNORECASE
)
_PAGE_NUMBER = re.compile(r"^\s*+\d{1,2}\s*+$")


def reveal(el: etree._Element) -> None:
    """Show a kept section to the finders that come after (readability skips hidden blocks)."""
    el.attrib.pop("style", None)
    el.attrib.pop("hidden", None)


def is_hidden(el: etree._Element) -> bool:
    """Hidden from a reader by the page itself: the `hidden` attribute or an inline style."""
    style = el.get("style")
    return el.get("hidden") is not None or bool(style and _HIDDEN_STYLE.search(style))


def has_paging_attribute(el: etree._Element) -> bool:
    return any(_PAGING_ATTR.match(name) and _PAGE_NUMBER.match(value or "") for name, value in el.items())


def _holds_prose(el: etree._Element) -> bool:
    for block in el.iter("p", "div", "li", "blockquote"):
        if block.find("p") is not None or block.find("div") is not None:
            continue
        if is_prose(" ".join("".join(block.itertext()).split())):
            return True
    return False


def _visible_twin(el: etree._Element, around_main: frozenset[etree._Element]) -> bool:
    """A sibling of the same tag and class is shown and holds the page's main paragraphs."""
    parent = el.getparent()
    if parent is None:
        return False
    cls = el.get("class") or ""
    return any(
        sib is not el and sib.tag == el.tag and (sib.get("class") or "") == cls and sib in around_main
        and not is_hidden(sib)
        for sib in parent
    )


def hidden_sections(
    doc: etree._Element, around_main: frozenset[etree._Element], is_widget: Callable[[etree._Element], bool]
) -> set[etree._Element]:
    """The hidden elements of `doc` that are sections of the article, to keep.

    `around_main`: the element with the page's main run of paragraphs and its ancestors.
    """
    found: set[etree._Element] = set()
    for el in doc.iter():
        if not isinstance(el.tag, str) or el.tag in ("template", "script", "style") or not is_hidden(el):
            continue
        if not (has_paging_attribute(el) or _visible_twin(el, around_main)):
            continue
        if is_widget(el) or not _holds_prose(el):
            continue
        found.add(el)
    return found
