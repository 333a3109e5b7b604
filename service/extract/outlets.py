"""Per-outlet rules, as data: where the body sits, which widgets to drop, how to ask for all pages.

These are hints on top of the generic extractor (htmlbody.py), never a requirement: a selector
that is missing from a page, or that finds less than a paragraph of prose, is ignored and the
generic finder takes over. So a redesign degrades to generic extraction instead of failing.

Where a selector comes from: the outlets' current templates as used by public scrapers of them
(checked in 2025 code: gikirima/indonews-scrapper, rmzq/python-news-scraper,
babalenong/Scrapy-Indonesian-News-Articles, Mcx002/scraping-news and others). None is taken from
the test corpus, whose 2015-2017 pages go through the generic path.

Which outlet a page is, is decided by the host it was fetched from: a page's canonical link or
og:url is its own claim, and a page on one site that names another (kompas.com) is not that
outlet. `same_site` compares registrable domains for that.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit


# Where a rule was checked: "corpus <file>" is a real page in ../shared/corpus (gated by
# tests/test_corpus.py); "not on a real page" means the selector comes from public scrapers only.
GENERIC = "generic path"


@dataclass(frozen=True)
class Outlet:
    name: str  # how the outlet names itself (Article.site)
    domains: tuple[str, ...]  # registered domains; subdomains match too
    body: tuple[str, ...] = ()  # CSS selectors of the body container, tried in order
    junk: tuple[str, ...] = ()  # CSS selectors of widgets inside or around the body
    all_pages: tuple[str, str] | None = None  # query (key, value) that shows a multi-page article whole
    credits: str = ""  # how the outlet credits its articles (read by cleanup.py's generic rules)
    checked: str = GENERIC  # the real page(s) the rules were checked on, or that it relies on the generic path


OUTLETS: tuple[Outlet, ...] = (
    Outlet(
        "Kompas.com",
        ("kompas.com",),
        # read__content: the article template since 2018 (all subdomains: nasional, regional, bola...)
        body=("div.read__content",),
        # inline "Baca juga" links and the photo/caption block above the body
        junk=("a.inner-link-baca-juga", "div.photo__wrap"),
        # long articles are split into pages; ?page=all shows the whole text
        all_pages=("page", "all"),
        credits='dateline "JAKARTA, KOMPAS.com -"; "Penulis | Editor" table cells',
        checked="selector and widgets: corpus kompas-5 (2023); kompas-1..4 (2015-17) by the generic path",
    ),
    Outlet(
        "Tribunnews.com",
        # the national site and its regional sites (tribunjogja.com, tribunjatim.com, ...)
        ("tribunnews.com", "tribunjogja.com", "tribunjatim.com", "tribunjabar.id", "tribunbatam.id",
         "tribunmedan.com", "tribunbali.com", "tribun-medan.com", "tribun-timur.com", "tribunlampung.co.id"),
        # txt-article: body text; the paragraphs sit directly in it
        body=("div.side-article.txt-article", "div.txt-article"),
        # pages are /2, /3 ...; ?page=all shows the whole article
        all_pages=("page", "all"),
        credits='"Laporan Wartawan Tribunnews.com, Nama"; "Artikel ini telah tayang di ..." (source)',
        checked="selector: corpus tribunnews-1 (2020), tribunnews-2, tribunnews-3 (2017)",
    ),
    Outlet(
        "detikcom",
        ("detik.com",),
        # detail__body-text / itp_bodycontent: the article template since 2019
        body=("div.detail__body-text", "div.itp_bodycontent", "div#detikdetailtext"),
        # photo captions inside the body, and the inline "Baca juga" box (linksisip, "sisip" = insert)
        junk=("p.para_caption", "table.linksisip", "div.linksisip"),
        # multi-page articles show whole with ?single=1
        all_pages=("single", "1"),
        credits='byline "Nama - detikinet" (author); dateline "Jakarta -"; desk code "(fyk/ash)"',
        checked="selector and widgets: corpus detik-2 (detikHealth 2023); detik-1 (2015) by the generic path",
    ),
    Outlet(
        "CNN Indonesia",
        ("cnnindonesia.com",),
        # detail-text: the article body (same CMS family as detik)
        body=("div.detail-text", "div.detail_text"),
        junk=("table.linksisip", "div.linksisip", "p.para_caption"),
        credits='dateline "Jakarta, CNN Indonesia --"; desk code "(fea)"',
        checked="not on a real page (public scrapers' selector)",
    ),
    Outlet(
        "CNBC Indonesia",
        ("cnbcindonesia.com",),
        body=("div.detail-text", "div.detail_text"),
        junk=("table.linksisip", "div.linksisip", "p.para_caption"),
        credits='dateline "Jakarta, CNBC Indonesia -"; desk code "(fsd/fsd)"',
        checked="not on a real page (public scrapers' selector)",
    ),
    Outlet(
        "Liputan6.com",
        # KLY network sites share the article template
        ("liputan6.com", "fimela.com", "bola.com"),
        # article-content-body__item-content: one per page section of the body; hidden sections
        # (display:none, data-page) are kept by sections.py, whatever the selector
        body=("div.article-content-body__item-content",),
        credits='dateline "Liputan6.com, Jakarta -"; desk code "(Cas/Isk)"',
        checked="selector not on a real page; corpus liputan6-1, liputan6-2 (2015) by the generic path",
    ),
    Outlet(
        "Antara",
        ("antaranews.com",),
        # wrap__article-detail-content post-content: article body since 2019
        body=("div.wrap__article-detail-content.post-content", "div.post-content"),
        credits='dateline "Mataram (ANTARA) -"; "Pewarta: X / Editor: Y"; code "(T.A043)"',
        checked="selector not on a real page; corpus antaranews-1..4 (2015-16) by the generic path",
    ),
    Outlet(
        "Tempo.co",
        ("tempo.co",),
        # content-wrapper: the 2024 Nuxt template
        body=("div#content-wrapper",),
        credits='dateline "TEMPO.CO, Jakarta -"; the reporter in capitals after the body ("DINI TEJA")',
        checked="selector not on a real page; corpus tempo-1 (2015) by the generic path",
    ),
    Outlet(
        "Republika",
        ("republika.co.id", "ihram.co.id"),
        # article-content > article: body text; picked-article: the inline "Baca juga" box
        body=("div.article-content article",),
        junk=("div.picked-article", "div.baca-juga"),
        credits='dateline "REPUBLIKA.CO.ID, JAKARTA --"; "Red: X", "Sumber: Antara"',
        checked="selector not on a real page; corpus republika-1, ihram-1 (2015-16) by the generic path",
    ),
    Outlet(
        "Okezone",
        ("okezone.com",),
        # c-detail read: the article body (2020s template); contentx: the 2015-17 template
        body=("div.c-detail.read", "div#contentx"),
        credits='dateline "JAKARTA -"; "(wal)" desk code',
        checked="selector div#contentx: corpus okezone-1, okezone-3 (2016-17); okezone-2 by the generic path",
    ),
    Outlet(
        "Merdeka.com",
        ("merdeka.com",),
        # mdk-body-paragraph: the article body; KLY in-page sections are kept by sections.py
        body=("div.mdk-body-paragraph",),
        credits='dateline "Merdeka.com -"; desk code "(mdk/yan)"',
        checked="not on a real page (public scrapers' selector)",
    ),
    Outlet("Suara.com", ("suara.com",), credits='dateline "Suara.com -"; code "[sc]"'),
    Outlet("kumparan", ("kumparan.com",), credits="rendered by JavaScript: the JSON-LD articleBody"),
    Outlet(
        "IDN Times",
        ("idntimes.com",),
        # each paragraph is a p.article-text; ads are interleaved in .wrapper-ads
        body=("p.article-text",),
        junk=("div.wrapper-ads",),
        checked="not on a real page (public scrapers' selector)",
    ),
    Outlet(
        "Media Indonesia",
        ("mediaindonesia.com",),
        # div.article: the body; related links, ad carpets and the author box inside it
        body=("div.article",),
        junk=("p.related-news", "div.flying-carpet", "div.ext-channel", "div.info-author", "div.dfp-ad"),
        credits='desk code "(H-4)"',
        checked="not on a real page (public scrapers' selector)",
    ),
    Outlet(
        "Pikiran Rakyat",
        ("pikiran-rakyat.com",),
        # paragraphs sit directly in <article>; pages are ?page=N listed in div.paging__item
        body=("article > p",),
        checked="not on a real page (public scrapers' selector)",
    ),
    Outlet(
        "SINDOnews",
        ("sindonews.com",),
        body=("div#detail-desc", "div.detail-desc"),
        checked="not on a real page (public scrapers' selector)",
    ),
    Outlet("Tirto.id", ("tirto.id",), body=("div.content-text-editor",),
           checked="not on a real page (public scrapers' selector)"),
    Outlet("Kompasiana", ("kompasiana.com",), body=("div.read-content",),
           checked="not on a real page (public scrapers' selector)"),
    Outlet("Kontan", ("kontan.co.id",), body=("div.tmpt-desk-kon",),
           checked="not on a real page (public scrapers' selector)"),
    Outlet("VIVA.co.id", ("viva.co.id",), checked="generic path: corpus viva-1 (2016)"),
    Outlet("KapanLagi.com", ("kapanlagi.com",), credits='desk code "(kpl/pur/tch)"; captions end "© Instagram.com"',
           checked="generic path: corpus kapanlagi-1, kapanlagi-2 (2015)"),
    Outlet("Bisnis.com", ("bisnis.com",), checked="generic path: corpus bisnis-1"),
    Outlet("Jawa Pos", ("jawapos.com",)),
    Outlet("Beritasatu", ("beritasatu.com",)),
    Outlet("JPNN.com", ("jpnn.com",), credits='dateline "jpnn.com, JAKARTA -"; desk code "(boy/jpnn)"',
           checked="generic path: corpus jpnn-1 (2021, web-archive capture)"),
    Outlet("Katadata", ("katadata.co.id",)),
    Outlet("iNews", ("inews.id",)),
    Outlet("VOA Indonesia", ("voaindonesia.com",)),
    # Grid (grid.id) relies on the generic path with no row: every domain label here is also a
    # site-name word for metadata.py's title rules, and "grid" is a word headlines use.
    # BBC Indonesia is bbc.com/indonesia: a path on a host shared with every BBC service, so it
    # has no row here (a row would claim all of bbc.com) and relies on the generic path.
)


def host_of(url: str | None) -> str:
    if not url:
        return ""
    try:
        host = urlsplit(url if "//" in url else f"//{url}").hostname or ""
    except ValueError:
        return ""
    return host.lower().rstrip(".")


# Second-level labels under which a domain is registered one level deeper ("kompas.co.id" is
# registered, "co.id" is not): Indonesia's, and the few others Indonesian outlets link to. Not the
# whole Public Suffix List; a suffix missing here makes two sites under it look like one.
_PUBLIC_SECOND_LEVEL = frozenset((
    "co.id", "or.id", "go.id", "ac.id", "sch.id", "web.id", "my.id", "biz.id", "net.id", "mil.id",
    "desa.id", "ponpes.id", "co.uk", "org.uk", "ac.uk", "gov.uk", "com.au", "net.au", "org.au",
    "com.sg", "com.my", "co.jp", "com.cn", "com.hk", "co.kr", "com.br",
))


def registrable_domain(host: str) -> str:
    """The part of a host name that one owner registers: "nasional.kompas.com" -> "kompas.com",
    "www.republika.co.id" -> "republika.co.id". An IP address or a one-label name is itself."""
    host = host.lower().rstrip(".")
    try:
        ipaddress.ip_address(host.strip("[]"))
        return host
    except ValueError:
        pass
    labels = host.split(".")
    keep = 3 if len(labels) >= 3 and ".".join(labels[-2:]) in _PUBLIC_SECOND_LEVEL else 2
    return ".".join(labels[-keep:])


def same_site(url: str | None, other: str | None) -> bool:
    """Both URLs are on hosts of one registrable domain (m.example.com and www.example.com)."""
    a, b = host_of(url), host_of(other)
    return bool(a) and bool(b) and registrable_domain(a) == registrable_domain(b)


def outlet_for(url: str | None) -> Outlet | None:
    """The outlet whose domain (or a subdomain of it) serves this URL."""
    host = host_of(url)
    if not host:
        return None
    for outlet in OUTLETS:
        for domain in outlet.domains:
            if host == domain or host.endswith("." + domain):
                return outlet
    return None


def outlet_named(name: str) -> Outlet | None:
    """The outlet a site name stands for: its own name, one of its domains, or a domain's first
    label ("KOMPAS.com", "Tribunnews", "detik.com"); None for any other name."""
    key = " ".join(name.split()).casefold().removeprefix("www.")
    for outlet in OUTLETS:
        if key == outlet.name.casefold() or any(key in (d, d.split(".")[0]) for d in outlet.domains):
            return outlet
    return None


_ARTICLE_PATH = re.compile(r"/[^/]+/.+|/read/|\d{4,}")


def all_pages_url(url: str) -> str | None:
    """The outlet's URL that shows a multi-page article whole, or None for other outlets/pages."""
    outlet = outlet_for(url)
    if outlet is None or outlet.all_pages is None:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not _ARTICLE_PATH.search(parts.path or ""):
        return None  # a section front or the home page: nothing to unfold
    key, value = outlet.all_pages
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != key]
    query.append((key, value))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))
