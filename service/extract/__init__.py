"""Extraction: the article (headline, body, credits, date) out of a page or a select-all paste.

- `page`: the entry points, `extract_html` and `extract_text`, and the "no article" gate.
- `body`: the body finders for HTML (outlet selectors, readability, trafilatura, JSON-LD).
- `pasted`: a select-all paste of a news page, read line by line.
- `cleanup`: the Indonesian boilerplate rules shared by both ("Baca juga", promos, credits).
- `metadata`: headline, author, date and outlet from meta tags, JSON-LD and the page.
- `outlets`: what is known per outlet (body selectors, all-pages views, credit formats).
- `pagination`: the links to an article's next pages.
- `charset`: bytes to text, whatever charset the page claims.
- `language`: which language the article is in.
"""

from __future__ import annotations

from .charset import decode_html
from .cleanup import comparable
from .language import detect_language
from .outlets import host_of, outlet_for
from .page import all_pages_url, extract_html, extract_text, next_page_urls

__all__ = [
    "all_pages_url",
    "comparable",
    "decode_html",
    "detect_language",
    "extract_html",
    "extract_text",
    "host_of",
    "next_page_urls",
    "outlet_for",
]
