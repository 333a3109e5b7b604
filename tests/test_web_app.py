"""The web app as people meet it: a real app.py process with tiny local models, driven through
headless Chromium (the page) and gradio_client (the `translate_article` API).

One app is started for the whole module (private URLs allowed, so it can fetch our local page
server; a queue of one so the busy case can be produced), plus a short-lived second app with
the private-address guard on. Screenshots go to test-artifacts/.

Without Chromium or Playwright the browser tests skip and say why; under CI (CI=true) that is
a failure instead, so a broken CI image cannot pass by skipping.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
import time
from pathlib import Path

import pytest

from tests.localserver import serve
from tests.webapp_server import RunningApp, running_app, tiny_model_env

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
RESULT_TIMEOUT_MS = 60_000

pytestmark = pytest.mark.timeout(240)

HOSTILE = "<img src=x onerror=alert(1)>"

# Written for these tests: an invented Indonesian news story.
ARTICLE_TEXT = (
    "Warga Desa Sukamaju Bangun Jembatan Bambu Secara Gotong Royong\n\n"
    "Warga Desa Sukamaju membangun jembatan bambu sepanjang dua puluh meter pada hari Minggu. "
    "Jembatan itu menghubungkan desa dengan sekolah dasar di seberang sungai.\n\n"
    "Kepala desa mengatakan bahwa pembangunan jembatan dilakukan secara gotong royong. "
    "Lebih dari lima puluh warga ikut bekerja sejak pagi hari.\n\n"
    "Sebelumnya, anak-anak harus menyeberangi sungai dengan perahu kecil. "
    "Saat musim hujan, arus sungai sangat deras dan berbahaya."
)

ARTICLE_PAGE = """<!doctype html>
<html lang="id"><head><meta charset="utf-8">
<title>{title} - Kabar Contoh</title>
<meta property="og:site_name" content="Kabar Contoh">
<meta name="author" content="{author}">
<meta property="article:published_time" content="2024-03-05T08:00:00+07:00">
</head><body>
<nav><a href="/">Beranda</a> <a href="/nasional">Nasional</a></nav>
<article>
<h1>{title}</h1>
<p>Pemerintah kabupaten meresmikan pasar tradisional yang baru direnovasi pada hari Senin pagi. Pasar itu
kini memiliki atap baru, saluran air yang lebih baik, dan ruang parkir yang lebih luas.</p>
<p>Bupati mengatakan bahwa renovasi pasar menghabiskan dana sekitar dua miliar rupiah dari anggaran daerah.
Ia berharap pedagang dan pembeli merasa lebih nyaman berbelanja di pasar tersebut.</p>
<p>Para pedagang menyambut baik renovasi itu. Menurut mereka, pasar yang lama sering banjir saat hujan deras
sehingga banyak barang dagangan rusak.</p>
<p>Pemerintah juga berencana memperbaiki tiga pasar lain di kecamatan berbeda pada tahun depan.</p>
</article>
<footer>Hak cipta Kabar Contoh</footer>
</body></html>
"""


def _page(title: str, author: str = "Rina Wulandari") -> str:
    from html import escape

    return ARTICLE_PAGE.format(title=escape(title), author=escape(author))


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def models_dir(tmp_path_factory) -> dict[str, str]:
    return tiny_model_env(tmp_path_factory.mktemp("web-models"))


@pytest.fixture(scope="module")
def app(models_dir) -> RunningApp:
    env = {**models_dir, "SERVICE_ALLOW_PRIVATE_URLS": "1", "SERVICE_QUEUE_SIZE": "1"}
    with running_app(env) as running:
        running.wait_for_log("Translation model ready", timeout=90)
        running.wait_for_log("Summary model ready", timeout=90)
        yield running


class SlowPage:
    """A page that is served only when the test says so: `started` is set when the request
    arrives, and the body drips (a space a second, within the fetcher's read timeout) until
    `release` is set, for at most 25 s (inside the fetch deadline)."""

    def __init__(self) -> None:
        self.started = threading.Event()
        self.release = threading.Event()

    def __call__(self, request):
        self.started.set()
        html = _page("Pasar Lama Diresmikan Kembali").encode()
        head, tail = html[:200], html[200:]

        def body():
            yield head
            waited = 0.0
            while not self.release.wait(1.0) and waited < 25:
                waited += 1.0
                yield b" "
            yield tail

        return 200, {"Content-Type": "text/html; charset=utf-8"}, body()


@pytest.fixture(scope="module")
def slow_page():
    return SlowPage()


@pytest.fixture(scope="module")
def pages(slow_page):
    """A local news site: a normal article, one with a hostile headline, one that answers slowly."""
    routes = {
        "/berita/pasar": (
            200,
            {"Content-Type": "text/html; charset=utf-8"},
            _page("Pasar Baru Diresmikan Bupati"),
        ),
        "/berita/jahat": (
            200,
            {"Content-Type": "text/html; charset=utf-8"},
            _page(f"Pasar {HOSTILE} Diresmikan", author=f"Rina {HOSTILE}"),
        ),
        "/berita/lambat": slow_page,
    }
    with serve(routes, lifetime=200) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # pragma: no cover - depends on the machine
        _no_browser(f"Playwright is not installed ({exc})")
    if not os.path.exists(CHROMIUM):
        _no_browser(f"no Chromium at {CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _no_browser(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"browser tests cannot run under CI: {reason}")
    pytest.skip(f"browser tests skipped: {reason}")


@pytest.fixture
def page(browser, app, request):
    """A fresh tab on the app that records dialogs and page errors, and leaves a screenshot."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.dialogs = []
    tab.page_errors = []

    def on_dialog(dialog):
        tab.dialogs.append(dialog.message)
        dialog.dismiss()

    tab.on("dialog", on_dialog)
    tab.on("pageerror", lambda exc: tab.page_errors.append(str(exc)))
    tab.goto(app.url)
    tab.wait_for_selector("#ins-source textarea", timeout=30_000)
    yield tab
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"web-{request.node.name}.png"), full_page=True)
    context.close()


def _translate(tab, source: str) -> None:
    tab.fill("#ins-source textarea", source)
    tab.click("#ins-go")


def _wait_done(tab) -> None:
    tab.wait_for_selector("#ins-status .ins-done, #ins-status .ins-error", timeout=RESULT_TIMEOUT_MS)
    error = tab.locator("#ins-status .ins-error")
    assert error.count() == 0, f"the page showed an error: {error.inner_text()}"


# --------------------------------------------------------------------------- the page


@pytest.mark.browser
def test_pasted_text_gives_summary_translation_and_side_by_side(page):
    _translate(page, ARTICLE_TEXT)
    _wait_done(page)

    header = page.locator("#ins-header")
    assert "Warga Desa Sukamaju Bangun Jembatan Bambu" in header.inner_text()  # the original headline
    assert page.locator("#ins-header .ins-title-en").inner_text().strip() != ""
    assert "Indonesian original" in page.locator("#ins-header .ins-meta").inner_text()
    assert page.locator("#ins-summary .ins-summary-body").inner_text().strip() != ""
    english = page.locator("#ins-article p.ins-en")
    assert english.count() == 3  # one English paragraph per paragraph, shown once
    translation = [english.nth(i).inner_text().strip() for i in range(3)]
    assert all(t not in ("", "…") for t in translation)

    rows = page.locator("#ins-article .ins-row:not(.ins-heads)")
    assert rows.count() == 3
    assert "Jembatan itu menghubungkan desa" in rows.nth(0).locator(".ins-orig").text_content()

    assert page.dialogs == [] and page.page_errors == []

    with page.expect_download(timeout=20_000) as info:
        page.click("#ins-dl-md")
    markdown = Path(info.value.path()).read_text(encoding="utf-8")
    assert info.value.suggested_filename.endswith(".md")
    assert markdown.startswith("# ")
    assert "## Summary" in markdown and "## Article (translated)" in markdown
    with page.expect_download(timeout=20_000) as info:
        page.click("#ins-dl-json")
    data = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert data["title"] == "Warga Desa Sukamaju Bangun Jembatan Bambu Secara Gotong Royong"
    assert [" ".join(p.split()) for p in data["paragraphs_en"]] == [" ".join(t.split()) for t in translation]


@pytest.mark.browser
def test_url_from_a_local_news_site_is_fetched_and_translated(page, pages):
    _translate(page, pages + "/berita/pasar")
    _wait_done(page)
    header = page.locator("#ins-header").inner_text()
    assert "Pasar Baru Diresmikan Bupati" in header
    assert "Rina Wulandari" in header
    assert "5 Mar 2024" in header
    assert pages + "/berita/pasar" in header
    assert page.locator("#ins-article .ins-row:not(.ins-heads)").count() == 4
    assert "/berita/pasar" in [r.path for r in pages.requests]


@pytest.mark.browser
def test_uploaded_saved_page_is_read(page, tmp_path):
    saved = tmp_path / "pasar.html"
    saved.write_text(_page("Pasar Baru Diresmikan Bupati"), encoding="utf-8")
    page.set_input_files("#ins-upload input[type=file]", str(saved))
    page.wait_for_selector("#ins-upload :text('pasar.html')", timeout=RESULT_TIMEOUT_MS)  # the upload round trip; slow on a loaded CI
    page.click("#ins-go")
    _wait_done(page)
    assert "Pasar Baru Diresmikan Bupati" in page.locator("#ins-header").inner_text()
    assert page.locator("#ins-article .ins-row:not(.ins-heads)").count() == 4


@pytest.mark.browser
def test_hostile_headline_and_author_show_as_text(page, pages):
    _translate(page, pages + "/berita/jahat")
    _wait_done(page)
    header = page.locator("#ins-header")
    assert HOSTILE in header.inner_text()  # the characters themselves are visible
    assert header.locator("img").count() == 0
    assert page.locator("#ins-article img, #ins-status img").count() == 0
    page.wait_for_timeout(500)  # give a would-be onerror handler its chance
    assert page.dialogs == []
    assert page.page_errors == []


@pytest.mark.browser
def test_pasted_hostile_text_is_not_rendered_as_html(page):
    _translate(
        page, f"Judul {HOSTILE} berita\n\nWarga desa membangun jembatan.\n\nParagraf akhir {HOSTILE} di sini."
    )
    _wait_done(page)
    assert HOSTILE in page.locator("#ins-article").text_content()
    assert page.locator("#ins-results img").count() == 0
    assert page.dialogs == []


@pytest.mark.browser
def test_example_text_fills_the_input(page):
    from service.web import EXAMPLE_TEXT

    page.get_by_text("A short example text").click()
    page.wait_for_function(
        "t => document.querySelector('#ins-source textarea').value === t", arg=EXAMPLE_TEXT, timeout=10_000
    )


@pytest.mark.browser
def test_empty_input_says_what_to_do(page):
    page.click("#ins-go")
    error = page.wait_for_selector("#ins-status .ins-error", timeout=RESULT_TIMEOUT_MS)
    assert "Paste an article" in error.inner_text()


@pytest.mark.browser
def test_phone_width_has_no_horizontal_overflow(browser, app):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True
    )
    tab = context.new_page()
    try:
        tab.goto(app.url)
        tab.wait_for_selector("#ins-source textarea", timeout=30_000)
        _translate(tab, ARTICLE_TEXT)
        _wait_done(tab)
        width = tab.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the page is {width}px wide on a 390px screen"
        tab.locator("#ins-show-original input").check()  # both languages, stacked
        for selector in ("#ins-go", "#ins-source textarea", "#ins-article .ins-doc", "#ins-article .ins-orig >> nth=1"):
            box = tab.locator(selector).bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, selector
        ARTIFACTS.mkdir(exist_ok=True)
        tab.screenshot(path=str(ARTIFACTS / "web-phone-390.png"), full_page=True)
    finally:
        context.close()


# --------------------------------------------------------------------------- the API


@pytest.fixture(scope="module")
def client(app):
    from gradio_client import Client

    return Client(app.url, verbose=False)


def test_api_returns_the_cli_json_contract(client):
    result = client.predict(ARTICLE_TEXT, api_name="/translate_article")
    for key in (
        "title",
        "paragraphs",
        "text",
        "language",
        "url",
        "author",
        "published",
        "site",
        "title_en",
        "paragraphs_en",
        "translation",
        "translated",
        "summary",
        "summary_points",
        "summary_method",
        "summary_length",
        "bullets",
        "models",
        "timings",
        "word_count",
    ):
        assert key in result, key
    assert result["title"] == "Warga Desa Sukamaju Bangun Jembatan Bambu Secara Gotong Royong"
    assert result["translated"] is True and result["language"] == "id"
    assert len(result["paragraphs_en"]) == len(result["paragraphs"]) == 3
    assert result["summary_length"] == "medium" and result["bullets"] is False


def test_api_has_two_named_endpoints_whose_options_have_defaults(client):
    endpoints = client.view_api(return_format="dict", print_info=False)["named_endpoints"]
    assert sorted(endpoints) == ["/translate_article", "/translate_many"]
    for name, first in (("/translate_article", "source"), ("/translate_many", "links")):
        params = endpoints[name]["parameters"]
        assert [p["parameter_name"] for p in params] == [
            first,
            "summary_length",
            "summary_method",
            "bullets",
            "translation_model",
        ]
        assert params[0]["parameter_has_default"] is False
        assert [p["parameter_default"] for p in params[1:]] == ["medium", "", False, ""]


def test_api_errors_are_readable_sentences(client):
    from gradio_client.exceptions import AppError

    # refused even with private addresses allowed: the cloud metadata address
    with pytest.raises(AppError) as refused:
        client.predict("http://169.254.169.254/latest/meta-data/", api_name="/translate_article")
    message = str(refused.value)
    assert "Traceback" not in message and "BlockedURLError" not in message
    assert len(message) > 20


def test_api_options_reach_the_pipeline(client):
    result = client.predict(
        ARTICLE_TEXT,
        summary_length="short",
        summary_method="extractive",
        bullets=True,
        api_name="/translate_article",
    )
    assert result["summary_method"] == "extractive"
    assert result["summary_length"] == "short" and result["bullets"] is True
    assert len(result["summary_points"]) >= 1


def test_api_refuses_a_model_the_server_does_not_offer(client):
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError, match="Unknown translation model"):
        client.predict(ARTICLE_TEXT, translation_model="/etc", api_name="/translate_article")


def _call_hidden_page_event(app, data: list) -> tuple[int, str]:
    """Call the page's own (unlisted) event the way a script could: POST queue/join with its
    fn_index, then read the event stream to the end. Returns (join status, what came back)."""
    import httpx

    config = httpx.get(app.url + "config", timeout=30).json()
    fn = next(d["id"] for d in config["dependencies"] if d.get("api_name") == "stream_page")
    session = f"hostile-{time.monotonic_ns()}"
    joined = httpx.post(
        app.url + "gradio_api/queue/join",
        json={"data": data, "fn_index": fn, "session_hash": session},
        timeout=30,
    )
    if joined.status_code != 200:
        return joined.status_code, joined.text
    seen = []
    with httpx.stream(
        "GET", app.url + "gradio_api/queue/data", params={"session_hash": session}, timeout=120
    ) as events:
        for line in events.iter_lines():
            seen.append(line)
            if "process_completed" in line:
                break
    return 200, "\n".join(seen)


def test_the_hidden_page_event_validates_hostile_arguments_like_the_page(app):
    text = ARTICLE_TEXT
    cases = {
        # a file on the server passed as the upload: Gradio refuses to touch it
        "server file": [
            text,
            {"path": "/etc/passwd", "meta": {"_type": "gradio.FileData"}},
            "medium",
            "prose",
            "abstractive",
            app_model(app),
            False,
        ],
        "method not offered": [text, None, "medium", "prose", "instruct", app_model(app), False],
        "model not offered": [text, None, "medium", "prose", "abstractive", "evil-org/any-model", False],
        "unknown length": [text, None, "enormous", "prose", "abstractive", app_model(app), False],
    }
    for name, data in cases.items():
        status, body = _call_hidden_page_event(app, data)
        assert status in (200, 400, 422), (name, status, body)
        assert "root:" not in body, name  # /etc/passwd never read back
        if status == 200:  # admitted: our own check answers, with a readable message
            assert "ins-error" in body and "Traceback" not in body, (name, body[-800:])
    status, body = _call_hidden_page_event(
        app, ["x" * 200_000, None, "medium", "prose", "abstractive", app_model(app), False]
    )
    assert status == 422 and "The text is too long" in body, body[-800:]  # the validator, before the queue
    assert "Model 'evil-org/any-model'" not in app.log()  # refused by the choices: nothing tried to load it


def app_model(app) -> str:
    """The one translation model this app offers (the page's dropdown value)."""
    import httpx

    config = httpx.get(app.url + "config", timeout=30).json()
    for component in config["components"]:
        props = component.get("props", {})
        if props.get("elem_id") == "ins-model" or props.get("label") == "Translation model":
            return props.get("value")
    raise AssertionError("no translation model dropdown in the page config")


def test_api_ten_megabyte_text_gets_a_clean_error(client):
    from gradio_client.exceptions import AppError, ValidationError

    with pytest.raises((AppError, ValidationError), match="too long"):
        client.predict("kata " * 2_000_000, api_name="/translate_article")


def _browser_or_none(request):
    try:
        return request.getfixturevalue("browser")
    except pytest.skip.Exception:
        return None


def _wait_until_queued(job, timeout: float = 30.0) -> None:
    """Until the server has put `job` in its queue (an event the client reports, not a guess)."""
    from gradio_client.utils import Status

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if job.status().code in (Status.IN_QUEUE, Status.PROCESSING):
            return
        time.sleep(0.1)
    raise AssertionError(f"the request was not queued within {timeout:.0f} s: {job.status()}")


def test_full_queue_says_the_service_is_busy(client, app, pages, slow_page, request):
    """Queue of one: A runs (a page that answers only when released), B waits, C is told the
    service is busy. Every step waits for an event, so a slow machine only makes it slower."""
    from gradio_client.exceptions import ValidationError

    browser = _browser_or_none(request)
    slow_page.started.clear()
    slow_page.release.clear()
    try:
        running = client.submit(pages + "/berita/lambat", api_name="/translate_article")
        assert slow_page.started.wait(60), "the slow page was never requested"
        waiting = client.submit(ARTICLE_TEXT, api_name="/translate_article")
        _wait_until_queued(waiting)
        with pytest.raises(ValidationError, match="The service is busy; please try again in a minute."):
            client.predict(ARTICLE_TEXT, api_name="/translate_article")

        if browser is not None:  # the page shows the same sentence
            with _tab_on(browser, app, "web-busy.png") as tab:
                _translate(tab, ARTICLE_TEXT)
                tab.get_by_text("The service is busy; please try again in a minute.").first.wait_for(
                    timeout=30_000
                )
    finally:
        slow_page.release.set()

    assert running.result(timeout=90)["title"] == "Pasar Lama Diresmikan Kembali"
    assert waiting.result(timeout=90)["translated"] is True
    # and the app serves the next request normally
    assert client.predict(ARTICLE_TEXT, api_name="/translate_article")["translated"] is True


# --------------------------------------------------------------------------- private addresses off


def _an_isa_this_cpu_lacks() -> str:
    from service.models import cpu as models_ct2

    flags = models_ct2.cpu_flags() or frozenset()
    return "NEON" if models_ct2.AVX512_FLAGS <= flags else "AVX512"


@pytest.fixture(scope="module")
def guarded_app(models_dir):
    """The guard on (the default), a summary model that cannot be loaded, and an instruction
    set for CTranslate2 that this CPU does not have."""
    env = {
        **models_dir,
        "SERVICE_ALLOW_PRIVATE_URLS": "0",
        "SERVICE_SUMMARY_MODEL": "example-org/missing-summarizer",
        "CT2_FORCE_CPU_ISA": _an_isa_this_cpu_lacks(),
    }
    with running_app(env) as running:
        running.wait_for_log("Translation model ready", timeout=90)
        yield running


@contextlib.contextmanager
def _tab_on(browser, app, screenshot: str):
    """A fresh desktop-size tab on `app`, ready for input; leaves a screenshot, always closes."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    try:
        tab.goto(app.url)
        tab.wait_for_selector("#ins-source textarea", timeout=30_000)
        yield tab
        ARTIFACTS.mkdir(exist_ok=True)
        tab.screenshot(path=str(ARTIFACTS / screenshot), full_page=True)
    finally:
        context.close()


@pytest.mark.browser
def test_blocked_url_shows_the_guard_message(browser, guarded_app):
    with _tab_on(browser, guarded_app, "web-blocked-url.png") as tab:
        for url in ("http://127.0.0.1:1/", "http://10.0.0.1/berita"):
            tab.click("#ins-clear")  # the previous message goes, so the next one is this URL's
            tab.locator("#ins-status .ins-status").wait_for(state="detached", timeout=10_000)
            _translate(tab, url)
            error = tab.wait_for_selector("#ins-status .ins-error", timeout=RESULT_TIMEOUT_MS)
            text = error.inner_text()
            assert "Could not read this article." in text
            assert "Traceback" not in text and "Error(" not in text


@pytest.mark.browser
def test_missing_summary_model_is_reported_and_the_app_still_summarises(browser, guarded_app):
    with _tab_on(browser, guarded_app, "web-missing-summary-model.png") as tab:
        tab.locator("#ins-models .ins-model-failed").wait_for(timeout=60_000)
        assert "Summary model: not available right now" in tab.locator("#ins-models").inner_text()
        _translate(tab, ARTICLE_TEXT)
        _wait_done(tab)
        assert "extractive" in tab.locator("#ins-status").inner_text()
        assert tab.locator("#ins-summary .ins-summary-body").inner_text().strip() != ""
        assert "download-models" not in tab.locator("#ins-page").inner_text()  # no operator advice


def test_an_instruction_set_the_cpu_lacks_is_dropped_with_a_log_line_and_requests_succeed(guarded_app):
    from gradio_client import Client

    log = guarded_app.log()
    assert "CT2_FORCE_CPU_ISA" in log and "Ignoring it" in log
    client = Client(guarded_app.url, verbose=False)
    result = client.predict(ARTICLE_TEXT, api_name="/translate_article")
    assert result["translated"] is True and result["paragraphs_en"]
