"""`batch`: many articles through the same pipeline on Ray Data, one row per input, resumable.

One local Ray (num_cpus=2) for the whole module; the tiny models; pages served on 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
import time

import pytest

pytest.importorskip("ray")

from service import batch as batch_mod  # noqa: E402
from service.batch import PoliteFetcher, RobotsDisallowedError, existing_ids, run_batch  # noqa: E402
from service.cli import main  # noqa: E402
from service.config import Settings  # noqa: E402
from service.errors import ConfigError, HTTPStatusError  # noqa: E402
from service.inputs import Item  # noqa: E402
from service.types import Options  # noqa: E402
from tests.localserver import serve, unused_port  # noqa: E402

pytestmark = pytest.mark.timeout(300)


@pytest.fixture(scope="module")
def ray_local():
    import logging

    import ray

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level=logging.ERROR,
             configure_logging=True)
    logging.getLogger("ray").setLevel(logging.ERROR)
    logging.getLogger("ray.data").setLevel(logging.ERROR)
    yield ray
    ray.shutdown()


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        code = main(list(argv), stdout=out, stderr=err)
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def _page(article: str) -> bytes:
    title, *paragraphs = article.split("\n\n")
    body = "".join(f"<p>{p}</p>" for p in paragraphs if p.strip())
    return f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{body}</article></body></html>".encode()


def _rows(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_every_input_gives_exactly_one_row_even_bad_ones_and_a_killed_worker(ray_local, tiny_models, article_id, tmp_path):
    html = _page(article_id)
    routes = {
        "/robots.txt": (200, {"Content-Type": "text/plain"}, "User-agent: *\nDisallow: /private\n"),
        "/berita": (200, {"Content-Type": "text/html; charset=utf-8"}, html),
        "/private/berita": (200, {"Content-Type": "text/html; charset=utf-8"}, html),
    }
    german = ("Der Bundestag hat am Donnerstag ein neues Gesetz beschlossen, das die Mieten in den Städten "
              "begrenzen soll. Die Opposition kritisierte den Entwurf scharf.")
    with contextlib.ExitStack() as stack:
        base = stack.enter_context(serve(routes, lifetime=240))
        rows = [
            {"id": "t1", "text": article_id},
            {"id": "t2", "text": article_id},
            {"id": "kill", "text": article_id},  # the worker dies on this row, once
            {"id": "u1", "url": f"{base}/berita"},
            {"id": "empty", "text": " "},
            {"id": "german", "text": german},
            {"id": "scheme", "url": "ftp://example.com/berita"},
            {"id": "missing", "url": f"{base}/no-such-page"},
            {"id": "robots", "url": f"{base}/private/berita"},
            {"id": "metadata", "url": "http://169.254.169.254/latest/meta-data"},
            {"id": "both", "url": f"{base}/berita", "text": "x"},
        ]
        src = tmp_path / "in.jsonl"
        src.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
        out = tmp_path / "out.jsonl"
        marker = tmp_path / "killed"
        settings = Settings(allow_private_urls=True, cache_enabled=False, cache_dir=tmp_path / "cache")
        summary = run_batch(
            str(src), out, Options(translation_model=tiny_models["translation"], summary_method="extractive"),
            settings=settings, workers=2, per_host_delay=0.05, quiet=True, batch_size=2,
            _kill_marker=str(marker),
        )
        robots_fetches = [r for r in base.requests if r.path == "/robots.txt"]
        private_fetches = [r for r in base.requests if r.path.startswith("/private")]
        agents = {r.header("user-agent") for r in base.requests}
        assert marker.exists(), "the worker was not killed: the test proves nothing"
        got = _rows(out)
        ids = [r["id"] for r in got]
        assert sorted(ids) == sorted(r["id"] for r in rows) and len(ids) == len(set(ids))
        by = {r["id"]: r for r in got}
        for ok in ("t1", "t2", "kill", "u1"):
            assert by[ok]["status"] == "ok" and by[ok]["error"] is None, by[ok]
            assert len(by[ok]["paragraphs_en"]) == len(by[ok]["paragraphs"]) == 3
            assert by[ok]["summary_method"] == "extractive" and by[ok]["translated"] is True
        assert by["u1"]["url"].endswith("/berita") and by["u1"]["input"].endswith("/berita")
        for bad, words in {"empty": "empty", "german": "German", "scheme": "http", "missing": "404",
                           "robots": "robots.txt", "metadata": "", "both": "exactly one"}.items():
            assert by[bad]["status"] == "error" and words in by[bad]["error"], by[bad]
            assert "\n" not in by[bad]["error"]
        assert private_fetches == []  # robots.txt said no: the page was never asked for
        assert 1 <= len(robots_fetches) <= 2  # once per worker at most
        assert agents == {settings.user_agent}
        assert (summary.ok, summary.error, summary.total) == (4, 7, len(rows))

        # Resume: a run killed half-way (three rows, then a torn line) does only the rest.
        partial = tmp_path / "partial.jsonl"
        lines = out.read_text(encoding="utf-8").splitlines()
        partial.write_text("\n".join(lines[:3]) + "\n" + lines[3][:20], encoding="utf-8")
        assert len(existing_ids(partial, "jsonl")) == 3
        assert partial.read_text(encoding="utf-8").endswith("\n")  # the torn line is cut off
        code, _, err = cli(
            "batch", str(src), "--output", str(partial), "--resume", "--quiet", "--workers", "1",
            "--translation-model", tiny_models["translation"], "--summary-method", "extractive",
            "--allow-private-urls", "--per-host-delay", "0",
        )
        assert code == 0, err
        again = _rows(partial)
        assert sorted(r["id"] for r in again) == sorted(ids)
        assert {r["id"]: r["status"] for r in again} == {r["id"]: r["status"] for r in got}


def test_a_feed_read_by_two_workers_spaces_one_host_across_both_and_lands_in_parquet(
    ray_local, tiny_models, article_id, tmp_path
):
    html = _page(article_id)
    asked: list[float] = []  # when each article page was asked for
    base_url: list[str] = []

    def page(request):
        asked.append(time.monotonic())
        return 200, {"Content-Type": "text/html; charset=utf-8"}, html

    def feed(request):
        items = "".join(
            f"<item><title>Berita {i}</title><link>{base_url[0]}/berita?n={i}</link></item>" for i in range(6)
        )
        return 200, {"Content-Type": "application/rss+xml"}, f'<?xml version="1.0"?><rss version="2.0"><channel><title>K</title>{items}</channel></rss>'

    delay = 0.5
    with serve({"/rss": feed, "/berita": page, "/robots.txt": (404, {}, "")}, lifetime=240) as base:
        base_url.append(str(base))
        out = tmp_path / "out"
        summary = run_batch(
            f"{base}/rss", out, Options(translation_model=tiny_models["translation"], summary_method="extractive"),
            settings=Settings(allow_private_urls=True, cache_enabled=False, cache_dir=tmp_path / "cache"),
            workers=2, fmt="parquet", per_host_delay=delay, quiet=True, batch_size=1,
        )
    import pyarrow.parquet as pq

    table = pq.read_table(out).to_pylist()
    assert sorted(r["id"] for r in table) == sorted(f"{base_url[0]}/berita?n={i}" for i in range(6))
    assert {r["status"] for r in table} == {"ok"} and summary.ok == 6
    assert all(json.loads(r["json"])["paragraphs_en"] for r in table)
    # Two workers, one host: the spacing holds across both (a lower bound, whatever the speed).
    gaps = [b - a for a, b in zip(sorted(asked), sorted(asked)[1:])]
    assert len(asked) == 6 and min(gaps) >= delay * 0.9, gaps


def test_two_fetchers_sharing_a_schedule_space_a_host_and_slow_it_down_together():
    clock = _Clock()
    shared = batch_mod.HostSchedule(1.0, clock)

    def fake_fetch(url, settings, **kw):
        if url.endswith("/busy"):
            raise HTTPStatusError("busy", 503)
        return url

    one, two = (PoliteFetcher(respect_robots=False, fetch=fake_fetch, sleep=clock.sleep, schedule=shared)
                for _ in range(2))
    s = Settings()
    one("https://a.example/1", s)
    two("https://a.example/2", s)  # the other worker, same host: waits its turn
    assert clock.slept == [1.0]
    with pytest.raises(HTTPStatusError):
        one("https://a.example/busy", s)
    assert two.delay("a.example") == 2.0  # the 503 one worker saw slows the host for both


def test_a_wrong_ray_address_is_one_line_and_exit_1(tiny_models, tmp_path):
    src = tmp_path / "in.txt"
    src.write_text("https://example.com/a\n", encoding="utf-8")
    code, out, err = cli("batch", str(src), "--output", str(tmp_path / "o.jsonl"),
                         "--ray-address", f"127.0.0.1:{unused_port()}", "--connect-timeout", "3",
                         "--translation-model", tiny_models["translation"])
    assert code == 1 and out == ""
    assert err.startswith("error: ") and err.count("\n") == 1 and "Ray cluster" in err


def test_a_port_that_accepts_but_is_no_ray_head_is_one_line_within_the_connect_timeout(tiny_models, tmp_path):
    import socket
    import threading

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    accepted = []

    def accept() -> None:
        with contextlib.suppress(OSError):
            while True:
                accepted.append(listener.accept()[0])  # holds the connection open, says nothing

    threading.Thread(target=accept, daemon=True).start()
    src = tmp_path / "in.txt"
    src.write_text("https://example.com/a\n", encoding="utf-8")
    started = time.monotonic()
    try:
        code, out, err = cli("batch", str(src), "--output", str(tmp_path / "o.jsonl"),
                             "--ray-address", f"127.0.0.1:{listener.getsockname()[1]}", "--connect-timeout", "8",
                             "--translation-model", tiny_models["translation"])
    finally:
        listener.close()
        for c in accepted:
            c.close()
    assert code == 1 and out == "" and err.count("\n") == 1, err
    assert "did not answer within 8 s" in err and "RAY_AUTH_TOKEN" in err
    assert time.monotonic() - started < 60  # bounded by the timeout, not Ray's minutes of retries
    assert not (tmp_path / "o.jsonl").exists()


def test_an_empty_feed_as_input_is_an_empty_output_and_a_summary(tiny_models, tmp_path):
    rss = '<?xml version="1.0"?><rss version="2.0"><channel><title>Kanal</title></channel></rss>'
    out = tmp_path / "o.jsonl"
    with serve({"/rss": (200, {"Content-Type": "application/rss+xml"}, rss)}) as base:
        code, _, err = cli("batch", f"{base}/rss", "--output", str(out), "--allow-private-urls",
                           "--translation-model", tiny_models["translation"], "--summary-method", "extractive")
        paths = [r.path for r in base.requests]
    assert code == 0, err
    assert paths == ["/robots.txt", "/rss"]  # the feed too is fetched politely
    assert out.read_text() == "" and err.startswith("batch: 0 rows (0 ok, 0 error)") and str(out) in err


def test_a_model_that_does_not_load_fails_the_run_at_the_start(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"text": "Berita"}) + "\n" for _ in range(50)), encoding="utf-8")
    out = tmp_path / "o.jsonl"
    code, _, err = cli("batch", str(src), "--output", str(out), "--translation-model", "nobody/missing-model")
    assert code == 1 and err.count("\n") == 1 and "download-models" in err
    assert not out.exists() or out.read_text() == ""


def test_without_ray_one_line_names_the_extra(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "ray", None)
    with pytest.raises(ConfigError, match=r"\.\[batch\]"):
        run_batch([Item("1", "text", "x")], tmp_path / "o.jsonl")


def test_parquet_parts_are_whole_and_resume_reads_their_ids(tmp_path):
    out = tmp_path / "out"
    w = batch_mod._ParquetWriter(out, append=False)
    w.write([json.dumps({"id": "a", "input": "x", "status": "ok", "error": None, "title": "T", "word_count": 3})])
    w.write([json.dumps({"id": "b", "input": "y", "status": "error", "error": "bad"})])
    (out / ".part-torn-000000.parquet.tmp").write_bytes(b"PAR1 half")  # a killed write never renamed
    assert existing_ids(out, "parquet") == {"a", "b"}
    import pyarrow.parquet as pq

    table = pq.read_table(out)
    assert sorted(table.column("id").to_pylist()) == ["a", "b"]
    assert json.loads(table.to_pylist()[0]["json"])["id"] in {"a", "b"}


class _Clock:
    def __init__(self):
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self):
        return self.now

    def sleep(self, s):
        self.slept.append(round(s, 3))
        self.now += s


def test_requests_to_one_host_are_spaced_and_a_429_slows_that_host():
    clock = _Clock()
    calls = []

    def fake_fetch(url, settings, **kw):
        calls.append(url)
        if url.endswith("/busy"):
            raise HTTPStatusError("busy", 429)
        return object()

    polite = PoliteFetcher(1.0, respect_robots=False, fetch=fake_fetch, clock=clock, sleep=clock.sleep)
    s = Settings()
    polite("https://a.example/1", s)
    polite("https://b.example/1", s)  # another host: no wait
    polite("https://a.example/2", s)
    assert clock.slept == [1.0]
    with pytest.raises(HTTPStatusError):
        polite("https://a.example/busy", s)
    assert polite.delay("a.example") == 2.0 and polite.delay("b.example") == 1.0


def test_robots_disallow_is_honoured_unless_turned_off():
    def fake_fetch(url, settings, **kw):
        if url.endswith("/robots.txt"):
            class P:
                body = b"User-agent: *\nDisallow: /private\n"
                charset = None
                content_type = "text/plain"
            return P()
        return url

    s = Settings()
    polite = PoliteFetcher(0.0, fetch=fake_fetch)
    assert polite("https://a.example/public", s) == "https://a.example/public"
    with pytest.raises(RobotsDisallowedError, match="--ignore-robots"):
        polite("https://a.example/private/x", s)
    assert PoliteFetcher(0.0, respect_robots=False, fetch=fake_fetch)("https://a.example/private/x", s)
