"""Many inputs at once: a list of URLs, a JSONL or CSV file, or a news feed / sitemap -> `Item`s.

Used by `batch` (and meant for the web app's "many links at once"). Each reader returns
`Item`s with a unique `id`; nothing here fetches an article or runs a model.

- `.txt`: one URL a line; blank lines and `#` comments are skipped; the id is the line number.
- `.jsonl` / `.csv`: an optional `id` (the line number otherwise) and exactly one of `url`,
  `text` or `file`. A line that is not an object, or has none or several of those fields, is
  still an item: it becomes an error row (`Item.problem`), so one bad line never stops a batch.
- an http(s) URL: an RSS/Atom feed (parsed by feedparser, which copes with the many
  malformed feeds outlets publish), a sitemap (`urlset`, `news:news`, and `sitemapindex`
  followed one level deep, at most `MAX_CHILD_SITEMAPS` children), or an outlet's section or
  front page (the links on it, on the outlet's own site, whose address looks like an article's:
  `article_links`). Fetched through the guarded fetcher (`fetch.fetch`), so the SSRF guard and
  every size and time bound apply; links are de-duplicated in order and the id of each is its URL.

The web app's "many articles" view reads the same inputs: several links pasted one a line, or
one feed or section page (`from_feed`, when the link is not an article: `looks_like_list_url`
says when to try it first).

Ids must be unique within one input: a repeated id is an `InputError` naming both lines.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

from .config import Settings
from .errors import InputError

__all__ = [
    "FEED_TYPES",
    "Item",
    "article_links",
    "failure_means_list",
    "from_feed",
    "link_lines",
    "looks_like_article_url",
    "looks_like_feed_url",
    "looks_like_list_url",
    "parse_feed",
    "read_inputs",
    "read_items",
    "usable_link",
]

KINDS = ("url", "text", "file")
FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/xml",
    "text/xml",
    "application/rdf+xml",
    "application/x-rss+xml",
    "text/html",  # some servers label their feeds as web pages
    "text/plain",
)
MAX_CHILD_SITEMAPS = 50


@dataclass(frozen=True)
class Item:
    """One input of a batch: `kind` is url, text or file; `problem` is set for an unusable line."""

    id: str
    kind: str
    value: str
    problem: str | None = None

    @property
    def shown(self) -> str:
        """What the output's `input` field says: the URL or path, or the text's beginning."""
        if self.kind == "text":
            one = " ".join(self.value.split())
            return one if len(one) <= 100 else one[:97] + "..."
        return self.value


def read_inputs(source: str, settings: Settings, *, fetcher: Callable[..., object] | None = None) -> list[Item]:
    """The items of INPUT: a feed/sitemap URL, or a .txt, .jsonl or .csv file."""
    if source.strip().lower().startswith(("http://", "https://")):
        return from_feed(source.strip(), settings, fetcher=fetcher)
    path = Path(source)
    try:
        data = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"There is no input file at {path}. Give a .txt, .jsonl or .csv file, or a feed URL.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"The input file {path} cannot be read as UTF-8 text ({exc}).") from None
    return read_items(data, path.suffix.lower().lstrip(".") or "txt", base=path.parent)


def read_items(data: str, fmt: str, *, base: Path | None = None) -> list[Item]:
    """Items from the text of an input file; `fmt` is txt, jsonl (or json/ndjson) or csv."""
    if fmt in ("jsonl", "ndjson", "json"):
        items = list(_jsonl(data))
    elif fmt == "csv":
        items = list(_csv(data))
    elif fmt in ("txt", "list", "urls"):
        items = list(_txt(data))
    else:
        raise InputError(f"The input must be a .txt, .jsonl or .csv file (or a feed URL), not .{fmt}.")
    if base is not None:
        items = [_resolve_file(i, base) for i in items]
    return _unique(items)


def _txt(data: str) -> Iterable[Item]:
    for n, line in _numbered_lines(data):
        yield Item(str(n), "url", line)


def link_lines(data: str) -> list[str]:
    """The lines of a list of links (a .txt input, or links pasted one a line): stripped, with
    blank lines and `#` comments skipped."""
    return [line for _, line in _numbered_lines(data)]


def _numbered_lines(data: str) -> Iterable[tuple[int, str]]:
    for n, line in enumerate(data.splitlines(), 1):
        line = line.strip()
        if line and not line.startswith("#"):
            yield n, line


def _record(n: int, record: object) -> Item:
    if not isinstance(record, dict):
        return Item(str(n), "text", "", problem=f"Line {n} is not an object with a url, text or file field.")
    given = [k for k in KINDS if record.get(k) not in (None, "")]
    raw_id = record.get("id")
    ident = str(n) if raw_id in (None, "") else str(raw_id)
    if len(given) != 1:
        what = "none" if not given else " and ".join(given)
        value = "" if not given else str(record[given[0]])
        return Item(ident, given[0] if given else "text", value,
                    problem=f"Line {n} has {what} of url, text and file; give exactly one.")
    return Item(ident, given[0], str(record[given[0]]))


def _jsonl(data: str) -> Iterable[Item]:
    for n, line in enumerate(data.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Item(str(n), "text", "", problem=f"Line {n} is not valid JSON ({exc.msg}).")
            continue
        yield _record(n, record)


def _csv(data: str) -> Iterable[Item]:
    reader = csv.DictReader(io.StringIO(data))
    fields = {f.strip().lower() for f in reader.fieldnames or []}
    if not fields & set(KINDS):
        raise InputError("The CSV file needs a header row with a url, text or file column (and optionally id).")
    for row in reader:
        n = reader.line_num
        yield _record(n, {(k or "").strip().lower(): (v or "").strip() for k, v in row.items() if k})


def _resolve_file(item: Item, base: Path) -> Item:
    if item.kind != "file" or item.problem:
        return item
    p = Path(item.value).expanduser()
    return item if p.is_absolute() else Item(item.id, item.kind, str(base / p))


def _unique(items: list[Item]) -> list[Item]:
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        if item.id in seen:
            raise InputError(f"The id {item.id!r} is used twice in the input (items {seen[item.id] + 1} and {i + 1}); ids must be unique.")
        seen[item.id] = i
    return items


# ---------------------------------------------------------------------------------------------
# Feeds and sitemaps
# ---------------------------------------------------------------------------------------------


def from_feed(
    url: str,
    settings: Settings,
    *,
    fetcher: Callable[..., object] | None = None,
    max_children: int = MAX_CHILD_SITEMAPS,
) -> list[Item]:
    """The article links of an RSS/Atom feed, a (news) sitemap or a section page at `url`,
    de-duplicated; only clean http(s) addresses. `max_children`: how many child sitemaps of a
    sitemap index are read (one level deep); the web app reads none, so that one request is
    one fetch here."""
    if fetcher is None:
        from .fetch import fetch as fetcher
    page = fetcher(url, settings, accept=FEED_TYPES)
    links, children = parse_feed(page.body, page.url, media=getattr(page, "content_type", ""))  # type: ignore[attr-defined]
    if children and max_children <= 0:
        raise InputError(f"{url} is a sitemap index (a list of sitemaps): give one of its sitemaps instead.")
    for child in children[:max_children]:  # a sitemap index: one level, bounded
        sub = fetcher(child, settings, accept=FEED_TYPES)
        more, _ = parse_feed(sub.body, sub.url)  # type: ignore[attr-defined]
        links.extend(more)
    unique = list(dict.fromkeys(link for link in links if usable_link(link)))
    return [Item(link, "url", link) for link in unique]


def parse_feed(body: bytes, url: str = "", *, media: str = "") -> tuple[list[str], list[str]]:
    """(article links, child sitemaps) of a feed, a sitemap, or a web page listing articles."""
    sitemap = _sitemap(body)
    if sitemap is not None:
        return sitemap
    web_page = _is_web_page(body, media)
    if web_page:
        links = article_links(body, url)
        if links:
            return links, []
    import feedparser

    parsed = feedparser.parse(body, response_headers={"content-location": url} if url else None)
    if web_page and not parsed.entries:
        raise InputError(f"{url or 'The page'} is not a news feed, and no links to articles were found on it.")
    if not parsed.entries and parsed.get("bozo") and not parsed.get("feed"):
        raise InputError(f"{url or 'The input'} is neither an RSS/Atom feed nor a sitemap.")
    links = []
    for entry in parsed.entries:
        link = entry.get("link") or next((l.get("href") for l in entry.get("links", []) if l.get("href")), None)
        if link:
            links.append(str(link).strip())
    return links, []


_MAX_LINK_CHARS = 2000


def usable_link(link: str) -> bool:
    """A link an item may hold: an http(s) address with a host, no spaces or control characters."""
    if not link or len(link) > _MAX_LINK_CHARS or any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in link):
        return False
    parts = urlsplit(link)
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def _sitemap(body: bytes) -> tuple[list[str], list[str]] | None:
    from lxml import etree

    try:
        root = etree.fromstring(body, parser=etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False))
    except etree.XMLSyntaxError:
        return None
    tag = etree.QName(root).localname
    if tag not in ("urlset", "sitemapindex"):
        return None
    locs = [
        (el.text or "").strip()
        for el in root.iter("{*}loc")
        if etree.QName(el.getparent()).localname in ("url", "sitemap") and (el.text or "").strip()
    ]
    return (locs, []) if tag == "urlset" else ([], locs)


# ---------------------------------------------------------------------------------------------
# Section and front pages: the links that look like articles
# ---------------------------------------------------------------------------------------------

# An article's address carries an id or a date, or ends in a slug of several words; a section,
# tag or search page has neither. (Kompas /read/2024/01/02/12345678/slug, detik /d-7123456/slug,
# CNN Indonesia /20240102123456-20-1234567/slug, Liputan6 /read/5512345/slug, Antara
# /berita/3912345/slug, Tempo /slug-1234567.)
_ID = re.compile(r"\d{5,}")
_DATE_PATH = re.compile(r"/(?:19|20)\d\d/[01]?\d/[0-3]?\d(?:/|$)")
_SLUG = re.compile(r"^[^\W_]+(?:[-_][^\W_]+){3,}(?:\.s?html?)?$")  # four or more words
_NOT_ARTICLES = frozenset(
    "tag tags topik topic author authors penulis editor indeks index search cari login masuk "
    "register daftar subscribe berlangganan about tentang kontak contact redaksi pedoman "
    "privacy kebijakan-privasi disclaimer karir career sitemap rss feed".split()
)
_FEED_PATH = re.compile(r"(?:^|/)(?:rss|feed|atom)(?:/|\.|$)|\.(?:xml|rss|atom)$", re.IGNORECASE)
_CHROME = frozenset(("header", "nav", "footer"))
_CONTENT = frozenset(("article", "main", "section"))  # a header or footer inside one is the card's own
MAX_PAGE_LINKS = 200  # links read from one section page (the web view takes the first 20)
MAX_PAGE_ANCHORS = 20_000  # <a> elements looked at on one page (a front page has a few hundred)


def looks_like_article_url(url: str) -> bool:
    """Whether an address looks like one article's (an id, a date, or a slug of several words)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return False
    segments = [s for s in parts.path.split("/") if s]
    if not segments or any(s.lower() in _NOT_ARTICLES for s in segments[:-1] + [segments[-1].split(".")[0]]):
        return False
    return bool(
        any(_ID.search(s) for s in segments)
        or _DATE_PATH.search(parts.path)
        or _SLUG.match(segments[-1])
    )


def looks_like_feed_url(url: str) -> bool:
    """An address that names a feed or sitemap (…/rss, …/feed, ….xml)."""
    return bool(_FEED_PATH.search(urlsplit(url).path))


def failure_means_list(exc: Exception, url: str) -> bool:
    """Whether reading `url` as one article failed because it is a list of articles: a feed's
    media type, or no article on a page whose address is not an article's (a section or front
    page). An article's address that fails (a paywall teaser) keeps its own message: its links
    are other articles, which the reader did not ask for."""
    from .errors import ExtractionError, ExtractionTimeoutError, UnsupportedContentError

    if isinstance(exc, UnsupportedContentError):
        return exc.media in FEED_TYPES
    return (
        isinstance(exc, ExtractionError)
        and not isinstance(exc, ExtractionTimeoutError)
        and (looks_like_list_url(url) or not looks_like_article_url(url))
    )


def looks_like_list_url(url: str) -> bool:
    """An address to read as a list of articles before trying it as one: a feed's, or a known
    outlet's front or section page (its address is not an article's; the outlets' article
    addresses all carry an id, a date or a long slug, which the corpus test checks)."""
    from .extract.outlets import outlet_for

    return looks_like_feed_url(url) or (outlet_for(url) is not None and not looks_like_article_url(url))


def article_links(body: bytes, url: str) -> list[str]:
    """The links of a section or front page that lead to articles on the page's own site, in
    page order, each once (fragments dropped), the page itself excluded."""
    from lxml import etree, html

    from .extract.outlets import same_site

    try:
        doc = html.fromstring(body)
    except (etree.ParserError, ValueError):
        return []
    base = url
    base_el = doc.find(".//base[@href]")
    if base_el is not None:
        base = urljoin(url, base_el.get("href", ""))
    own = _without_fragment(url)
    found: dict[str, None] = {}
    for a in _content_anchors(doc):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        link = _without_fragment(urljoin(base, href))
        if link == own or link in found or not usable_link(link) or not looks_like_article_url(link):
            continue
        if url and not same_site(link, url):
            continue
        found[link] = None
        if len(found) >= MAX_PAGE_LINKS:
            break
    return list(found)


def _content_anchors(doc: Any) -> Iterable[Any]:
    """The page's <a> elements outside its menus and footer (header, nav, footer), in page
    order, at most MAX_PAGE_ANCHORS: one walk of the tree, however deep the nesting."""
    from lxml import etree

    inside_chrome = 0  # open menus, and headers/footers of the page (not of an article card)
    inside_content = 0  # open article/main/section elements
    chrome_stack: list[bool] = []  # for each open header/footer/nav: whether it counted as chrome
    seen = 0
    for event, el in etree.iterwalk(doc, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in _CONTENT:
            inside_content += 1 if event == "start" else -1
        elif tag in _CHROME:
            if event == "start":
                counts = tag == "nav" or not inside_content
                chrome_stack.append(counts)
                inside_chrome += counts
            else:
                inside_chrome -= chrome_stack.pop() if chrome_stack else 0
        elif tag == "a" and event == "start" and not inside_chrome:
            seen += 1
            if seen > MAX_PAGE_ANCHORS:
                return
            yield el


def _without_fragment(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, ""))


_LEADING_COMMENTS = re.compile(rb"^(?:\s|<!--.{0,2000}?-->)*", re.DOTALL)


def _is_web_page(body: bytes, media: str) -> bool:
    """HTML, not a feed labelled as a web page: feeds start (after a byte-order mark, white
    space and comments) with an XML declaration or their root element."""
    head = body[:4096].removeprefix(b"\xef\xbb\xbf")
    head = head[_LEADING_COMMENTS.match(head).end():].lower()  # type: ignore[union-attr]
    if head.startswith(b"<?xml") or head.startswith((b"<rss", b"<feed", b"<rdf")):
        return False
    return media in ("text/html", "application/xhtml+xml") or head.startswith((b"<!doctype html", b"<html"))
