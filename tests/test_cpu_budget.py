"""Thread counts follow the CPUs a container really grants, not the host's core count:
on a 2-vCPU Space on a many-core host, one thread per host core is several times slower."""

from __future__ import annotations

import os

import pytest

from service import models
from service.config import Settings


@pytest.fixture
def cgroup(tmp_path, monkeypatch):
    """Point the quota files at a temp dir; none exist until a test writes them."""
    paths = {
        "CGROUP_CPU_MAX": tmp_path / "cpu.max",
        "CGROUP_V1_QUOTA": tmp_path / "cpu.cfs_quota_us",
        "CGROUP_V1_PERIOD": tmp_path / "cpu.cfs_period_us",
    }
    for name, path in paths.items():
        monkeypatch.setattr(models, name, path)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(32)), raising=False)
    return paths


def test_a_cgroup_v2_quota_caps_the_threads(cgroup):
    cgroup["CGROUP_CPU_MAX"].write_text("200000 100000\n")  # 2 CPUs
    assert models.available_cpus() == 2
    assert models.thread_count(Settings()) == 2


def test_a_fractional_quota_rounds_up(cgroup):
    cgroup["CGROUP_CPU_MAX"].write_text("150000 100000\n")
    assert models.available_cpus() == 2


def test_a_cgroup_v1_quota_caps_the_threads(cgroup):
    cgroup["CGROUP_V1_QUOTA"].write_text("100000\n")
    cgroup["CGROUP_V1_PERIOD"].write_text("100000\n")
    assert models.available_cpus() == 1


def test_no_quota_means_every_cpu_of_the_affinity_mask(cgroup):
    cgroup["CGROUP_CPU_MAX"].write_text("max 100000\n")
    cgroup["CGROUP_V1_QUOTA"].write_text("-1\n")
    cgroup["CGROUP_V1_PERIOD"].write_text("100000\n")
    assert models.available_cpus() == 32


def test_an_explicit_setting_wins(cgroup):
    cgroup["CGROUP_CPU_MAX"].write_text("200000 100000\n")
    assert models.thread_count(Settings(num_threads=3)) == 3


def _cpuinfo(tmp_path, flags: str):
    path = tmp_path / "cpuinfo"
    path.write_text(f"processor\t: 0\nmodel name\t: Some CPU\nflags\t\t: fpu sse4_1 avx avx2 {flags}\n\n")
    return path


def test_ctranslate2_gets_avx512_only_where_the_cpu_has_all_it_needs(tmp_path, monkeypatch):
    from service import models_ct2

    monkeypatch.delenv("CT2_FORCE_CPU_ISA", raising=False)
    full = "avx512f avx512cd avx512vl avx512dq avx512bw avx512_vnni"
    assert models_ct2.prefer_avx512(_cpuinfo(tmp_path, full)) is True
    assert os.environ["CT2_FORCE_CPU_ISA"] == "AVX512"

    monkeypatch.delenv("CT2_FORCE_CPU_ISA")
    assert models_ct2.prefer_avx512(_cpuinfo(tmp_path, "avx512f avx512cd avx512vl avx512dq")) is False
    assert "CT2_FORCE_CPU_ISA" not in os.environ  # CTranslate2 would refuse to start with it


def test_a_users_isa_choice_is_kept(tmp_path, monkeypatch):
    from service import models_ct2

    monkeypatch.setenv("CT2_FORCE_CPU_ISA", "AVX2")
    full = "avx512f avx512cd avx512vl avx512dq avx512bw"
    assert models_ct2.prefer_avx512(_cpuinfo(tmp_path, full)) is False
    assert os.environ["CT2_FORCE_CPU_ISA"] == "AVX2"
