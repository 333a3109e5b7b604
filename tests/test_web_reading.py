"""The page as a reader meets it, in headless Chromium against a real app.py with tiny local
models: the reading layout, the original on demand with sentence highlighting, options that
apply at once, keyboard use, cancel, many links, shared links, the API example, the phone
width, an axe-core audit (light and forced dark, desktop and phone, before and after a
translation), and an app whose models cannot be had.

Every wait is for something the page shows; screenshots go to test-artifacts/.
Without Chromium/Playwright, or without node_modules/axe-core (`npm ci`), the affected tests skip
and say why; under CI=true they fail instead.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.localserver import serve, unused_port
from tests.test_web_app import (
    ARTICLE_TEXT,
    RESULT_TIMEOUT_MS,
    SlowPage,
    _no_browser,
    _page,
    browser,  # noqa: F401 - the module's Chromium, shared with test_web_app
)
from tests.webapp_server import RunningApp, running_app, tiny_model_env

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

pytestmark = [pytest.mark.timeout(240), pytest.mark.browser]


@pytest.fixture(scope="module")
def models_dir(tmp_path_factory) -> dict[str, str]:
    return tiny_model_env(tmp_path_factory.mktemp("reading-models"))


@pytest.fixture(scope="module")
def app(models_dir) -> RunningApp:
    env = {**models_dir, "SERVICE_ALLOW_PRIVATE_URLS": "1", "SERVICE_CACHE": "0"}
    with running_app(env) as running:
        running.wait_for_log("Translation model ready", timeout=90)
        running.wait_for_log("Summary model ready", timeout=90)
        yield running


SECTION_PAGE = (
    '<!doctype html><html lang="id"><head><meta charset="utf-8"><title>Nasional - Contoh</title></head><body>'
    '<nav><a href="/">Beranda</a> <a href="/kanal/ekonomi">Ekonomi</a> <a href="/tag/banjir">#banjir</a></nav>'
    '<main><h1>Nasional</h1>'
    '<article><h2><a href="/berita/10001/pasar-baru-diresmikan-bupati">Pasar Baru Diresmikan Bupati</a></h2>'
    "<p>Bupati meresmikan pasar baru.</p></article>"
    '<article><h2><a href="/berita/10002/jalan-desa-diperbaiki-warga">Jalan Desa Diperbaiki Warga</a></h2>'
    "<p>Warga memperbaiki jalan desa.</p></article></main>"
    '<footer><a href="/redaksi">Redaksi</a></footer></body></html>'
)


@pytest.fixture(scope="module")
def slow_page():
    return SlowPage()


@pytest.fixture(scope="module")
def pages(slow_page):
    html = {"Content-Type": "text/html; charset=utf-8"}
    routes = {
        "/berita/pasar": (200, html, _page("Pasar Baru Diresmikan Bupati")),
        "/berita/jalan": (200, html, _page("Jalan Desa Diperbaiki Warga")),
        "/berita/lambat": slow_page,
        # an outlet's section page: two article links among its menus (read as "many articles")
        "/kanal/nasional": (200, html, SECTION_PAGE),
        "/berita/banjir": (200, html, _page("Banjir Rendam Jalan Protokol").replace(
            "<p>Para pedagang", "<h2>Pedagang menyambut renovasi</h2><p>Para pedagang")),
        "/berita/10001/pasar-baru-diresmikan-bupati": (200, html, _page("Pasar Baru Diresmikan Bupati")),
        "/berita/10002/jalan-desa-diperbaiki-warga": (200, html, _page("Jalan Desa Diperbaiki Warga")),
    }
    with serve(routes, lifetime=230) as base:
        yield base


@contextlib.contextmanager
def _tab(browser, url: str, screenshot: str, *, width: int = 1280, height: int = 900, query: str = ""):
    phone = width < 600
    context = browser.new_context(
        viewport={"width": width, "height": height}, is_mobile=phone, device_scale_factor=2 if phone else 1
    )
    tab = context.new_page()
    tab.joins = []  # every event the page put on the server's queue
    tab.on("request", lambda r: tab.joins.append(r.url) if "/queue/join" in r.url else None)
    tab.page_errors = []
    tab.on("pageerror", lambda exc: tab.page_errors.append(str(exc)))
    try:
        tab.goto(url + query)
        tab.wait_for_selector("#ins-source textarea", timeout=30_000)
        yield tab
    finally:
        ARTIFACTS.mkdir(exist_ok=True)
        with contextlib.suppress(Exception):  # a screenshot of a failure too
            tab.screenshot(path=str(ARTIFACTS / screenshot), full_page=True)
        context.close()


def _translate(tab, source: str) -> None:
    tab.fill("#ins-source textarea", source)
    tab.click("#ins-go")


def _wait_done(tab) -> None:
    tab.wait_for_selector("#ins-status .ins-done, #ins-status .ins-error", timeout=RESULT_TIMEOUT_MS)
    error = tab.locator("#ins-status .ins-error")
    assert error.count() == 0, f"the page showed an error: {error.inner_text()}"


def _box(tab, selector: str) -> dict:
    box = tab.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not shown"
    return box


# --------------------------------------------------------------------------- reading


def test_the_result_reads_as_an_article_with_the_summary_and_downloads_on_top(browser, app):
    with _tab(browser, app.url, "web-reading-layout.png") as tab:
        _translate(tab, ARTICLE_TEXT)
        _wait_done(tab)
        toolbar, summary, article = (_box(tab, s) for s in ("#ins-toolbar", "#ins-summary", "#ins-article"))
        assert toolbar["y"] < summary["y"] < article["y"]  # downloads and copy where the result starts
        for name in ("Summary", "Translation (English)"):
            assert tab.get_by_role("heading", name=name).count() == 1, name
        assert tab.get_by_role("region", name="Summary").count() == 1
        assert tab.get_by_role("region", name="Translation (English)").count() == 1
        assert tab.locator("#ins-page textarea[disabled]").count() == 0  # no read-only boxes
        assert tab.locator("#ins-article .ins-orig").first.is_hidden()  # the original on demand
        measure = tab.evaluate(
            """() => { const p = document.querySelector('#ins-article p.ins-en');
                       const ch = document.createElement('span'); ch.style.cssText = 'display:inline-block;width:1ch';
                       p.appendChild(ch); const w = ch.getBoundingClientRect().width; ch.remove();
                       return p.getBoundingClientRect().width / w; }"""
        )
        assert 55 <= measure <= 80, f"the English column is {measure:.0f} characters wide"
        # the two copy buttons have names of their own, and copy what they say
        tab.context.grant_permissions(["clipboard-read", "clipboard-write"])
        tab.get_by_role("button", name="Copy summary").click()
        tab.get_by_text("Summary copied.").wait_for(timeout=10_000)
        copied = tab.evaluate("navigator.clipboard.readText()")
        assert copied.strip() == tab.locator("#ins-summary .ins-summary-body").inner_text().strip()
        tab.get_by_role("button", name="Copy translation").click()
        tab.get_by_text("Translation copied.").wait_for(timeout=10_000)
        assert tab.locator("#ins-article p.ins-en").first.inner_text().strip() in tab.evaluate(
            "navigator.clipboard.readText()"
        )
        assert tab.page_errors == []


def test_the_original_shows_at_once_and_sentences_light_up_across_languages(browser, app):
    with _tab(browser, app.url, "web-original-side-by-side.png") as tab:
        _translate(tab, ARTICLE_TEXT)
        _wait_done(tab)
        runs = len(tab.joins)
        tab.locator("#ins-show-original input").check()
        original = tab.locator("#ins-article p.ins-orig").first
        original.wait_for(state="visible", timeout=2_000)
        assert "Jembatan itu menghubungkan desa" in tab.locator("#ins-article").inner_text()
        english, source = _box(tab, "#ins-article p.ins-en"), _box(tab, "#ins-article p.ins-orig")
        assert abs(english["y"] - source["y"]) < 5 and source["x"] > english["x"]  # side by side
        assert tab.get_by_role("heading", name="Original (Indonesian)").is_visible()
        # hover an English sentence: its Indonesian counterpart lights up, and the other way round
        tab.hover('#ins-article .ins-en .ins-sent[data-s="0-1"]')
        tab.wait_for_selector('#ins-article .ins-orig .ins-sent[data-s="0-1"].ins-hl', timeout=2_000)
        assert tab.locator(".ins-sent.ins-hl").count() == 2
        tab.locator('#ins-article .ins-orig .ins-sent[data-s="1-0"]').focus()
        tab.wait_for_selector('#ins-article .ins-en .ins-sent[data-s="1-0"].ins-hl', timeout=2_000)
        tab.locator("#ins-show-original input").uncheck()
        original.wait_for(state="hidden", timeout=2_000)
        assert len(tab.joins) == runs  # showing and hiding ran nothing on the server


def test_summary_options_rewrite_only_the_summary(browser, app):
    with _tab(browser, app.url, "web-summary-options.png") as tab:
        _translate(tab, ARTICLE_TEXT)
        _wait_done(tab)
        english = tab.locator("#ins-article").inner_text()
        tab.locator("#ins-options").get_by_text("Options").first.click()
        tab.locator("#ins-method").get_by_text("Extractive", exact=False).first.click()
        tab.get_by_text("the translation was reused").wait_for(timeout=RESULT_TIMEOUT_MS)
        tab.locator("#ins-style").get_by_text("Bullet points").click()
        tab.wait_for_selector("#ins-summary .ins-summary-body li", timeout=RESULT_TIMEOUT_MS)
        assert tab.locator("#ins-summary a.ins-point-link").count() >= 1  # points link to the article
        href = tab.locator("#ins-summary a.ins-point-link").first.get_attribute("href")
        assert tab.locator(f"#ins-article {href}").count() == 1
        assert tab.locator("#ins-article").inner_text() == english  # not translated again


# --------------------------------------------------------------------------- keyboard and control


def test_keyboard_enter_on_a_link_and_ctrl_enter_translate_and_tab_reaches_translate(browser, app, pages):
    with _tab(browser, app.url, "web-keyboard.png") as tab:
        box = tab.locator("#ins-source textarea")
        box.focus()
        tab.keyboard.press("Tab")
        assert tab.evaluate("document.activeElement.id") == "ins-go"  # one Tab from the input
        box.fill(pages + "/berita/pasar")
        box.press("Enter")
        _wait_done(tab)
        assert "\n" not in box.input_value()  # Enter on one link submits instead of a new line
        assert "Pasar Baru Diresmikan Bupati" in tab.locator("#ins-header").inner_text()
        box.fill(ARTICLE_TEXT)
        box.press("Control+Enter")
        tab.wait_for_selector("#ins-header :text('Warga Desa Sukamaju')", timeout=RESULT_TIMEOUT_MS)
        _wait_done(tab)


def test_cancel_stops_the_run_frees_the_queue_and_leaves_no_busy_state(browser, app, pages, slow_page):
    slow_page.started.clear()
    slow_page.release.clear()
    try:
        with _tab(browser, app.url, "web-cancel.png") as tab:
            _translate(tab, pages + "/berita/lambat")
            assert slow_page.started.wait(30), "the slow page was never requested"
            cancel = tab.get_by_role("button", name="Cancel")
            cancel.wait_for(timeout=10_000)
            assert tab.locator("#ins-go").is_disabled()  # no second run while one is going
            cancel.click()
            tab.get_by_text("Stopped.").wait_for(timeout=10_000)
            assert tab.locator("#ins-go").is_enabled() and cancel.is_hidden()
            assert tab.locator("#ins-status .ins-spinner").count() == 0
            # the queue slot is free (one at a time here): the next article runs while the
            # cancelled page is still held
            _translate(tab, ARTICLE_TEXT)
            _wait_done(tab)
            assert not slow_page.release.is_set()
            # Clear cancels as well, and empties the page
            _translate(tab, pages + "/berita/lambat")
            cancel.wait_for(timeout=10_000)
            tab.click("#ins-clear")
            # the stopped run ends on its own a moment later; its last update is the empty page
            from playwright.sync_api import expect

            expect(tab.locator("#ins-go")).to_be_enabled(timeout=10_000)
            expect(tab.locator("#ins-results")).to_be_hidden(timeout=10_000)
            expect(cancel).to_be_hidden(timeout=10_000)
            assert tab.locator("#ins-source textarea").input_value() == ""
    finally:
        slow_page.release.set()


def test_small_things_readers_see_short_text_local_time_one_sentence_and_subheadings(browser, app, pages):
    with _tab(browser, app.url, "web-too-short.png") as tab:
        _translate(tab, "halo")
        tab.wait_for_selector("#ins-status .ins-error", timeout=RESULT_TIMEOUT_MS)
        assert "too short to tell its language" in tab.locator("#ins-status").inner_text()
    with _tab(browser, app.url, "web-one-sentence.png") as tab:
        # one Indonesian sentence: read, with its first words as the headline
        _translate(tab, "Warga Desa Sukamaju membangun jembatan bambu sepanjang dua puluh meter pada hari Minggu pagi.")
        _wait_done(tab)
        assert "Warga Desa Sukamaju" in tab.locator("#ins-header .ins-title-orig").inner_text()
    with _tab(browser, app.url, "web-local-time-subheading.png") as tab:
        # a fetched page: the outlet's local time with its zone name; a subheading as a heading
        _translate(tab, f"{pages}/berita/banjir")
        _wait_done(tab)
        assert "5 Mar 2024, 08:00 WIB" in tab.locator("#ins-header .ins-meta").inner_text()
        assert "UTC" not in tab.locator("#ins-header").inner_text()
        assert tab.locator("#ins-article h4.ins-en").count() == 1
        tab.check("#ins-show-original input")
        assert tab.locator("#ins-article h4.ins-orig").inner_text().strip() == "Pedagang menyambut renovasi"
        english, original = _box(tab, "#ins-article h4.ins-en"), _box(tab, "#ins-article h4.ins-orig")
        assert english["x"] + english["width"] <= original["x"] + 1  # the heading stays in its column
        overflow = tab.evaluate("() => { const h = document.querySelector('#ins-article h4.ins-en');"
                                " return h.scrollWidth - h.clientWidth; }")
        assert overflow <= 1


# --------------------------------------------------------------------------- many links, shared links, API


def test_many_links_one_per_line_give_a_list_of_readable_articles(browser, app, pages):
    with _tab(browser, app.url, "web-many-links.png") as tab:
        _translate(tab, f"{pages}/berita/pasar\n{pages}/berita/jalan")
        _wait_done(tab)
        items = tab.locator("#ins-article .ins-list details")
        assert items.count() == 2
        assert "2 of 2 articles translated" in tab.locator("#ins-status").inner_text()
        row = items.nth(1).locator("summary")
        assert "Translated" in row.locator(".ins-list-status").inner_text()
        assert row.locator(".ins-list-teaser").inner_text().strip()  # the summary's first lines
        teaser = row.locator(".ins-list-teaser").bounding_box()
        title = row.locator(".ins-list-title").bounding_box()
        assert teaser["height"] <= 2 * title["height"] + 4  # two lines at most
        row.click()
        assert items.nth(1).locator("p.ins-en").first.is_visible()
        assert tab.locator("#ins-dl-md").is_visible() and not tab.locator("#ins-dl-json").is_visible()
        with tab.expect_download(timeout=20_000) as info:
            tab.click("#ins-dl-csv")
        table = Path(info.value.path()).read_text(encoding="utf-8").splitlines()
        assert table[0] == "id,url,status,title_en,summary,site,published,error" and len(table) == 3
        assert table[1].startswith(f"{pages}/berita/pasar,") and ",ok," in table[1]
        with tab.expect_download(timeout=20_000) as info:
            tab.click("#ins-dl-jsonl")
        rows = [json.loads(line) for line in Path(info.value.path()).read_text(encoding="utf-8").splitlines()]
        assert [r["status"] for r in rows] == ["ok", "ok"] and rows[1]["id"] == f"{pages}/berita/jalan"
        assert rows[0]["translated"] is True and rows[0]["title_en"]


def test_one_section_page_gives_the_list_of_the_articles_it_links_to(browser, app, pages):
    with _tab(browser, app.url, "web-section-page.png") as tab:
        _translate(tab, f"{pages}/kanal/nasional")
        _wait_done(tab)
        assert "Read from" in tab.locator("#ins-header").inner_text()
        assert "the 2 article links on it" in tab.locator("#ins-header").inner_text()
        items = tab.locator("#ins-article .ins-list details")
        assert items.count() == 2
        assert "2 of 2 articles translated" in tab.locator("#ins-status").inner_text()
        items.nth(0).locator("summary").click()
        assert items.nth(0).locator("p.ins-en").first.is_visible()
        assert tab.locator("#ins-dl-jsonl").is_visible()


def test_recent_articles_are_kept_in_the_browser_and_reopen(browser, app, pages):
    link = pages + "/berita/jalan"
    with _tab(browser, app.url, "web-recent-articles.png") as tab:
        assert not tab.locator("#ins-recent").is_visible()  # nothing read yet in this browser
        _translate(tab, link)
        _wait_done(tab)
        tab.wait_for_selector("#ins-recent", state="visible", timeout=20_000)
        stored = tab.evaluate("() => Object.keys(window.localStorage)")
        assert "ins-recent-articles" in stored
        tab.reload()
        tab.wait_for_selector("#ins-recent", state="visible", timeout=30_000)
        assert tab.locator("#ins-source textarea").input_value() == ""
        tab.locator("#ins-recent input").click()
        option = tab.get_by_role("option").first
        assert "Kabar Contoh" in option.inner_text()
        ARTIFACTS.mkdir(exist_ok=True)
        tab.screenshot(path=str(ARTIFACTS / "web-recent-list.png"))
        joins = len(tab.joins)
        option.click()
        _wait_done(tab)
        assert len(tab.joins) > joins  # it ran again (answered by the cache when that is on)
        assert tab.locator("#ins-source textarea").input_value() == link
        assert "Jalan Desa Diperbaiki Warga" in tab.locator("#ins-header").inner_text()
        tab.set_viewport_size({"width": 390, "height": 844})  # the list and its button fit a phone
        tab.wait_for_function("document.documentElement.scrollWidth <= 390", timeout=10_000)
        assert _box(tab, "#ins-forget")["x"] + _box(tab, "#ins-forget")["width"] <= 390
        tab.set_viewport_size({"width": 1280, "height": 900})
        tab.click("#ins-forget")
        tab.wait_for_selector("#ins-recent", state="hidden", timeout=20_000)


def test_a_shared_link_fills_the_input_and_starts(browser, app, pages):
    link = pages + "/berita/pasar"
    with _tab(browser, app.url, "web-shared-link.png", query="?url=" + quote(link, safe="")) as tab:
        _wait_done(tab)
        assert tab.locator("#ins-source textarea").input_value() == link
        assert "Pasar Baru Diresmikan Bupati" in tab.locator("#ins-header").inner_text()


def test_the_api_example_passes_and_the_options_are_documented(app):
    import httpx
    from gradio_client import Client

    info = httpx.get(app.url + "gradio_api/info", timeout=30).json()
    endpoint = info["named_endpoints"]["/translate_article"]
    example = [p["example_input"] for p in endpoint["parameters"]]
    assert "Hello!!" not in example
    result = Client(app.url, verbose=False).predict(*example, api_name="/translate_article")
    assert result["translated"] is True and result["language"] == "id"
    config = httpx.get(app.url + "config", timeout=30).json()
    described = " ".join(str(d.get("api_description") or "") for d in config["dependencies"])
    assert "short, medium or long" in described and "extractive" in described
    # the model dropdown (hidden: one model) never names a server path to readers
    dropdown = next(c for c in config["components"] if c.get("props", {}).get("elem_id") == "ins-model")
    assert dropdown["props"]["visible"] is False
    assert all(not label.startswith("/") for label, _ in dropdown["props"]["choices"])


def test_the_translate_many_api_gives_the_digest_rows(app, pages):
    from gradio_client import Client

    links = f"{pages}/berita/pasar\n{pages}/berita/jalan\n{pages}/tidak-ada"
    rows = Client(app.url, verbose=False).predict(links, "short", "extractive", False, "", api_name="/translate_many")
    assert [(r["id"], r["status"]) for r in rows] == [
        (f"{pages}/berita/pasar", "ok"), (f"{pages}/berita/jalan", "ok"), (f"{pages}/tidak-ada", "error")
    ]
    assert rows[0]["translated"] is True and rows[0]["title_en"] and rows[0]["summary"]
    assert rows[2]["error"] and "\n" not in rows[2]["error"]


# --------------------------------------------------------------------------- phone


def test_phone_width_stacks_the_languages(browser, app):
    with _tab(browser, app.url, "web-phone-stacked.png", width=390, height=844) as tab:
        _translate(tab, ARTICLE_TEXT)
        _wait_done(tab)
        tab.locator("#ins-show-original input").check()
        row = "#ins-article .ins-row:not(.ins-heads)"
        english, source = _box(tab, f"{row} p.ins-en"), _box(tab, f"{row} p.ins-orig")
        assert source["y"] >= english["y"] + english["height"] - 1  # below, not beside
        assert source["width"] > 300 and english["width"] > 300
        assert tab.evaluate("document.documentElement.scrollWidth") <= 390


# --------------------------------------------------------------------------- accessibility


def _axe(tab) -> list[dict]:
    if not AXE.exists():
        _no_browser(f"axe-core is not installed ({AXE} missing): run `npm ci` at the repository root")
    tab.add_script_tag(path=str(AXE))
    # colours checked mid-fade (Gradio fades components in) read as low contrast: wait for the
    # page's running transitions and animations to end first
    tab.evaluate(
        """() => Promise.all(document.getAnimations().filter(a => a.effect && a.effect.getTiming().iterations !== Infinity)
              .map(a => a.finished.catch(() => null)))"""
    )
    # and for the models line to be drawn at full opacity (Gradio dims a component it is updating)
    tab.wait_for_function(
        """() => { const start = document.querySelector('#ins-models .ins-model');
             if (!start) return false;
             for (let e = start; e; e = e.parentElement)
               if (parseFloat(getComputedStyle(e).opacity) < 1) return false;
             return true; }""",
        timeout=10_000,
    )
    result = tab.evaluate(
        """async () => { const r = await axe.run(document, {resultTypes: ['violations'],
              runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
           return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
              nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + (n.failureSummary || ''))})); }"""
    )
    return [v for v in result if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 390])
def test_axe_finds_no_serious_violations_before_and_after_a_translation(browser, app, pages, theme, width):
    query = "?__theme=dark" if theme == "dark" else "?__theme=light"
    with _tab(browser, app.url, f"web-axe-{theme}-{width}.png", width=width, height=900, query=query) as tab:
        problems = {"before": _axe(tab)}
        tab.click("#ins-go")  # empty: the error box
        tab.wait_for_selector("#ins-status .ins-error", timeout=RESULT_TIMEOUT_MS)
        problems["error"] = _axe(tab)
        tab.click("#ins-clear")
        tab.locator("#ins-status .ins-status").wait_for(state="detached", timeout=10_000)
        _translate(tab, ARTICLE_TEXT)
        _wait_done(tab)
        tab.locator("#ins-show-original input").check()
        tab.hover('#ins-article .ins-en .ins-sent[data-s="0-0"]')  # a highlighted pair too
        problems["after"] = _axe(tab)
        # a link (subheadings; the recent-articles list appears), then a section page's list
        _translate(tab, f"{pages}/berita/banjir")
        tab.wait_for_selector("#ins-recent", state="visible", timeout=RESULT_TIMEOUT_MS)
        _wait_done(tab)
        problems["link"] = _axe(tab)
        _translate(tab, f"{pages}/kanal/nasional")
        tab.wait_for_selector("#ins-article .ins-list", timeout=RESULT_TIMEOUT_MS)
        _wait_done(tab)
        tab.locator("#ins-article .ins-list details summary").first.click()
        problems["list"] = _axe(tab)
    found = {k: v for k, v in problems.items() if v}
    assert not found, json.dumps(found, indent=1)


# --------------------------------------------------------------------------- models that cannot be had


@pytest.fixture(scope="module")
def no_models_app(tmp_path_factory):
    """Model ids that are not cached and a Hub that cannot be reached (a loopback port nothing
    listens on, HF_HUB_OFFLINE unset): what a self-hosting user meets without the downloads."""
    home = tmp_path_factory.mktemp("no-models")
    env = {
        "HF_HUB_OFFLINE": None,
        "TRANSFORMERS_OFFLINE": None,
        "HF_HOME": str(home / "hf"),
        "HF_ENDPOINT": f"http://127.0.0.1:{unused_port()}",
        "SERVICE_TRANSLATION_MODEL": "example-org/missing-translator",
        "SERVICE_SUMMARY_MODEL": "example-org/missing-summarizer",
        "SERVICE_CACHE_DIR": str(home / "cache"),
    }
    with running_app(env) as running:
        running.started = time.monotonic()
        yield running


def test_without_models_the_app_fails_fast_once_and_shows_the_original(browser, no_models_app):
    app = no_models_app
    app.wait_for_log("Summary model example-org/missing-summarizer could not be loaded", timeout=10)
    assert time.monotonic() - app.started < 10
    log = app.log()
    assert log.count("example-org/missing-translator could not be loaded") == 1
    assert "Retry" not in log and "Traceback" not in log
    with _tab(browser, app.url, "web-models-unavailable.png") as tab:
        for n in range(2):  # a second click answers as fast, and tries nothing again
            if n:  # Clear the first result, and wait until it is gone (the page starts empty: a
                # Clear clicked then could land after the text is typed and empty the box)
                tab.click("#ins-clear")
                tab.locator("#ins-status .ins-status").wait_for(state="detached", timeout=10_000)
            clicked = time.monotonic()
            _translate(tab, ARTICLE_TEXT)
            tab.get_by_text("Translation is not available right now.").wait_for(timeout=10_000)
            assert time.monotonic() - clicked < 10
            page = tab.locator("#ins-page").inner_text()
            assert "download-models" not in page and "SERVICE_" not in page
            tab.locator("#ins-article").get_by_text("Jembatan itu menghubungkan desa").wait_for(timeout=5_000)
            assert tab.locator("#ins-go").is_enabled() and tab.locator("#ins-cancel").is_hidden()
            assert tab.locator("#ins-status .ins-spinner, #ins-article .ins-pending").count() == 0
            # the original alone: nothing offered that is not there (no summary, no translation)
            for button in ("Copy summary", "Copy translation"):
                assert not tab.get_by_role("button", name=button).is_visible()
            assert not tab.locator("#ins-show-original input").is_visible()
        with tab.expect_download(timeout=20_000) as info:
            tab.click("#ins-dl-md")
        assert "Jembatan itu menghubungkan desa" in Path(info.value.path()).read_text(encoding="utf-8")
    log = app.log()
    mentions = [line for line in log.splitlines() if "example-org/missing-translator" in line]
    assert len(mentions) == 1, mentions  # one line, however many clicks
    lines = [line.split(" ", 2)[-1] for line in log.splitlines() if line.strip()]
    assert len(lines) == len(set(lines)), "a line reached the log twice"
