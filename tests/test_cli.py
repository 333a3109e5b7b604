"""The command line contract other tools rely on: output formats and exit codes."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from service.cli import main
from tests.localserver import serve

ROOT = Path(__file__).resolve().parents[1]


def cli(*argv: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    old = dict(os.environ)
    os.environ.update(env or {})
    try:
        try:
            code = main(list(argv), stdout=out, stderr=err)
        except SystemExit as exc:  # argparse usage errors
            code = int(exc.code or 0)
    finally:
        os.environ.clear()
        os.environ.update(old)
    return code, out.getvalue(), err.getvalue()


def test_extract_text_as_json_has_the_contract_fields(article_id):
    code, out, err = cli("extract", "--text", article_id, "--format", "json")
    assert code == 0, err
    d = json.loads(out)
    assert {"title", "text", "paragraphs", "author", "published", "site", "url", "language"} <= d.keys()
    assert d["url"] is None and d["language"] == "id"
    assert d["text"] == "\n\n".join(d["paragraphs"])
    assert d["paragraphs"][0].startswith("Hujan deras yang turun")


def test_extract_text_format_is_headline_then_body(article_id):
    code, out, _ = cli("extract", "--text", article_id)
    assert code == 0
    assert out.startswith("Hujan Deras Genangi Jalan di Pusat Kota\n\nHujan deras yang turun")


def test_extract_a_url_from_a_local_server(article_id):
    html = "<html><head><title>Hujan Deras Genangi Jalan di Pusat Kota</title></head><body><article>" + "".join(
        f"<p>{p}</p>" for p in article_id.split("\n\n")[1:]
    ) + "</article></body></html>"
    routes = {"/berita": (200, {"Content-Type": "text/html; charset=utf-8"}, html.encode())}
    with serve(routes) as base:
        code, out, err = cli("extract", f"{base}/berita", "--format", "json", "--allow-private-urls")
    assert code == 0, err
    d = json.loads(out)
    assert d["url"].endswith("/berita")
    assert len(d["paragraphs"]) == 3


def test_a_section_page_given_to_run_says_batch_reads_its_articles():
    from tests.test_inputs import SECTION

    routes = {"/kanal/nasional": (200, {"Content-Type": "text/html; charset=utf-8"}, SECTION.encode()),
              "/berita/12345/judul-berita-yang-kosong": (200, {"Content-Type": "text/html"}, b"<p>x</p>")}
    with serve(routes) as base:
        code, out, err = cli("extract", f"{base}/kanal/nasional", "--allow-private-urls")
        assert code == 1 and out == "" and err.count("\n") == 1
        assert "No article found" in err and f"python -m service batch {base}/kanal/nasional" in err
        # an article's address that fails is not a list: no such hint
        code, _, err = cli("extract", f"{base}/berita/12345/judul-berita-yang-kosong", "--allow-private-urls")
        assert code == 1 and "batch" not in err


def test_a_private_address_is_refused_with_exit_1_and_no_request_sent():
    with serve({"/": (200, {"Content-Type": "text/html"}, b"<p>x</p>")}) as base:
        code, out, err = cli("extract", f"{base}/", env={"SERVICE_ALLOW_PRIVATE_URLS": "0"})
        assert base.requests == []
    assert code == 1 and out == ""
    assert err.startswith("error: ") and err.count("\n") == 1
    assert "--allow-private-urls" in err  # the operator is the reader here: say how to allow it


def test_an_unusual_port_names_the_flag_but_a_metadata_address_does_not():
    code, _, err = cli("extract", "http://example.com:8080/berita")
    assert code == 1 and "port 8080" in err and "--allow-private-urls" in err
    code, _, err = cli("extract", "http://169.254.169.254/latest/meta-data")
    assert code == 1 and "--allow-private-urls" not in err  # the flag would not help: never suggest it


@pytest.mark.parametrize(
    "argv",
    [
        ("extract", "--text", ""),
        ("extract", "--text", "x"),
        ("extract", "--file", "/no/such/file.html"),
        ("extract", "ftp://example.com/berita"),
        ("extract", "--text", "Der Bundestag hat am Donnerstag ein neues Gesetz beschlossen, das die Mieten "
         "in den Städten begrenzen soll. Die Opposition kritisierte den Entwurf scharf."),
    ],
    ids=["empty", "one-char", "missing-file", "ftp", "german"],
)
def test_user_errors_exit_1_with_one_line(argv):
    code, out, err = cli(*argv)
    assert code == 1
    assert out == ""
    assert err.startswith("error: ") and err.count("\n") == 1
    assert "Traceback" not in err


def test_usage_errors_exit_2():
    assert cli("extract")[0] == 2
    assert cli("extract", "https://example.com/", "--text", "abc")[0] == 2
    assert cli("run", "--format", "pdf", "--text", "abc")[0] == 2
    assert cli("frobnicate")[0] == 2


def test_text_from_standard_input(article_id, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(article_id))
    code, out, _ = cli("extract", "--text", "-", "--format", "json")
    assert code == 0 and json.loads(out)["title"].startswith("Hujan Deras")


def test_run_json_has_everything_extract_gives_plus_the_english(tiny_models, article_id):
    code, out, err = cli(
        "run", "--text", article_id, "--format", "json", "--quiet",
        "--translation-model", tiny_models["translation"], "--summary-model", tiny_models["summary"],
    )
    assert code == 0, err
    d = json.loads(out)
    for key in ("title", "text", "paragraphs", "author", "published", "site", "url", "language",
                "title_en", "paragraphs_en", "translation", "summary", "summary_method", "models", "timings"):
        assert key in d
    assert len(d["paragraphs_en"]) == len(d["paragraphs"])
    assert d["models"]["translation"] == tiny_models["translation"]


def test_run_reads_models_from_the_environment_and_prints_markdown(tiny_models, article_id):
    env = {"SERVICE_TRANSLATION_MODEL": tiny_models["translation"], "SERVICE_SUMMARY_MODEL": tiny_models["summary"]}
    code, out, err = cli("run", "--text", article_id, "--summary-method", "extractive", "--bullets", env=env)
    assert code == 0, err
    assert out.startswith("# ")
    assert "## Summary (extractive)" in out and "## Article (translated)" in out
    summary = out.split("## Summary (extractive)")[1].split("## Article")[0]
    assert [line for line in summary.splitlines() if line.strip()][0].startswith("- ")


def test_run_offline_without_the_model_says_how_to_get_it(article_id):
    code, out, err = cli("run", "--text", article_id, "--translation-model", "nobody/missing-model", "--quiet")
    assert code == 1 and out == ""
    assert "download-models" in err and err.count("\n") == 1


def test_evaluate_translation_prints_bleu_and_chrf(tiny_models, tmp_path):
    src = tmp_path / "src.txt"
    ref = tmp_path / "ref.txt"
    src.write_text("Harga beras naik di pasar.\nWarga antre sejak pagi.\n", encoding="utf-8")
    ref.write_text("Rice prices rose at the market.\nResidents queued from the morning.\n", encoding="utf-8")
    code, out, err = cli(
        "evaluate", "translation", "--src", str(src), "--ref", str(ref),
        "--translation-model", tiny_models["translation"],
    )
    assert code == 0, err
    assert "BLEU" in out and "chrF" in out and "sentences  2" in out


def test_a_real_process_prints_no_traceback_for_a_user_error():
    proc = subprocess.run(
        [sys.executable, "-m", "service", "extract", "--text", "x"],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )
    assert proc.returncode == 1
    assert proc.stderr.startswith("error: ") and "Traceback" not in proc.stderr


def test_a_model_path_that_does_not_exist_is_named(article_id, tmp_path):
    code, out, err = cli("run", "--text", article_id, "--translation-model", str(tmp_path / "nope"), "--quiet")
    assert code == 1 and "There is no model directory at" in err and err.count("\n") == 1


def test_a_quiet_run_prints_the_result_and_nothing_else(tiny_models, article_id):
    """No progress bars or library advice leak onto the terminal."""
    proc = subprocess.run(
        [sys.executable, "-m", "service", "run", "--text", article_id, "--quiet", "--format", "json",
         "--translation-model", tiny_models["translation"], "--summary-model", tiny_models["summary"]],
        capture_output=True, text=True, timeout=300, cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert json.loads(proc.stdout)["paragraphs_en"]


def test_download_models_prepares_local_models_for_the_fast_engine(tiny_models, tmp_path):
    cache = tmp_path / "cache"
    code, out, err = cli(
        "download-models", "--translation-model", tiny_models["translation"],
        "--summary-model", tiny_models["summary"],
        env={"SERVICE_CACHE_DIR": str(cache), "SERVICE_BACKEND": "ctranslate2"},
    )
    assert code == 0, err
    assert out.splitlines() == [tiny_models["translation"], tiny_models["summary"]]
    converted = list((cache / "ctranslate2").iterdir())
    assert len(converted) == 2


def _an_isa_this_cpu_lacks() -> str:
    from service.models import cpu as models_ct2

    flags = models_ct2.cpu_flags() or frozenset()
    return "NEON" if models_ct2.AVX512_FLAGS <= flags else "AVX512"


def test_an_instruction_set_the_cpu_lacks_is_one_line_naming_the_variable(tiny_models, article_id):
    code, out, err = cli(
        "run", "--text", article_id, "--quiet", "--translation-model", tiny_models["translation"],
        env={"CT2_FORCE_CPU_ISA": _an_isa_this_cpu_lacks()},
    )
    assert code == 1 and out == ""
    assert err.startswith("error: CT2_FORCE_CPU_ISA=") and err.count("\n") == 1
    # extract needs no model engine, so the setting does not stand in its way
    code, out, err = cli("extract", "--text", article_id, env={"CT2_FORCE_CPU_ISA": "AVX512000"})
    assert code == 0, err
