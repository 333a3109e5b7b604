"""The GPU benchmark says in one line, without a traceback, that there is no GPU."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_without_a_cuda_device_the_gpu_benchmark_fails_with_one_clear_line(tmp_path):
    env = {**os.environ, "CUDA_VISIBLE_DEVICES": "", "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT)}
    out = tmp_path / "gpu.json"
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_gpu", "--out", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: no CUDA device")
    assert "Traceback" not in proc.stderr
    assert not out.exists()


def test_the_device_count_is_zero_when_either_engine_sees_no_gpu(monkeypatch):
    pytest.importorskip("torch")
    from benchmarks import bench_gpu

    import torch

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert bench_gpu.cuda_devices() == 0
