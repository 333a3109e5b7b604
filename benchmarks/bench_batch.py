"""`batch` measured: throughput against a plain loop, scale (streaming), and a killed worker.

    .venv/bin/python -m benchmarks.bench_batch                 # tiny models (the default; minutes)
    .venv/bin/python -m benchmarks.bench_batch --real          # real-shape models (benchmarks/build_models.py; slow)
    .venv/bin/python -m benchmarks.bench_batch --articles 40 --scale-rows 5000 --small-rows 500

Prints a table and writes benchmarks/results/batch_latest.json (batch_real_latest.json with
--real), with the CPU model and whether it has AVX2 / AVX-512. Every case
runs in its own fresh process, so the driver's peak RSS (VmHWM) is that case's alone.

- throughput: the same articles (synth.article, about 600 words) through a plain loop over
  `pipeline.run` in one process with all the CPUs' threads, and through `run_batch` with
  `--workers 1` and `--workers 2` (threads split between the actors); articles per minute,
  Ray's start and the actors' model loading included (what a user waits for).
- scale: N short texts, tiny models, extractive summary: every row present once, driver peak
  RSS against a run of N/10 rows, and rows per second in the first and the last tenth.
- fault: the scale input with one worker killed (it exits on the row with id "kill", the
  first time only): no row lost, none duplicated.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"


def _models(real: bool, work: Path) -> dict[str, str]:
    if real:
        from benchmarks import build_models

        return {"translation": str(build_models.translation_model_dir()), "summary": str(build_models.summary_model_dir())}
    sys.path.insert(0, str(ROOT))
    from tests.tiny_translators import build_tiny_marian

    marian = work / "tiny-marian"
    if not (marian / "config.json").exists():
        build_tiny_marian(marian)
    return {"translation": str(marian), "summary": ""}


def _articles(n: int, words: int) -> list[str]:
    from benchmarks import synth

    out = []
    for i in range(n):
        a = synth.article(words, seed=i + 1)
        out.append(a.title + "\n\n" + "\n\n".join(" ".join(p) for p in a.paragraphs))
    return out


def _peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def case(spec: dict[str, Any]) -> dict[str, Any]:
    """One case, in this (fresh) process."""
    from service.config import Settings
    from service.inputs import Item
    from service.types import Options

    work = Path(spec["work"])
    models = _models(spec["real"], work)
    settings = Settings(cache_enabled=False, cache_dir=work / "cache", num_threads=spec.get("threads", 0))
    method = spec.get("method", "extractive")
    options = Options(translation_model=models["translation"], summary_model=models["summary"] or None,
                      summary_method=method)
    if spec["kind"] in ("throughput", "scale", "fault"):
        if spec["kind"] == "throughput":
            texts = _articles(spec["n"], spec.get("words", 600))
        else:
            base = "Harga beras naik di pasar induk. Pedagang mengatakan pasokan dari daerah berkurang. Warga antre sejak pagi."
            texts = [f"Berita nomor {i}\n\n{base}" for i in range(spec["n"])]
        items = [Item(str(i), "text", t) for i, t in enumerate(texts)]
        if spec["kind"] == "fault":
            k = spec["n"] // 3 + (os.getpid() % max(spec["n"] // 3, 1))  # "a random moment"
            items[k] = Item("kill", "text", texts[k])
    if spec["kind"] == "throughput" and spec["mode"] == "loop":
        from service import pipeline

        started = time.monotonic()
        ok = 0
        for item in items:
            pipeline.run(text=item.value, options=options, settings=settings)
            ok += 1
        seconds = time.monotonic() - started
        return {"rows": ok, "seconds": round(seconds, 2), "per_minute": round(ok / seconds * 60, 1),
                "peak_rss_mb": _peak_rss_mb()}
    from service.batch import run_batch

    out = work / f"{spec['name']}.jsonl"
    marks: list[tuple[float, int]] = []
    count = [0]

    def on_rows(n: int) -> None:
        count[0] += n
        marks.append((time.monotonic(), count[0]))

    started = time.monotonic()
    summary = run_batch(items, out, options, settings=settings, workers=spec.get("workers", 1), quiet=True,
                        per_host_delay=0.0, batch_size=spec.get("batch_size", 4), on_rows=on_rows,
                        _kill_marker=str(work / f"{spec['name']}.killed") if spec["kind"] == "fault" else None)
    seconds = time.monotonic() - started
    ids = [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()]
    result: dict[str, Any] = {
        "rows": len(ids), "unique": len(set(ids)), "expected": len(items), "ok": summary.ok, "error": summary.error,
        "seconds": round(seconds, 2), "per_minute": round(len(ids) / seconds * 60, 1), "peak_rss_mb": _peak_rss_mb(),
        "killed": (work / f"{spec['name']}.killed").exists(),
    }
    if marks:
        # Ray's start and the actors' model loading come before the first row; after it, the rate.
        span = marks[-1][0] - marks[0][0]
        result["first_row_s"] = round(marks[0][0] - started, 2)
        if span > 0:
            result["per_minute_after_first_row"] = round((marks[-1][1] - marks[0][1]) / span * 60, 1)
    if marks and len(items) >= 50:
        def rate(lo: float, hi: float) -> float | None:
            a = next(((t, c) for t, c in marks if c >= lo * len(items)), None)
            b = next(((t, c) for t, c in marks if c >= hi * len(items)), None)
            return round((b[1] - a[1]) / (b[0] - a[0]), 2) if a and b and b[0] > a[0] else None

        result["rows_per_s_early"] = rate(0.1, 0.5)  # 10%..50% of the rows
        result["rows_per_s_late"] = rate(0.5, 0.9)  # 50%..90%
    return result


def _run(spec: dict[str, Any], timeout: float) -> dict[str, Any]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false", "TRANSFORMERS_VERBOSITY": "error"}
    proc = subprocess.run([sys.executable, "-m", "benchmarks.bench_batch", "--case", json.dumps(spec)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        return {"failed": proc.stderr.strip().splitlines()[-3:]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def machine() -> dict[str, Any]:
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    import importlib.metadata as md

    flags = next((line.split(":", 1)[1].split() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("flags")), [])
    return {"cpu": cpu, "cores": os.cpu_count(), "ray": md.version("ray"), "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "avx512": "avx512f" in flags, "avx2": "avx2" in flags,
            "ct2_force_cpu_isa": os.environ.get("CT2_FORCE_CPU_ISA")}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--case", help=argparse.SUPPRESS)
    ap.add_argument("--real", action="store_true", help="real-shape models from benchmarks/build_models.py")
    ap.add_argument("--articles", type=int, default=40)
    ap.add_argument("--words", type=int, default=600)
    ap.add_argument("--scale-rows", type=int, default=5000)
    ap.add_argument("--small-rows", type=int, default=500)
    ap.add_argument("--skip", default="", help="comma-separated: throughput,scale,fault")
    args = ap.parse_args(argv)
    if args.case:
        print(json.dumps(case(json.loads(args.case))))
        return 0
    work = Path(tempfile.mkdtemp(prefix="bench-batch-"))
    method = "abstractive" if args.real else "extractive"
    cpus = len(os.sched_getaffinity(0))
    skip = set(args.skip.split(","))
    results: dict[str, Any] = {}
    common = {"work": str(work), "real": args.real, "method": method}
    if "throughput" not in skip:
        results["loop"] = _run({**common, "name": "loop", "kind": "throughput", "mode": "loop", "n": args.articles,
                                "words": args.words, "threads": cpus}, 3600)
        for w in (1, 2):
            results[f"batch_w{w}"] = _run({**common, "name": f"w{w}", "kind": "throughput", "mode": "batch",
                                           "n": args.articles, "words": args.words, "workers": w, "batch_size": 1}, 3600)
    if "scale" not in skip:
        for name, n in (("scale_small", args.small_rows), ("scale_large", args.scale_rows)):
            results[name] = _run({**common, "method": "extractive", "name": name, "kind": "scale", "n": n,
                                  "workers": 2, "batch_size": 16}, 3600)
    if "fault" not in skip:
        results["fault"] = _run({**common, "method": "extractive", "name": "fault", "kind": "fault",
                                 "n": args.scale_rows, "workers": 2, "batch_size": 16}, 3600)
    derived: dict[str, Any] = {}
    loop = results.get("loop", {}).get("per_minute")
    for w in (1, 2):
        b = results.get(f"batch_w{w}", {}).get("per_minute")
        if loop and b:
            derived[f"batch_w{w}_vs_loop"] = round(b / loop, 2)
    s, l = results.get("scale_small", {}), results.get("scale_large", {})
    if s.get("peak_rss_mb") and l.get("peak_rss_mb"):
        derived["driver_rss_large_vs_small"] = round(l["peak_rss_mb"] / s["peak_rss_mb"], 3)
    f = results.get("fault", {})
    if f:
        derived["fault_rows_lost"] = f.get("expected", 0) - f.get("unique", 0)
        derived["fault_rows_duplicated"] = f.get("rows", 0) - f.get("unique", 0)
    report = {"schema": 1, "command": " ".join(["python -m benchmarks.bench_batch", *(argv or sys.argv[1:])]),
              "machine": machine(), "models": "real-shape random weights" if args.real else "tiny random weights (tests)",
              "articles": args.articles, "words": args.words, "results": results, "derived": derived}
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = "batch_real_latest.json" if args.real else "batch_latest.json"
    (RESULTS / name).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"{'case':<14}{'rows':>7}{'seconds':>10}{'per min':>10}{'peak MB':>10}")
    for name, r in results.items():
        print(f"{name:<14}{r.get('rows', '-')!s:>7}{r.get('seconds', '-')!s:>10}{r.get('per_minute', '-')!s:>10}"
              f"{r.get('peak_rss_mb', '-')!s:>10}  {'' if 'failed' not in r else r['failed']}")
    print(json.dumps(derived))
    return 0


if __name__ == "__main__":
    sys.exit(main())
