"""The other pages of a multi-page article, found from the links on its first page.

Outlets number pages in the URL in one of a few ways: a query parameter (Kompas, Pikiran Rakyat
"?page=2"; Okezone "?page=2"), a path suffix (Tribun "/2"; Liputan6 and others "-2" or
"/halaman-2"), and label the links "2", "Halaman 2", "Selanjutnya", "Next" or "»". A link is a
page of this article when it points to the same host and the same path once the page number is
taken out; everything else on the page (related articles, section fronts) is not.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from lxml import etree

_PAGE_KEYS = ("page", "p", "hal", "halaman", "pg", "paged", "pagenum")
_PATH_PAGE = re.compile(r"(?:/|-|_)(?:halaman-|hal-|page-|page/)?(\d{1,2})/?$")
_LABEL = re.compile(
    r"^(?:\d{1,2}|halaman\s*\d{1,2}|hal\.?\s*\d{1,2}|page\s*\d{1,2}|selanjutnya|berikutnya|"
    r"halaman\s+(?:selanjutnya|berikutnya)|next|lanjut|»|›|>|>>)$",
    re.IGNORECASE,
)
_MAX_PAGE = 50


def _split_page(url: str) -> tuple[tuple[str, str, str], int | None]:
    """(scheme-less identity of the article, page number or None) for a URL."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    query = parse_qsl(parts.query, keep_blank_values=True)
    page = None
    kept = []
    for key, value in query:
        if key.lower() in _PAGE_KEYS and value.isdigit():
            page = int(value)
        elif key.lower() in _PAGE_KEYS and value.lower() == "all":
            page = 0
        elif key.lower() in ("single",):
            continue
        else:
            kept.append((key, value))
    path = parts.path or "/"
    if page is None:
        m = _PATH_PAGE.search(path)
        # A trailing number is a page only when the rest of the path still names an article.
        if m and len(path[: m.start()].strip("/")) >= 8:
            page = int(m.group(1))
            path = path[: m.start()]
    return (host, path.rstrip("/"), urlencode(sorted(kept))), page


def next_page_urls(doc: etree._Element, url: str) -> list[str]:
    """Absolute URLs of this article's other pages, in page order, without the current one."""
    identity, current = _split_page(url)
    current = current or 1
    if current == 0:  # already the whole-article view
        return []
    pages: dict[int, str] = {}
    for a in doc.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        label = " ".join("".join(a.itertext()).split()) or (a.get("title") or a.get("aria-label") or "")
        rel = (a.get("rel") or "").lower()
        if not (_LABEL.match(label) or "next" in rel.split()):
            continue
        absolute = urljoin(url, href).split("#")[0]
        if urlsplit(absolute).scheme not in ("http", "https"):
            continue
        other, number = _split_page(absolute)
        if other == identity and number is not None and number != current and 1 <= number <= _MAX_PAGE:
            pages.setdefault(number, absolute)
    return [pages[n] for n in sorted(pages)]


def page_number(url: str) -> int | None:
    """The page number a URL asks for: None for an unnumbered URL, 0 for an all-pages view."""
    return _split_page(url)[1]
