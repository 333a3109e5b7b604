"""Where the time of a 4-beam translation goes, on the CTranslate2 int8 Marian model.

    .venv/bin/python -m benchmarks.profile_translation [--out PATH]

One thread, one call at a time, the 600-word article's sentences in the service's batches
(sorted by length, about 128 source tokens each), every output forced to the benchmark's
length (ceil(1.2 x source tokens)). It times:

* encoder: max_decoding_length=1 (the encoder plus one decoding step);
* the whole translation at 4 beams and greedy;
* the same with a vocabulary shortlist (CTranslate2's vmap: the output layer computes
  SHORTLIST tokens instead of 54,795), which tells how much of a step the output layer is.
  A shortlist can change the output: it is measured here, not used by the service.

Prints a table and writes benchmarks/results/profile_translation.json (or --out).
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
REPEATS = 3


def _batches(units: list[list[str]], budget: int = 128) -> list[list[list[str]]]:
    order = sorted(units, key=len)
    out: list[list[list[str]]] = [[]]
    used = 0
    for u in order:
        if out[-1] and used + len(u) > budget:
            out.append([])
            used = 0
        out[-1].append(u)
        used += len(u)
    return out


def _time(translator: Any, batches: list[list[list[str]]], **opts: Any) -> float:
    best = float("inf")
    length = opts.pop("_length", None)
    for _ in range(REPEATS):
        t = time.perf_counter()
        for batch in batches:
            n = max(bench_pipeline.translation_target(len(s) - 1) for s in batch)
            translator.translate_batch(
                batch, min_decoding_length=length or n, max_decoding_length=length or n, **opts
            )
        best = min(best, time.perf_counter() - t)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=bench_pipeline.RESULTS / "profile_translation.json")
    args = parser.parse_args(argv)
    os.environ.update(bench_pipeline.isa_environment(os.environ))  # an entry point, as the CLI
    import ctranslate2
    from transformers import AutoTokenizer

    from service.models import ct2

    source = build_models.translation_model_dir()
    with tempfile.TemporaryDirectory() as tmp:
        folder = ct2.ensure_converted(str(source), str(source), None, Path(tmp))
        tok = AutoTokenizer.from_pretrained(source)
        title, paragraphs = bench_pipeline._article_units(synth.article(*bench_pipeline.ARTICLES["600"]))
        sentences = [title, *[s for p in paragraphs for s in p]]
        units = [tok.convert_ids_to_tokens(tok(s)["input_ids"]) for s in sentences]
        batches = _batches(units)
        useful = sum(bench_pipeline.translation_target(len(u) - 1) for u in units)
        shortlisted = Path(tmp) / "shortlist"
        shutil.copytree(folder, shortlisted)
        vocab = json.loads((folder / "shared_vocabulary.json").read_text())
        (shortlisted / "vmap.txt").write_text("\t" + " ".join(vocab[:SHORTLIST]) + "\n")

        translator = ctranslate2.Translator(str(folder), device="cpu", intra_threads=1, inter_threads=1)
        with_vmap = ctranslate2.Translator(str(shortlisted), device="cpu", intra_threads=1, inter_threads=1)
        translator.translate_batch(batches[0], beam_size=4, max_decoding_length=4)  # warm-up
        rows: dict[str, float] = {
            "encoder + 1 step, 4 beams": _time(translator, batches, beam_size=4, _length=1),
            "full, 4 beams": _time(translator, batches, beam_size=4),
            "full, greedy": _time(translator, batches, beam_size=1),
            f"full, 4 beams, {SHORTLIST}-token shortlist": _time(with_vmap, batches, beam_size=4, use_vmap=True),
            f"full, greedy, {SHORTLIST}-token shortlist": _time(with_vmap, batches, beam_size=1, use_vmap=True),
        }
    full = rows["full, 4 beams"]
    enc = rows["encoder + 1 step, 4 beams"]
    short = rows[f"full, 4 beams, {SHORTLIST}-token shortlist"]
    derived = {
        "useful_tokens": useful,
        "batches": len(batches),
        "tokens_per_second_one_thread_4_beams": round(useful / full, 1),
        "encoder_share": round(enc / full, 3),
        "output_layer_share_estimate": round((full - short) / full, 3),
        "decoder_layers_and_search_share_estimate": round((short - enc) / full, 3),
    }
    report = {
        "command": "python -m benchmarks.profile_translation",
        "machine": bench_pipeline.machine(),
        "seconds": {k: round(v, 3) for k, v in rows.items()},
        **derived,
    }
    bench_pipeline.print_profile('one thread, 600-word article', rows, derived, per_second=useful)
    bench_pipeline.write_report(args.out, report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
