"""Article metadata from a page's head and visible chrome: title, author, date, site, canonical URL.

Titles: pages decorate their <title> and og:title with the site ("... - Kompas.com",
"... | Republika Online", "KapanLagi.com: ...", "... - Health :: Okezone Lifestyle"). Rather than
a list of suffixes per outlet, the headline is the piece of those strings that the page also
shows as a heading, or that two of them agree on; stripping site-like pieces is the last resort.

Dates: machine-readable meta first (article:published_time, itemprop datePublished, pubdate,
JSON-LD), then Indonesian text ("Kamis, 5 November 2015 | 11:13 WIB", "18/05/2023, 16:00 WIB"),
written out as ISO 8601 with the zone when the page states one (WIB +07:00, WITA +08:00,
WIT +09:00).

Site and canonical URL: a page fetched from a host is that host's, whatever its canonical link,
og:url or og:site_name claim; those are believed only when they stay on the fetched site (same
registrable domain). A saved page or a paste has no fetched host, so there its claim stands.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from lxml import etree

from . import outlets
from .cleanup import NO_DEADLINE, Deadline, comparable, credit_line, normalize_space, strip_bidi


@dataclass
class Metadata:
    title: str = ""
    author: str | None = None
    published: str | None = None
    site: str | None = None
    canonical: str | None = None
    article_body: str | None = None  # JSON-LD articleBody, when the page carries one


# ---------------------------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------------------------

_MONTHS = {
    "januari": 1, "january": 1, "jan": 1, "februari": 2, "february": 2, "feb": 2, "pebruari": 2,
    "maret": 3, "march": 3, "mar": 3, "april": 4, "apr": 4, "mei": 5, "may": 5, "juni": 6, "june": 6,
    "jun": 6, "juli": 7, "july": 7, "jul": 7, "agustus": 8, "august": 8, "agu": 8, "agt": 8, "ags": 8,
    "aug": 8, "september": 9, "sept": 9, "sep": 9, "oktober": 10, "october": 10, "okt": 10, "oct": 10,
    "november": 11, "nopember": 11, "nov": 11, "desember": 12, "december": 12, "des": 12, "dec": 12,
}
_ZONES = {"wib": "+07:00", "wita": "+08:00", "wit": "+09:00", "utc": "+00:00", "gmt": "+00:00", "z": "+00:00"}

_ISO = re.compile(
    r"(?P<y>(?:19|20)\d{2})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})"
    r"(?:[\sT]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?(?:\.\d+)?)?\s*(?P<z>Z|[+-]\d{2}:?\d{2})?"
)
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
_TEXT_DATE = re.compile(
    rf"\b(?P<d>\d{{1,2}})\s+(?P<mon>{_MONTH_NAMES})\.?\s+(?P<y>(?:19|20)\d{{2}})"
    r"(?:[\s,|/\-–]+(?:pukul\s+)?(?P<H>\d{1,2})[:.](?P<M>\d{2})(?::(?P<S>\d{2}))?)?"
    r"\s*(?P<z>WIB|WITA|WIT|UTC|GMT)?",
    re.IGNORECASE,
)
_EN_TEXT_DATE = re.compile(
    rf"\b(?P<mon>{_MONTH_NAMES})\.?\s+(?P<d>\d{{1,2}}),?\s+(?P<y>(?:19|20)\d{{2}})"
    r"(?:[\s,|]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?)?\s*(?P<z>WIB|WITA|WIT|UTC|GMT)?",
    re.IGNORECASE,
)
_NUMERIC_DATE = re.compile(
    r"\b(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>(?:19|20)\d{2})"
    r"(?:[\s,|\-–]+(?:pukul\s+)?(?P<H>\d{1,2})[:.](?P<M>\d{2})(?::(?P<S>\d{2}))?)?\s*(?P<z>WIB|WITA|WIT|UTC|GMT)?",
    re.IGNORECASE,
)


def _iso(y: int, m: int, d: int, hh: str | None, mm: str | None, ss: str | None, zone: str | None) -> str | None:
    if not (1 <= m <= 12 and 1 <= d <= 31 and 1990 <= y <= 2100):
        return None
    date = f"{y:04d}-{m:02d}-{d:02d}"
    if hh is None or mm is None:
        return date
    h, mi, s = int(hh), int(mm), int(ss or 0)
    if h > 23 or mi > 59 or s > 59:
        return date
    out = f"{date}T{h:02d}:{mi:02d}:{s:02d}"
    if zone:
        z = _ZONES.get(zone.lower())
        if z is None:
            z = zone if ":" in zone else f"{zone[:3]}:{zone[3:]}"
        out += z
    return out


def parse_date(text: str | None) -> str | None:
    """An ISO 8601 date or date-time from a machine or Indonesian/English human date string."""
    if not text:
        return None
    text = normalize_space(text)
    m = _ISO.search(text)
    if m:
        return _iso(int(m["y"]), int(m["m"]), int(m["d"]), m["H"], m["M"], m["S"], m["z"])
    for pattern in (_TEXT_DATE, _EN_TEXT_DATE):
        m = pattern.search(text)
        if m:
            return _iso(int(m["y"]), _MONTHS[m["mon"].lower()], int(m["d"]), m["H"], m["M"], m["S"], m["z"])
    m = _NUMERIC_DATE.search(text)
    if m:
        return _iso(int(m["y"]), int(m["m"]), int(m["d"]), m["H"], m["M"], m["S"], m["z"])
    return None


# ---------------------------------------------------------------------------------------------
# Reading the head
# ---------------------------------------------------------------------------------------------


def _metas(doc: etree._Element) -> dict[str, list[str]]:
    """All <meta> values by lower-cased name/property/itemprop."""
    found: dict[str, list[str]] = {}
    for el in doc.iter("meta"):
        content = el.get("content")
        if content is None or not content.strip():
            continue
        for attr in ("property", "name", "itemprop"):
            key = el.get(attr)
            if key:
                found.setdefault(key.strip().lower(), []).append(normalize_space(content))
    return found


def _json_ld(doc: etree._Element) -> list[dict]:
    """NewsArticle-like objects from JSON-LD scripts (nested @graph lists flattened)."""
    objects: list[dict] = []
    for el in doc.iter("script"):
        if (el.get("type") or "").strip().lower() != "application/ld+json" or not el.text:
            continue
        try:
            data = json.loads(el.text)
        except (ValueError, RecursionError):  # malformed, or nested deep enough to exhaust the stack
            continue
        stack = [data]
        while stack and len(objects) < 50:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                if "@graph" in item:
                    stack.append(item["@graph"])
                if any(k in item for k in ("headline", "datePublished", "author", "articleBody")):
                    objects.append(item)
    return objects


def _ld_name(value: object, depth: int = 0) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        name = value.get("name")
        return name if isinstance(name, str) else None
    if isinstance(value, list) and depth < 3:  # authors come as a flat list; deeper is junk
        names = [n for n in (_ld_name(v, depth + 1) for v in value) if n]
        return ", ".join(names) if names else None
    return None


def _first(metas: dict[str, list[str]], *keys: str) -> str | None:
    for key in keys:
        for value in metas.get(key, ()):
            if value:
                return value
    return None


def _text(el: etree._Element) -> str:
    return normalize_space("".join(el.itertext()))


# ---------------------------------------------------------------------------------------------
# Title
# ---------------------------------------------------------------------------------------------

# Both may start anywhere, so neither starts inside a run of spaces it would only retry.
_SEPARATORS = re.compile(r"(?<!\s)\s++(?:\||-|–|—|::|:|»|·|/)\s++|(?<=\S):\s++(?=\S)")


def _segments(title: str) -> list[str]:
    return [s for s in _SEPARATORS.split(title) if s.strip()]


def _runs(title: str) -> dict[str, str]:
    """Every contiguous run of separator-delimited pieces, by comparable form.

    "A - B | C" yields A, B, C, "A - B", "B | C" and the whole, each as written in the title.
    """
    pieces: list[tuple[int, int]] = []
    pos = 0
    for m in _SEPARATORS.finditer(title):
        pieces.append((pos, m.start()))
        pos = m.end()
    pieces.append((pos, len(title)))
    runs: dict[str, str] = {}
    for i in range(len(pieces)):
        for j in range(i, min(len(pieces), i + 6)):
            text = title[pieces[i][0] : pieces[j][1]].strip()
            if text:
                runs.setdefault(comparable(text), text)
    return runs


_SITE_WORD_SPLIT = re.compile(r"[\s.\-:]+")
_WORD = re.compile(r"[a-z0-9]+")
_ORGANISATION = re.compile(r"\b(?:pt|media|cyber|redaksi|admin|tim)\b")


def _site_words(site: str | None, host: str) -> set[str]:
    words = set()
    for source in (site or "", host):
        for w in _SITE_WORD_SPLIT.split(source.lower()):
            if len(w) >= 4 and w not in {"www", "news", "online", "berita", "indonesia", "media"}:
                words.add(w)
    return words


# Names of known outlets (their domains' first labels): "Republika Online", "Tempo Gaya" are sites.
_OUTLET_WORDS = frozenset(
    d.split(".")[0].replace("-", "") for o in outlets.OUTLETS for d in o.domains
) | {"antara", "kompas", "tribun", "detik", "okezone", "liputan6", "republika", "tempo", "viva", "merdeka"}
_SITE_PIECE = re.compile(r"\.(?:com|co\.id|id|net|co)\b|\b(?:online|portal berita|news)\b", re.IGNORECASE)


def _looks_like_site(piece: str, site_words: set[str]) -> bool:
    """A short piece naming a site ("Kompas.com", "Republika Online", "Health :: Okezone")."""
    low = piece.lower()
    words = _WORD.findall(low)
    if not 0 < len(words) <= 5:
        return False
    joined = "".join(words)  # "Media Indonesia" -> "mediaindonesia", the domain's label
    return (
        any(w in low for w in site_words) or bool(_SITE_PIECE.search(low))
        or any(w in _OUTLET_WORDS for w in words) or joined in _OUTLET_WORDS or joined in site_words
    )


# "Judul Berita Halaman all - Kompas.com": the page number an all-pages or page-2 view adds.
_PAGE_SUFFIX = re.compile(
    r"(?<!\s)\s++(?:halaman|hal\.?|page)\s++(?:all|semua|\d{1,2})(?=\s++[-|–—:]\s|$)", re.IGNORECASE
)


def _site_at_edge(title: str, site_words: set[str]) -> bool:
    """The title starts or ends with a site-like piece ("... | ihram.co.id", "KapanLagi.com: ...")."""
    pieces = _segments(title)
    return bool(pieces) and (_looks_like_site(pieces[0], site_words) or _looks_like_site(pieces[-1], site_words))


_TITLE_WORD = re.compile(r"[^\W_]++")


def _word_key(text: str) -> tuple[str, ...]:
    """The words of a title, without punctuation or case: "Naik Lagi: Apa Benar?" = "naik lagi apa benar"."""
    return tuple(_TITLE_WORD.findall(comparable(text)))


def _agreed_title(runs: list[dict[str, str]], site_words: set[str]) -> str | None:
    """The longest piece that two meta titles share, not a site name."""
    if len(runs) < 2:
        return None
    common: dict[str, str] = {}
    for i, r in enumerate(runs):
        for key, text in r.items():
            if any(key in other for j, other in enumerate(runs) if j != i):
                common.setdefault(key, text)
    agreed = [t for t in common.values() if len(t.split()) >= 2 and not _site_at_edge(t, site_words)]
    return max(agreed, key=len) if agreed else None


def choose_title(candidates: list[str], headings: list[str], site: str | None, host: str) -> str:
    """The headline: a heading the meta titles contain, else what two meta titles agree on,
    else the best meta title with site-like pieces stripped, else the first heading.

    A heading counts as contained when it has the same words as a piece of a meta title: some
    sites strip the punctuation from <title>, og:title and JSON-LD ("Naik Lagi Apa Benar Stok
    Aman") while the visible <h1> reads "Naik Lagi: Apa Benar Stok Aman?", and the reader's
    headline is the visible one. The longest such heading wins, and one that only <title> holds
    loses to what the other meta titles agree on, so a logo <h1> is not taken for the headline."""
    candidates = [_PAGE_SUFFIX.sub("", normalize_space(c)) for c in candidates if c and c.strip()]
    headings = [normalize_space(h) for h in headings if h and h.strip()]
    site_words = _site_words(site, host)

    runs = [_runs(c) for c in candidates]
    words_of = [{_word_key(text) for text in r.values()} for r in runs]
    by_support: dict[int, str] = {}  # 1 or 2 (two or more meta titles hold it) -> longest heading
    for h in headings:
        key, hw = comparable(h), _word_key(h)
        if len(h.split()) < 2 or _looks_like_site(h, site_words) and len(h.split()) < 4:
            continue
        support = min(2, sum(key in r or hw in w for r, w in zip(runs, words_of)))
        if support and len(h) > len(by_support.get(support, "")):
            by_support[support] = h
    if 2 in by_support:
        return by_support[2]

    agreed = _agreed_title(runs, site_words)
    # A heading only one meta title holds, when the others agree on something longer, is the
    # site's logo or a section name printed in <title> ("... - Warta Pangan").
    if 1 in by_support and not (agreed and len(agreed) > len(by_support[1])):
        return by_support[1]
    if agreed:
        return agreed

    for c in candidates:
        pieces = _segments(c)
        while len(pieces) > 1 and _looks_like_site(pieces[-1], site_words):
            pieces.pop()
            if len(pieces) > 1 and len(pieces[-1].split()) <= 2:
                pieces.pop()  # a section label next to the site name ("Health :: Okezone")
        while len(pieces) > 1 and _looks_like_site(pieces[0], site_words):
            pieces.pop(0)
        if pieces:
            # Rebuild from the original text so inner separators survive ("Tri Indonesia: Broadband ...")
            start = c.find(pieces[0])
            end = c.rfind(pieces[-1]) + len(pieces[-1])
            return c[start:end].strip() if start >= 0 and end > start else " ".join(pieces)
    return headings[0] if headings else ""


# ---------------------------------------------------------------------------------------------
# Author
# ---------------------------------------------------------------------------------------------

_BYLINE_CLASS = re.compile(r"(?:^|[\s_-])(?:author|penulis|reporter|byline|writer|wartawan|pewarta)(?:$|[\s_-])",
                           re.IGNORECASE)
_BYLINE_LABEL = re.compile(r"^(?:oleh|penulis|reporter|pewarta|by|editor)\s*[:|]?\s*", re.IGNORECASE)


def _plausible_name(value: str | None, site_words: set[str]) -> str | None:
    if not value:
        return None
    value = _BYLINE_LABEL.sub("", normalize_space(value)).strip(" |-,")
    if not value or "://" in value or "@" in value or len(value) > 80 or len(value.split()) > 8:
        return None
    low = value.lower()
    if _looks_like_site(value, site_words) or _ORGANISATION.search(low):
        return None
    if sum(c.isdigit() for c in value) > 2:
        return None
    return value


_PHOTO_CONTEXT = re.compile(r"photo|foto|caption|image|img|gambar|media|thumb", re.IGNORECASE)


def _byline(doc: etree._Element, site_words: set[str], deadline: Deadline = NO_DEADLINE) -> str | None:
    """A name in an element marked as the author's (class/id/rel/itemprop), not a photo credit."""
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        marked = el.get("rel") == "author" or el.get("itemprop") == "author" or _BYLINE_CLASS.search(
            f"{el.get('class') or ''} {el.get('id') or ''}"
        )
        if not marked or el.tag in ("meta", "link"):
            continue
        deadline.check()
        if any(
            a.tag in ("figure", "figcaption") or _PHOTO_CONTEXT.search(f"{a.get('class') or ''} {a.get('id') or ''}")
            for a in (el, *el.iterancestors())
        ):
            continue
        text = _text(el)
        credits = credit_line(text) or {}
        name = _plausible_name(credits.get("author") or text, site_words)
        if name:
            return name
    return None


# ---------------------------------------------------------------------------------------------
# The whole set
# ---------------------------------------------------------------------------------------------

_DATE_CLASS = re.compile(r"date|time|tanggal|waktu|publish", re.IGNORECASE)
_SKIP_TEXT = frozenset(("script", "style", "noscript", "template", "head", "title", "option"))
_URL_DATE = re.compile(r"/((?:19|20)\d{2})/(\d{2})/(\d{2})/")


def _text_segments(doc: etree._Element) -> list[tuple[etree._Element, str]]:
    """(element, text) pieces of visible text in document order, iteratively."""
    segments: list[tuple[etree._Element, str]] = []
    skip_depth = 0
    for event, el in etree.iterwalk(doc, events=("start", "end")):
        if not isinstance(el.tag, str):
            continue
        if event == "start":
            if el.tag in _SKIP_TEXT:
                skip_depth += 1
            elif not skip_depth and el.text and el.text.strip():
                segments.append((el, el.text))
        else:
            if el.tag in _SKIP_TEXT:
                skip_depth -= 1
            if not skip_depth and el.tail and el.tail.strip():
                segments.append((el.getparent() if el.getparent() is not None else el, el.tail))
    return segments


def _stamped_date(doc: etree._Element, title: str) -> str | None:
    """A date with a time and an Indonesian zone ("4 November 2015 | 21:04 WIB"): how outlets
    stamp the article itself. The first one after the headline wins; related lists further down
    carry dates too, but rarely a zone."""
    segments = _text_segments(doc)
    start = 0
    key = comparable(title) if title else ""
    if key:
        for i, (el, text) in enumerate(segments):
            if comparable(text) == key:
                start = i
                break
    for begin in (start, 0):
        window = " ".join(t[:300] for _, t in segments[begin : begin + 400])
        for pattern in (_TEXT_DATE, _NUMERIC_DATE):
            for m in pattern.finditer(window):
                if m["z"] and m["H"]:
                    return parse_date(m.group(0))
    return None


def _stamp_wins(meta: str, stamped: str) -> bool:
    """Whether the page's visible stamp ("10:08 WIB") corrects the meta tag's time: the tag has
    no zone, or it puts the same wall-clock time in another zone (a WIB time labelled UTC, as
    detik's tags do). Two readings of one instant (02:20 UTC and 09:20 WIB) need no correction."""
    if len(meta) < 16 or not stamped.startswith(meta[:16]):
        return False
    return len(meta) == 19 or meta[19:].replace("Z", "+00:00") != stamped[19:]


def _url_date(url: str | None) -> str | None:
    m = _URL_DATE.search(urlsplit(url).path if url else "")
    return _iso(int(m[1]), int(m[2]), int(m[3]), None, None, None, None) if m else None


def _visible_date(doc: etree._Element, deadline: Deadline = NO_DEADLINE) -> str | None:
    """Last resort: an element whose class says it holds a date (may be a related item's)."""
    for el in doc.iter():
        if not isinstance(el.tag, str) or el.tag in ("script", "style", "meta"):
            continue
        if _DATE_CLASS.search(f"{el.get('class') or ''} {el.get('id') or ''}"):
            deadline.check()
            text = _text(el)
            if len(text) <= 120:
                value = parse_date(text)
                if value:
                    return value
    return None


def _headings(doc: etree._Element) -> list[str]:
    found = []
    for el in doc.iter("h1", "h2", "h3"):
        text = _text(el)
        if 2 <= len(text.split()) <= 40:
            found.append(text)
        if len(found) >= 40:
            break
    return found


def _canonical(doc: etree._Element, metas: dict[str, list[str]], url: str | None) -> str | None:
    """The page's canonical URL; for a fetched page (url given) only one on the site it came from."""
    options = [el.get("href") for el in doc.iter("link") if "canonical" in (el.get("rel") or "").lower().split()]
    options += metas.get("og:url", [])
    options.append(url)
    for option in options:
        if not option or not option.strip():
            continue
        try:
            absolute = strip_bidi(urljoin(url or "", option.strip()))
            parts = urlsplit(absolute)
            valid = parts.scheme in ("http", "https") and bool(parts.hostname)
        except ValueError:  # "http://[oops/": not a URL at all
            continue
        if valid and (url is None or outlets.same_site(absolute, url)):
            return absolute
    return None


def _own_site_name(og_site: str | None, host: str, fetched: bool) -> str | None:
    """og:site_name, unless a fetched page uses it to name a known outlet it was not fetched from."""
    if not og_site or not fetched:
        return og_site
    claimed = outlets.outlet_named(og_site)
    return None if claimed is not None and claimed is not outlets.outlet_for(host) else og_site


def _site_from_title(title_el: etree._Element | None, headline: str) -> str | None:
    """What <title> adds to the headline, when short: "... - ANTARA News" -> "ANTARA News"."""
    if title_el is None or not headline:
        return None
    full = _text(title_el)
    pos = full.find(headline)
    if pos < 0:
        return None
    rest = _SEPARATORS.sub(" | ", " " + full[pos + len(headline) :] + " ").strip(" |")
    rest = rest.split(" | ")[-1].strip() if rest else ""
    return rest if rest and len(rest.split()) <= 4 else None


def read_metadata(doc: etree._Element, url: str | None = None, deadline: Deadline = NO_DEADLINE) -> Metadata:
    """Metadata from a parsed page (before any cleaning: scripts hold JSON-LD).

    `url` is where the page was fetched from (after redirects), None for a saved page or a paste.
    """
    metas = _metas(doc)
    ld = _json_ld(doc)
    deadline.check()
    canonical = _canonical(doc, metas, url)
    host = outlets.host_of(canonical or url)
    outlet = outlets.outlet_for(canonical or url)

    og_site = _own_site_name(_first(metas, "og:site_name", "application-name"), host, fetched=url is not None)
    site = outlet.name if outlet else og_site or (host.removeprefix("www.") if host else None)
    site_words = _site_words(og_site, host) | _site_words(site, "")

    candidates = [
        _first(metas, "og:title"), _first(metas, "twitter:title"), _first(metas, "title", "headline"),
        *[obj.get("headline") for obj in ld if isinstance(obj.get("headline"), str)],
    ]
    title_el = doc.find(".//title")
    if title_el is not None:
        candidates.append(_text(title_el))
    title = choose_title([c for c in candidates if c], _headings(doc), og_site or site, host)
    deadline.check()

    author = None
    for obj in ld:
        author = _plausible_name(_ld_name(obj.get("author")), site_words)
        if author:
            break
    author = author or _plausible_name(
        _first(metas, "author", "content_author", "dc.creator", "article:author", "byl", "parsely-author"),
        site_words,
    ) or _byline(doc, site_words, deadline)
    deadline.check()

    published = None
    for value in (
        _first(metas, "article:published_time", "og:published_time", "datepublished", "pubdate", "publishdate",
               "publish-date", "content_publisheddate", "dc.date.issued", "dc.date", "date", "sailthru.date",
               "parsely-pub-date", "datecreated"),
        *[obj.get("datePublished") for obj in ld if isinstance(obj.get("datePublished"), str)],
    ):
        published = parse_date(value)
        if published:
            break
    if not published:
        for el in doc.iter("time"):
            published = parse_date(el.get("datetime"))
            if published:
                break
    stamped = _stamped_date(doc, title)
    deadline.check()
    if published and stamped and _stamp_wins(published, stamped):
        published = stamped
    published = published or stamped or _url_date(canonical) or _visible_date(doc, deadline)
    if not site:
        site = _site_from_title(title_el, title)

    bodies = [obj.get("articleBody") for obj in ld if isinstance(obj.get("articleBody"), str)]
    article_body = max(bodies, key=len) if bodies else None
    return Metadata(title=title, author=author, published=published, site=site, canonical=canonical,
                    article_body=article_body)
