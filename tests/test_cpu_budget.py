"""Thread counts follow the CPUs a container really grants, not the host's core count:
on a 2-vCPU Space on a many-core host, one thread per host core is several times slower."""

from __future__ import annotations

import os

import pytest

from service import models
from service.config import Settings
from service.models import cpu


@pytest.fixture
def cgroup(tmp_path, monkeypatch):
    """Point the quota files at a temp dir; none exist until a test writes them."""
    paths = {
        "CGROUP_CPU_MAX": tmp_path / "cpu.max",
        "CGROUP_V1_QUOTA": tmp_path / "cpu.cfs_quota_us",
        "CGROUP_V1_PERIOD": tmp_path / "cpu.cfs_period_us",
    }
    for name, path in paths.items():
        monkeypatch.setattr(cpu, name, path)
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
    path.write_text(f"processor\t: 0\nmodel name\t: Some CPU\nflags\t\t: fpu sse4_1 avx avx2 fma {flags}\n\n")
    return path


FULL_AVX512 = "avx512f avx512cd avx512vl avx512dq avx512bw avx512_vnni"


def test_ctranslate2_gets_avx512_only_where_the_cpu_has_all_it_needs(tmp_path):
    full = cpu.cpu_flags(_cpuinfo(tmp_path, FULL_AVX512))
    assert cpu.preferred_isa({}, full) == "AVX512"
    partial = cpu.cpu_flags(_cpuinfo(tmp_path, "avx512f avx512cd avx512vl avx512dq"))
    assert cpu.preferred_isa({}, partial) is None  # CTranslate2 would refuse to start with it
    assert cpu.preferred_isa({}, None) is None  # flags unreadable: leave CTranslate2 its choice


def test_the_entry_point_sets_the_choice_in_the_mapping_it_is_given_and_nothing_else(tmp_path):
    before = dict(os.environ)
    environ: dict[str, str] = {}
    assert cpu.configure_isa(environ, strict=True, cpuinfo=_cpuinfo(tmp_path, FULL_AVX512)) == "AVX512"
    assert environ == {"CT2_FORCE_CPU_ISA": "AVX512"}
    environ = {}
    assert cpu.configure_isa(environ, strict=True, cpuinfo=_cpuinfo(tmp_path, "")) is None
    assert environ == {}
    assert dict(os.environ) == before


def test_a_users_isa_choice_is_kept(tmp_path):
    environ = {"CT2_FORCE_CPU_ISA": "avx2"}
    assert cpu.configure_isa(environ, strict=True, cpuinfo=_cpuinfo(tmp_path, FULL_AVX512)) == "AVX2"
    assert environ == {"CT2_FORCE_CPU_ISA": "AVX2"}


@pytest.mark.parametrize(
    ("value", "expected"),
    [("AVX512", "instructions this CPU does not have"), ("SSE9", "not an instruction set")],
)
def test_an_isa_the_cpu_lacks_is_named_or_dropped_never_passed_on(tmp_path, caplog, value, expected):
    from service.errors import ConfigError

    avx2_only = _cpuinfo(tmp_path, "")
    with pytest.raises(ConfigError, match="CT2_FORCE_CPU_ISA") as raised:
        cpu.configure_isa({"CT2_FORCE_CPU_ISA": value}, strict=True, cpuinfo=avx2_only)
    assert expected in str(raised.value) and "AVX2" in str(raised.value)  # what to use instead

    environ = {"CT2_FORCE_CPU_ISA": value, "OTHER": "1"}
    with caplog.at_level("WARNING"):
        assert cpu.configure_isa(environ, strict=False, cpuinfo=avx2_only) is None
    assert environ == {"OTHER": "1"}
    assert "CT2_FORCE_CPU_ISA" in caplog.text and "Ignoring it" in caplog.text
