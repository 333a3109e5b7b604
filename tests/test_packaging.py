"""A wheel carries what the installed package needs: the prompts (kept at the top of the
repository) and the web app's assets, found from the installed package, not the checkout."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if proc.returncode != 0 and "No matching distribution found for hatchling" in proc.stderr:
        pytest.skip("the build backend (hatchling) cannot be downloaded here")
    assert proc.returncode == 0, proc.stderr
    (built,) = out.glob("*.whl")
    return built


def test_the_wheel_carries_every_prompt_and_the_web_assets(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    prompts = {
        f"service/_prompts/{p.relative_to(ROOT / 'prompts').as_posix()}"
        for p in (ROOT / "prompts").rglob("*.txt")
    }
    assert prompts and prompts <= names
    assert "service/web/assets/style.css" in names
    assert not any(n.startswith("tests/") for n in names)


def test_an_installed_wheel_finds_its_prompts_without_the_checkout(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = (
        "import service.summarize.prompts as p, pathlib;"
        "print(p.PROMPTS_DIR); print(p.load('summary/t5.txt').render is not None)"
    )
    # Run from elsewhere with only the unpacked wheel ahead of the environment's packages.
    env = {**os.environ, "PYTHONPATH": str(site)}
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=tmp_path, env=env
    )
    assert proc.returncode == 0, proc.stderr
    prompts_dir, loaded = proc.stdout.split()
    assert Path(prompts_dir) == site / "service" / "_prompts" and loaded == "True"
