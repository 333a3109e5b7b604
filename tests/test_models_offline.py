"""A Hub id on a machine that cannot reach the Hub: a cached model loads at once from its
snapshot, a missing one fails with one line instead of half a minute of retry warnings.

Each case runs the real CLI in a subprocess with HF_HUB_OFFLINE unset and HF_ENDPOINT
pointing at a loopback port nothing listens on: "the Hub is unreachable", without the
internet and without waiting for a timeout.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.localserver import unused_port

ROOT = Path(__file__).resolve().parents[1]
TEXT = (
    "Pemerintah Kota Bogor meresmikan taman baca di Pasar Kebon Kembang pada Sabtu pagi. "
    "Taman baca itu menyediakan sekitar seribu buku untuk anak-anak para pedagang."
)


def _cli(tmp_path: Path, *argv: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"}}
    env.update(
        HF_HOME=str(tmp_path / "hf"),
        HF_ENDPOINT=f"http://127.0.0.1:{unused_port()}",
        SERVICE_CACHE_DIR=str(tmp_path / "cache"),
        SERVICE_CACHE="0",
    )
    return subprocess.run(
        [sys.executable, "-m", "service", *argv],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=ROOT,
        env=env,
    )


def _cache_as_hub_model(model_dir: str, hf_home: Path, repo: str) -> None:
    """Lay a saved model out the way huggingface_hub caches a download of `repo`."""
    commit = "0123456789abcdef0123456789abcdef01234567"
    base = hf_home / "hub" / f"models--{repo.replace('/', '--')}"
    shutil.copytree(model_dir, base / "snapshots" / commit)
    (base / "refs").mkdir(parents=True)
    (base / "refs" / "main").write_text(commit)


def test_a_model_that_is_not_cached_fails_with_one_line_and_no_retries(tmp_path):
    proc = _cli(tmp_path, "run", "--text", TEXT, "--quiet", "--translation-model", "example-org/not-cached")
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1, proc.stderr
    assert "example-org/not-cached" in proc.stderr and "download-models" in proc.stderr
    assert "Retry" not in proc.stderr and "Traceback" not in proc.stderr


def test_download_models_says_the_hub_cannot_be_reached(tmp_path):
    proc = _cli(tmp_path, "download-models", "--translation-model", "example-org/not-cached")
    assert proc.returncode == 1 and proc.stderr.count("\n") == 1, proc.stderr
    assert "cannot be reached" in proc.stderr and "Retry" not in proc.stderr


def test_a_cached_hub_model_loads_from_its_snapshot_without_the_hub(tmp_path, tiny_models):
    _cache_as_hub_model(tiny_models["translation"], tmp_path / "hf", "example-org/tiny-marian")
    proc = _cli(
        tmp_path,
        "run",
        "--text",
        TEXT,
        "--quiet",
        "--format",
        "json",
        "--summary-method",
        "extractive",
        "--translation-model",
        "example-org/tiny-marian",
    )
    assert proc.returncode == 0, proc.stderr
    assert "Retry" not in proc.stderr
    result = json.loads(proc.stdout)
    assert result["translated"] is True and len(result["paragraphs_en"]) == 1
    assert result["models"]["translation"] == "example-org/tiny-marian"  # named by its id, not a path
