"""Where the time of a 4-beam summary goes, on the CTranslate2 int8 distilbart-cnn-12-6 stand-in.

    .venv/bin/python -m benchmarks.profile_summary [--out PATH]

The summary of a 600-word article is one call: the English (about 1,000 BART tokens, cut to the
model's 1,024) in, SUMMARY_TOKENS out, with the decoding options distilbart's generation config
asks for (4 beams, length penalty 2.0, no 3-gram repeated). It is timed, best of REPEATS with
the cases taken in turn, as the service runs it (two threads in one call) and:

* encoder: max_decoding_length=1 (the encoder plus one decoding step);
* with one thread (what the second core gives);
* greedy, and without the 3-gram check (what the beam search and that check cost);
* with a vocabulary shortlist (CTranslate2's vmap: SHORTLIST output tokens instead of 50,265),
  which tells how much of a step the output layer is. A shortlist changes the output: it is
  measured here, not used by the service.

Prints a table and writes benchmarks/results/profile_summary.json (or --out).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from . import bench_pipeline, build_models, synth

SHORTLIST = 2000
REPEATS = 5
INPUT_TOKENS = 1000  # the English of a 600-word article, in BART tokens (the pipeline's one chunk)


def _best(cases: dict[str, tuple[Any, dict[str, Any]]], source: list[str]) -> dict[str, float]:
    """Best of REPEATS per case, the cases taken in turn (round by round), so that a slow
    spell of a shared machine spreads over all of them instead of falling on one."""
    best = dict.fromkeys(cases, float("inf"))
    for _ in range(REPEATS):
        for name, (translator, opts) in cases.items():
            opts = dict(opts)
            n = opts.pop("_length", bench_pipeline.SUMMARY_TOKENS)
            t = time.perf_counter()
            translator.translate_batch([source], min_decoding_length=n, max_decoding_length=n, **opts)
            best[name] = min(best[name], time.perf_counter() - t)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=bench_pipeline.RESULTS / "profile_summary.json")
    args = parser.parse_args(argv)
    os.environ.update(bench_pipeline.isa_environment(os.environ))  # an entry point, as the CLI
    import ctranslate2
    from transformers import AutoTokenizer

    from service.models import ct2

    source_dir = build_models.summary_model_dir()
    with tempfile.TemporaryDirectory() as tmp:
        folder = ct2.ensure_converted(str(source_dir), str(source_dir), None, Path(tmp))
        tok = AutoTokenizer.from_pretrained(source_dir)
        text = synth.article(*bench_pipeline.ARTICLES["600"]).text
        ids = tok(text)["input_ids"][: INPUT_TOKENS - 1] + [tok.eos_token_id]
        source = tok.convert_ids_to_tokens(ids)
        shortlisted = Path(tmp) / "shortlist"
        shutil.copytree(folder, shortlisted)
        vocab = json.loads((folder / "shared_vocabulary.json").read_text())
        (shortlisted / "vmap.txt").write_text("\t" + " ".join(vocab[:SHORTLIST]) + "\n")

        service = dict(beam_size=4, length_penalty=2.0, no_repeat_ngram_size=3)
        two = ctranslate2.Translator(str(folder), device="cpu", intra_threads=2, inter_threads=1)
        one = ctranslate2.Translator(str(folder), device="cpu", intra_threads=1, inter_threads=1)
        with_vmap = ctranslate2.Translator(str(shortlisted), device="cpu", intra_threads=2, inter_threads=1)
        two.translate_batch([source], beam_size=4, max_decoding_length=4)  # warm-up
        rows = _best(
            {
                "encoder + 1 step, 2 threads": (two, {**service, "_length": 1}),
                "full, 4 beams, 2 threads (the service)": (two, service),
                "full, 4 beams, 1 thread": (one, service),
                "full, 4 beams, no 3-gram check": (two, {"beam_size": 4, "length_penalty": 2.0}),
                "full, greedy": (two, {"beam_size": 1, "no_repeat_ngram_size": 3}),
                f"full, 4 beams, {SHORTLIST}-token shortlist": (with_vmap, {**service, "use_vmap": True}),
            },
            source,
        )
    full = rows["full, 4 beams, 2 threads (the service)"]
    enc = rows["encoder + 1 step, 2 threads"]
    short = rows[f"full, 4 beams, {SHORTLIST}-token shortlist"]
    derived = {
        "input_tokens": len(source),
        "output_tokens": bench_pipeline.SUMMARY_TOKENS,
        "seconds_per_output_token": round((full - enc) / (bench_pipeline.SUMMARY_TOKENS - 1), 4),
        "encoder_share": round(enc / full, 3),
        "output_layer_share_estimate": round((full - short) / full, 3),
        "decoder_layers_and_search_share_estimate": round((short - enc) / full, 3),
        "second_thread_speedup": round(rows["full, 4 beams, 1 thread"] / full, 2),
        "beam_search_cost_vs_greedy": round(full / rows["full, greedy"], 2),
        "ngram_check_share": round((full - rows["full, 4 beams, no 3-gram check"]) / full, 3),
    }
    report = {
        "command": "python -m benchmarks.profile_summary",
        "machine": bench_pipeline.machine(),
        "seconds": {k: round(v, 3) for k, v in rows.items()},
        **derived,
    }
    bench_pipeline.print_profile('one summary, 600-word article', rows, derived)
    bench_pipeline.write_report(args.out, report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
