"""Many inputs at once: URL lists, JSONL, CSV, RSS/Atom feeds and news sitemaps -> items."""

from __future__ import annotations

import json

import pytest

from service.config import Settings
from service.errors import BlockedURLError, InputError
from service.inputs import from_feed, parse_feed, read_inputs, read_items
from tests.localserver import serve


def test_a_url_list_skips_blank_lines_and_comments_and_numbers_by_line():
    items = read_items("# my list\nhttps://a.example/1\n\n  https://a.example/2  \n# done\n", "txt")
    assert [(i.id, i.kind, i.value) for i in items] == [("2", "url", "https://a.example/1"), ("4", "url", "https://a.example/2")]


def test_jsonl_takes_an_id_or_the_line_number_and_keeps_bad_lines_as_problems():
    data = "\n".join([
        json.dumps({"id": "x1", "url": "https://a.example/1"}),
        json.dumps({"text": "Berita hari ini"}),
        "not json",
        json.dumps({"url": "https://a.example/2", "text": "both"}),
        json.dumps([1, 2]),
        json.dumps({"id": 7, "file": "page.html"}),
    ])
    items = read_items(data, "jsonl")
    assert [i.id for i in items] == ["x1", "2", "3", "4", "5", "7"]
    assert [i.kind for i in items[:2]] == ["url", "text"] and items[5].kind == "file"
    assert [bool(i.problem) for i in items] == [False, False, True, True, True, False]
    assert "url and text" in items[3].problem


def test_csv_reads_a_header_and_resolves_files_next_to_the_input(tmp_path):
    (tmp_path / "in.csv").write_text("id,url,text\na,https://a.example/1,\nb,,Teks berita\n", encoding="utf-8")
    items = read_inputs(str(tmp_path / "in.csv"), Settings())
    assert [(i.id, i.kind) for i in items] == [("a", "url"), ("b", "text")]
    with pytest.raises(InputError, match="header"):
        read_items("name,other\nx,y\n", "csv")


def test_a_repeated_id_is_refused_naming_it():
    with pytest.raises(InputError, match="'a'.*twice"):
        read_items('{"id": "a", "text": "x"}\n{"id": "a", "text": "y"}\n', "jsonl")


def test_a_missing_input_file_and_an_unknown_format_are_one_clear_error(tmp_path):
    with pytest.raises(InputError, match="no input file"):
        read_inputs(str(tmp_path / "nope.txt"), Settings())
    with pytest.raises(InputError, match=".xlsx"):
        read_items("x", "xlsx")


def _rss(n: int) -> str:
    items = "".join(
        f"<item><title>Berita {i}</title><link>https://news.example/berita/{i % max(n - 1, 1) if n > 2 else i}</link></item>"
        for i in range(n)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Kanal</title>{items}</channel></rss>'


@pytest.mark.parametrize("n", [0, 1, 50])
def test_an_rss_feed_with_0_1_and_50_items_gives_its_unique_links_in_order(n):
    with serve({"/rss": (200, {"Content-Type": "application/rss+xml; charset=utf-8"}, _rss(n))}) as base:
        items = from_feed(f"{base}/rss", Settings(allow_private_urls=True))
        assert base.requests[0].header("accept").startswith("application/rss+xml")
    links = [i.value for i in items]
    assert len(links) == len(set(links))  # the 50-item feed repeats one link: kept once
    assert len(links) == {0: 0, 1: 1, 50: 49}[n]
    assert all(i.id == i.value and i.kind == "url" for i in items)


def test_an_atom_feed_gives_its_entry_links():
    atom = ('<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>'
            '<entry><title>a</title><link href="https://news.example/a"/></entry>'
            '<entry><title>b</title><link rel="alternate" href="https://news.example/b"/></entry></feed>')
    links, children = parse_feed(atom.encode(), "https://news.example/atom")
    assert links == ["https://news.example/a", "https://news.example/b"] and children == []


def test_a_news_sitemap_index_is_followed_one_level():
    news = ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
            '<url><loc>https://news.example/1</loc><news:news><news:title>Satu</news:title></news:news></url>'
            '<url><loc>https://news.example/2</loc></url></urlset>')
    routes = {"/news.xml": (200, {"Content-Type": "application/xml"}, news)}
    with serve(routes) as base:
        index = (f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                 f'<sitemap><loc>{base}/news.xml</loc></sitemap><sitemap><loc>{base}/news.xml</loc></sitemap></sitemapindex>')
        routes["/index.xml"] = (200, {"Content-Type": "text/xml"}, index)
        items = from_feed(f"{base}/index.xml", Settings(allow_private_urls=True))
    assert [i.value for i in items] == ["https://news.example/1", "https://news.example/2"]


def test_a_feed_url_goes_through_the_guard():
    with serve({"/rss": (200, {"Content-Type": "application/rss+xml"}, _rss(1))}) as base:
        with pytest.raises(BlockedURLError):
            read_inputs(f"{base}/rss", Settings(allow_private_urls=False))
        assert base.requests == []


def test_a_page_that_is_neither_feed_nor_sitemap_is_one_error():
    with pytest.raises(InputError, match="neither"):
        parse_feed(b"\x00\x01 not xml at all <<<", "https://x.example/")


# --------------------------------------------------------------------------- section and front pages

SECTION = """<!doctype html><html lang="id"><head><meta charset="utf-8"><title>Nasional - Contoh News</title></head><body>
<header><nav><a href="/">Beranda</a> <a href="/kanal/nasional">Nasional</a> <a href="/kanal/ekonomi">Ekonomi</a>
<a href="/tag/banjir-jakarta-hari-ini-sekali">#banjir</a> <a href="/login">Masuk</a></nav></header>
<main><h1>Nasional</h1>
<article><h2><a href="/berita/10001/pasar-baru-diresmikan-bupati">Pasar Baru Diresmikan Bupati</a></h2><p>Bupati meresmikan pasar.</p></article>
<article><h2><a href="berita/10002/jalan-desa-diperbaiki-warga#komentar">Jalan Desa Diperbaiki Warga</a></h2></article>
<article><a href="/berita/10001/pasar-baru-diresmikan-bupati"><img alt="" src="/a.jpg"></a></article>
<article><h2><a href="https://m.contoh.id/2026/12/01/sekolah">Sekolah Baru</a></h2></article>
<article><h2><a href="https://lain.example/berita/99999/berita-situs-lain">Situs lain</a></h2></article>
</main><footer><a href="/redaksi">Redaksi</a> <a href="/pedoman-media-siber-kami-ini">Pedoman</a></footer></body></html>"""


def test_a_section_page_gives_its_article_links_on_its_own_site_in_order():
    links, children = parse_feed(SECTION.encode(), "https://www.contoh.id/kanal/", media="text/html")
    assert links == [
        "https://www.contoh.id/berita/10001/pasar-baru-diresmikan-bupati",
        "https://www.contoh.id/kanal/berita/10002/jalan-desa-diperbaiki-warga",  # relative, fragment dropped
        "https://m.contoh.id/2026/12/01/sekolah",  # another host of the same site
    ]
    assert children == []


@pytest.mark.parametrize("url, article", [
    ("https://www.kompas.com/read/2024/01/02/12345678/warga-bangun-jembatan", True),
    ("https://news.detik.com/berita/d-7123456/judul-berita-ini", True),
    ("https://www.cnnindonesia.com/nasional/20240102123456-20-1234567/judul", True),
    ("https://www.liputan6.com/news/read/5512345/judul-berita", True),
    ("https://www.antaranews.com/berita/3912345/judul-berita", True),
    ("https://www.tempo.co/politik/prabowo-lantik-menteri-baru-1234567", True),
    ("https://news.detik.com/berita", False),
    ("https://www.kompas.com/", False),
    ("https://www.kompas.com/tag/banjir-jakarta-hari-ini", False),
    ("https://www.tempo.co/author/nama-penulis-yang-panjang-sekali", False),
    ("mailto:redaksi@contoh.id", False),
])
def test_article_addresses_are_told_from_section_tag_and_author_pages(url, article):
    from service.inputs import looks_like_article_url

    assert looks_like_article_url(url) is article


def test_a_section_page_url_is_read_like_a_feed_and_one_without_article_links_is_one_error():
    html = {"Content-Type": "text/html; charset=utf-8"}
    empty = "<!doctype html><html><body><a href='/kanal/a'>A</a><p>Tidak ada berita.</p></body></html>"
    with serve({"/kanal": (200, html, SECTION), "/kosong": (200, html, empty)}) as base:
        items = read_inputs(f"{base}/kanal", Settings(allow_private_urls=True))
        assert [i.value for i in items][:2] == [f"{base}/berita/10001/pasar-baru-diresmikan-bupati",
                                                f"{base}/berita/10002/jalan-desa-diperbaiki-warga"]
        with pytest.raises(InputError, match="no links to articles"):
            from_feed(f"{base}/kosong", Settings(allow_private_urls=True))


def test_an_rss_feed_labelled_as_a_web_page_is_still_read_as_a_feed():
    links, _ = parse_feed(_rss(2).encode(), "https://news.example/rss", media="text/html")
    assert links == ["https://news.example/berita/0", "https://news.example/berita/1"]


def test_links_after_nested_menus_count_and_links_inside_them_do_not():
    page = ("<html><body><header><nav><ul><li><a href='/berita/1/menu-satu-dua-tiga'>m</a></li></ul></nav>"
            "<a href='/berita/2/header-satu-dua-tiga'>h</a></header>"
            "<main><a href='/berita/3/isi-satu-dua-tiga'>i</a></main>"
            "<footer><a href='/berita/4/kaki-satu-dua-tiga'>f</a></footer>"
            "<a href='/berita/5/akhir-satu-dua-tiga'>e</a></body></html>").encode()
    links, _ = parse_feed(page, "https://contoh.id/", media="text/html")
    assert links == ["https://contoh.id/berita/3/isi-satu-dua-tiga", "https://contoh.id/berita/5/akhir-satu-dua-tiga"]


def test_every_article_of_the_shared_corpus_has_an_address_that_looks_like_an_article():
    """The heuristic that decides "section page or article" must never take a real article's
    address for a section page (the page would then be read for its links)."""
    import re
    from pathlib import Path

    from service.inputs import looks_like_article_url, looks_like_list_url

    corpus = Path(__file__).resolve().parents[2] / "shared" / "corpus"
    if not (corpus / "manifest.jsonl").exists():
        pytest.skip("../shared/corpus is not here (a fresh clone has none)")
    found = 0
    for manifest in ("manifest.jsonl", "manifest-more.jsonl"):
        for line in (corpus / manifest).read_text(encoding="utf-8").splitlines():
            page = (corpus / "html" / json.loads(line)["file"]).read_bytes().decode("utf-8", "replace")
            urls = re.findall(r"<link[^>]+rel=[\"']canonical[\"'][^>]+href=[\"']([^\"']+)", page) + re.findall(
                r"property=[\"']og:url[\"'][^>]+content=[\"']([^\"']+)", page)
            if urls:
                found += 1
                assert looks_like_article_url(urls[0]), urls[0]
                assert not looks_like_list_url(urls[0]), urls[0]
    assert found >= 30


def test_a_feed_with_a_byte_order_mark_or_a_comment_first_is_still_a_feed():
    for head in (b"\xef\xbb\xbf", b"<!-- generated by the outlet -->\n", b"\xef\xbb\xbf  <!-- a --><!-- b -->"):
        links, _ = parse_feed(head + _rss(2).encode(), "https://news.example/rss", media="text/html")
        assert links == ["https://news.example/berita/0", "https://news.example/berita/1"]


def test_a_header_inside_an_article_card_is_the_cards_own_not_the_sites_menu():
    page = ("<html><body><header><a href='/berita/1/menu-satu-dua-tiga'>m</a></header><main>"
            "<article><header><h2><a href='/read/2024/01/02/12345678/judul'>Judul</a></h2></header></article>"
            "<section><footer><a href='/berita/2/kartu-satu-dua-tiga'>k</a></footer></section>"
            "<article><nav><a href='/berita/3/navigasi-satu-dua-tiga'>n</a></nav></article>"
            "</main></body></html>").encode()
    links, _ = parse_feed(page, "https://www.kompas.com/", media="text/html")
    assert links == ["https://www.kompas.com/read/2024/01/02/12345678/judul",
                     "https://www.kompas.com/berita/2/kartu-satu-dua-tiga"]


def test_links_that_are_no_clean_web_address_are_dropped_from_feeds_and_sitemaps():
    urlset = ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
              "<url><loc>https://news.example/1</loc></url><url><loc>javascript:alert(1)</loc></url>"
              "<url><loc>https://news.example/a b</loc></url><url><loc>file:///etc/passwd</loc></url></urlset>")
    with serve({"/s.xml": (200, {"Content-Type": "application/xml"}, urlset)}) as base:
        items = from_feed(f"{base}/s.xml", Settings(allow_private_urls=True))
    assert [i.value for i in items] == ["https://news.example/1"]


def test_the_web_app_does_not_follow_a_sitemap_index():
    index = ('<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
             "<sitemap><loc>https://news.example/a.xml</loc></sitemap></sitemapindex>")
    with serve({"/index.xml": (200, {"Content-Type": "text/xml"}, index)}) as base:
        with pytest.raises(InputError, match="sitemap index"):
            from_feed(f"{base}/index.xml", Settings(allow_private_urls=True), max_children=0)
        assert len(base.requests) == 1
