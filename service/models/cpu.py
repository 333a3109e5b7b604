"""What this process may use of the CPU: how many cores (affinity and container quota) and
which instruction set CTranslate2 should use.

Nothing here imports torch or CTranslate2, and nothing writes the process environment except
`configure_isa`, which only the entry points (the CLI, app.py) call.
"""

from __future__ import annotations

import logging
import math
import os
from collections.abc import Mapping, MutableMapping
from pathlib import Path

from ..config import Settings
from ..errors import ConfigError

log = logging.getLogger(__name__)

# Where Linux containers state a CPU quota (cgroup v2, then v1); module-level for tests.
CGROUP_CPU_MAX = Path("/sys/fs/cgroup/cpu.max")
CGROUP_V1_QUOTA = Path("/sys/fs/cgroup/cpu/cpu.cfs_quota_us")
CGROUP_V1_PERIOD = Path("/sys/fs/cgroup/cpu/cpu.cfs_period_us")


def available_cpus() -> int:
    """CPUs this process can really use: its CPU affinity, capped by a container's quota.

    os.cpu_count() reports the host: a 2-vCPU container (a free Space) on a 32-core host
    would otherwise run 32 threads that fight over 2 CPUs, several times slower.
    """
    try:
        n = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        n = os.cpu_count() or 1
    quota = _cgroup_cpu_quota()
    if quota is not None:
        n = min(n, max(1, math.ceil(quota)))
    return max(1, n)


def _cgroup_cpu_quota() -> float | None:
    try:
        fields = CGROUP_CPU_MAX.read_text().split()
        if len(fields) == 2 and fields[0] != "max":
            return int(fields[0]) / int(fields[1])
        return None
    except (OSError, ValueError, ZeroDivisionError):
        pass
    try:
        quota = int(CGROUP_V1_QUOTA.read_text())
        period = int(CGROUP_V1_PERIOD.read_text())
        return quota / period if quota > 0 and period > 0 else None
    except (OSError, ValueError):
        return None


def thread_count(settings: Settings) -> int:
    """Threads per model: settings.num_threads, else every CPU the process may use."""
    return settings.num_threads if settings.num_threads > 0 else available_cpus()


AVX512_FLAGS = frozenset({"avx512f", "avx512cd", "avx512vl", "avx512dq", "avx512bw"})
ISA_VARIABLE = "CT2_FORCE_CPU_ISA"
# What CTranslate2 accepts in CT2_FORCE_CPU_ISA, and the CPU flags (as /proc/cpuinfo spells
# them) each needs; the AVX-512 set is the one CTranslate2 itself checks for its AVX-512 code.
ISA_FLAGS: dict[str, frozenset[str]] = {
    "GENERIC": frozenset(),
    "AVX": frozenset({"avx"}),
    "AVX2": frozenset({"avx2", "fma"}),
    "AVX512": AVX512_FLAGS,
    "NEON": frozenset({"asimd"}),
}


def cpu_flags(cpuinfo: Path = Path("/proc/cpuinfo")) -> frozenset[str] | None:
    """The CPU's feature flags (x86 "flags", ARM "Features"); None where they cannot be read."""
    try:
        lines = cpuinfo.read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        if line.startswith(("flags", "Features")) and ":" in line:
            return frozenset(line.split(":", 1)[1].split())
    return None


def check_isa(environ: Mapping[str, str], flags: frozenset[str] | None) -> str | None:
    """The instruction set the user forced with CT2_FORCE_CPU_ISA (None: not set).

    A value CTranslate2 does not know, or one this CPU lacks, would make every model load fail
    with CTranslate2's own "The CPU does not support ..."; say instead which variable to fix.
    """
    raw = environ.get(ISA_VARIABLE)
    if raw is None or not raw.strip():
        return None
    isa = raw.strip().upper()
    if isa not in ISA_FLAGS:
        raise ConfigError(
            f"{ISA_VARIABLE}={raw!r} is not an instruction set CTranslate2 knows; "
            f"use one of {', '.join(ISA_FLAGS)}, or unset it."
        )
    if flags is not None and not ISA_FLAGS[isa] <= flags:
        usable = [name for name, needs in ISA_FLAGS.items() if needs <= flags]
        raise ConfigError(
            f"{ISA_VARIABLE}={raw!r} asks for instructions this CPU does not have; "
            f"unset it, or use one of {', '.join(usable)}."
        )
    return isa


def preferred_isa(environ: Mapping[str, str], flags: frozenset[str] | None) -> str | None:
    """The instruction set CTranslate2 should use here, or None to leave it its own choice.

    CTranslate2 leaves AVX-512 out of its automatic choice; on an AVX-512 Xeon it decoded the
    Marian model about 7% faster than AVX2 (BART: the same). A user's valid choice wins.
    """
    forced = check_isa(environ, flags)
    if forced is not None:
        return forced
    if flags is not None and AVX512_FLAGS <= flags:
        return "AVX512"
    return None


def configure_isa(
    environ: MutableMapping[str, str], *, strict: bool, cpuinfo: Path = Path("/proc/cpuinfo")
) -> str | None:
    """For entry points only (the CLI, app.py): set CT2_FORCE_CPU_ISA once, before any model.

    CTranslate2 reads the variable at its first use in the process and has no other way to
    be told, so the process's entry point sets it; library code never writes the environment.
    `strict`: a value this CPU cannot run raises ConfigError (the CLI says so and exits);
    otherwise it is dropped with a warning in the log and CTranslate2 chooses. Returns the
    instruction set now forced (None: CTranslate2's own choice).
    """
    flags = cpu_flags(cpuinfo)
    try:
        isa = preferred_isa(environ, flags)
    except ConfigError as exc:
        if strict:
            raise
        environ.pop(ISA_VARIABLE, None)
        log.warning("%s Ignoring it: CTranslate2 chooses the instruction set itself.", exc)
        return None
    if isa is not None:
        environ[ISA_VARIABLE] = isa
    return isa
