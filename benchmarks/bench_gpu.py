"""Translation and summary speed on a CUDA GPU: CTranslate2 (float16, int8_float16) and
transformers (float16), on the benchmark's real-shape stand-in models.

    .venv/bin/python -m benchmarks.bench_gpu [--out PATH] [--device-index N]

Prints a table and writes benchmarks/results/gpu_latest.json. Without a CUDA device it
prints one line saying so and exits 2 (nothing else is run or written).

Per engine: load seconds, the 600-word article's sentences translated at 4 beams in the
service's batches (tokens/s, lengths forced as in bench_pipeline), one summariser call
(100 tokens, 4 beams), and the GPU memory peak (torch's for transformers; nvidia-smi's
reading is not used, so CTranslate2's own pool shows as "-").
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

NO_GPU = "error: no CUDA device is visible (torch.cuda.is_available() is False and CTranslate2 sees no GPU); run this on a GPU machine"


def cuda_devices() -> int:
    """How many CUDA devices both torch and CTranslate2 can use (0 when either sees none)."""
    try:
        import torch

        torch_n = torch.cuda.device_count() if torch.cuda.is_available() else 0
    except Exception:  # a broken CUDA install counts as no GPU
        torch_n = 0
    try:
        import ctranslate2

        ct2_n = ctranslate2.get_cuda_device_count()
    except Exception:
        ct2_n = 0
    return min(torch_n, ct2_n)


def _units(tokenizer: Any) -> list[list[str]]:
    from . import bench_pipeline, synth

    title, paragraphs = bench_pipeline._article_units(synth.article(*bench_pipeline.ARTICLES["600"]))
    return [tokenizer.convert_ids_to_tokens(tokenizer(s)["input_ids"]) for s in [title, *[x for p in paragraphs for x in p]]]


def _batches(units: list[list[str]], budget: int = 1024, most: int = 32) -> list[list[list[str]]]:
    out: list[list[list[str]]] = [[]]
    for u in sorted(units, key=len):
        if out[-1] and (len(u) * (len(out[-1]) + 1) > budget or len(out[-1]) >= most):
            out.append([])
        out[-1].append(u)
    return out


def run_ct2(compute_type: str, index: int, mt_dir: Path, sm_dir: Path, cache: Path) -> dict[str, Any]:
    import ctranslate2
    from transformers import AutoTokenizer

    from service.models import ct2

    from . import bench_pipeline

    out: dict[str, Any] = {"engine": f"ctranslate2 {compute_type}"}
    t = time.perf_counter()
    mt_folder = ct2.ensure_converted(str(mt_dir), str(mt_dir), None, cache, "int8")
    sm_folder = ct2.ensure_converted(str(sm_dir), str(sm_dir), None, cache, "int8")
    mt = ctranslate2.Translator(str(mt_folder), device="cuda", device_index=index, compute_type=compute_type)
    sm = ctranslate2.Translator(str(sm_folder), device="cuda", device_index=index, compute_type=compute_type)
    out["load_seconds"] = round(time.perf_counter() - t, 2)
    tok = AutoTokenizer.from_pretrained(mt_dir)
    units = _units(tok)
    batches = _batches(units)
    mt.translate_batch(batches[0][:2], beam_size=4, max_decoding_length=8)  # warm-up
    useful = sum(bench_pipeline.translation_target(len(u) - 1) for u in units)
    t = time.perf_counter()
    for batch in batches:
        n = max(bench_pipeline.translation_target(len(u) - 1) for u in batch)
        mt.translate_batch(batch, beam_size=4, min_decoding_length=n, max_decoding_length=n)
    seconds = time.perf_counter() - t
    out.update(translate_seconds=round(seconds, 3), tokens_per_second=round(useful / seconds, 1))
    sm_tok = AutoTokenizer.from_pretrained(sm_dir)
    text = " ".join(tok.convert_tokens_to_string(u) for u in units)
    src = sm_tok.convert_ids_to_tokens(sm_tok(text, truncation=True, max_length=1024)["input_ids"])
    n = bench_pipeline.SUMMARY_TOKENS
    sm.translate_batch([src], beam_size=4, min_decoding_length=n, max_decoding_length=n)  # warm-up
    t = time.perf_counter()
    sm.translate_batch([src], beam_size=4, min_decoding_length=n, max_decoding_length=n)
    out["summary_seconds"] = round(time.perf_counter() - t, 3)
    out["gpu_peak_mb"] = None
    return out


def run_transformers(index: int, mt_dir: Path, sm_dir: Path) -> dict[str, Any]:
    import torch
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    from . import bench_pipeline

    device = f"cuda:{index}"
    out: dict[str, Any] = {"engine": "transformers float16"}
    torch.cuda.reset_peak_memory_stats(device)
    t = time.perf_counter()
    mt = AutoModelForSeq2SeqLM.from_pretrained(mt_dir, dtype=torch.float16).to(device).eval()
    sm = AutoModelForSeq2SeqLM.from_pretrained(sm_dir, dtype=torch.float16).to(device).eval()
    out["load_seconds"] = round(time.perf_counter() - t, 2)
    tok = AutoTokenizer.from_pretrained(mt_dir)
    units = _units(tok)
    useful = sum(bench_pipeline.translation_target(len(u) - 1) for u in units)
    texts = [tok.convert_tokens_to_string(u[:-1]) for u in units]
    order = sorted(range(len(units)), key=lambda i: len(units[i]))
    groups = _batches([units[i] for i in order])
    with torch.inference_mode():
        t = time.perf_counter()
        start = 0
        for group in groups:
            rows = [texts[i] for i in order[start : start + len(group)]]
            start += len(group)
            n = max(bench_pipeline.translation_target(len(u) - 1) for u in group)
            enc = tok(rows, return_tensors="pt", padding=True).to(device)
            mt.generate(**enc, num_beams=4, min_new_tokens=n, max_new_tokens=n)
        torch.cuda.synchronize(device)
        seconds = time.perf_counter() - t
        out.update(translate_seconds=round(seconds, 3), tokens_per_second=round(useful / seconds, 1))
        sm_tok = AutoTokenizer.from_pretrained(sm_dir)
        enc = sm_tok([" ".join(texts)], return_tensors="pt", truncation=True, max_length=1024).to(device)
        n = bench_pipeline.SUMMARY_TOKENS
        sm.generate(**enc, num_beams=4, min_new_tokens=n, max_new_tokens=n)  # warm-up
        torch.cuda.synchronize(device)
        t = time.perf_counter()
        sm.generate(**enc, num_beams=4, min_new_tokens=n, max_new_tokens=n)
        torch.cuda.synchronize(device)
        out["summary_seconds"] = round(time.perf_counter() - t, 3)
    out["gpu_peak_mb"] = round(torch.cuda.max_memory_allocated(device) / 2**20)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "results" / "gpu_latest.json")
    parser.add_argument("--device-index", type=int, default=0)
    args = parser.parse_args(argv)
    if cuda_devices() <= args.device_index:
        print(NO_GPU, file=sys.stderr)
        return 2
    import torch

    from . import bench_pipeline, build_models

    build_models.main()
    mt_dir, sm_dir = build_models.translation_model_dir(), build_models.summary_model_dir()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for compute_type in ("float16", "int8_float16"):
            rows.append(run_ct2(compute_type, args.device_index, mt_dir, sm_dir, Path(tmp)))
    rows.append(run_transformers(args.device_index, mt_dir, sm_dir))
    header = ("engine", "load s", "tok/s (4 beams)", "translate s", "summary call s", "GPU peak MB")
    table = [header] + [
        (
            r["engine"],
            str(r["load_seconds"]),
            str(r["tokens_per_second"]),
            str(r["translate_seconds"]),
            str(r["summary_seconds"]),
            "-" if r["gpu_peak_mb"] is None else str(r["gpu_peak_mb"]),
        )
        for r in rows
    ]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for row in table:
        print("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))))
    report = {
        "command": "python -m benchmarks.bench_gpu",
        "machine": bench_pipeline.machine(),
        "gpu": torch.cuda.get_device_name(args.device_index),
        "rows": rows,
    }
    bench_pipeline.write_report(args.out, report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
