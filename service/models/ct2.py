"""The CTranslate2 half of models.py: convert a checkpoint once, load it, generate with it.

On a CPU, CTranslate2 with int8 weights runs the same encoder-decoder models several times
faster than transformers in float32, in a fraction of the memory. models.py decides when
to use it (settings.backend; "auto" means on CPU, for the families listed here) and is the
only caller of this module. The stages never know: `Seq2SeqModel` answers `generate()`
like a transformers model, honouring the model's own generation config the same way.

A conversion is kept under `<cache_dir>/ctranslate2/`, keyed by the model id, its revision
(the Hub commit) or, for a local folder, the files' names, sizes and modification times,
so an updated model is converted again and an unchanged one never is.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import re
import shutil
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..choices import CT2_COMPUTE_TYPES
from . import cpu, lean

log = logging.getLogger(__name__)

# Families whose CTranslate2 conversion is checked against transformers (tests/
# test_backend_agreement.py); CTranslate2 is used for these only. (Its M2M100 conversion
# rejects checkpoints whose vocabulary is not padded like the published ones.)
SUPPORTED_FAMILIES = frozenset({"marian", "bart", "nllb"})
# Weight types a conversion may use (settings.ct2_compute_type); int8 is the default.
COMPUTE_TYPES = CT2_COMPUTE_TYPES
# Bump when the conversion recipe changes, so old conversions are not reused.
RECIPE = 1

_convert_lock = threading.Lock()


def available() -> bool:
    try:
        import ctranslate2  # noqa: F401
    except ImportError:
        return False
    return True


def _slug(model_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "--", model_id.strip("/"))[-80:] or "model"


def _local_fingerprint(path: Path) -> str:
    """Names, sizes and mtimes of a folder's files, plus config.json's content."""
    h = hashlib.sha256()
    for f in sorted(p for p in path.rglob("*") if p.is_file()):
        st = f.stat()
        h.update(f"{f.relative_to(path)}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    config = path / "config.json"
    if config.is_file():
        h.update(config.read_bytes())
    return h.hexdigest()


def _hub_commit(model_id: str, revision: str | None) -> str | None:
    """The commit the local Hub cache resolves `revision` to (None: not cached)."""
    try:
        from huggingface_hub import try_to_load_from_cache
    except ImportError:  # pragma: no cover - a dependency of transformers
        return None
    found = try_to_load_from_cache(model_id, "config.json", revision=revision)
    if isinstance(found, str):
        return Path(found).parent.name  # .../snapshots/<commit>/config.json
    return None


def conversion_dir(
    model_id: str, source: str, revision: str | None, cache_dir: Path, compute_type: str = "int8"
) -> Path:
    """Where the conversion of this exact model version lives (whether or not it exists yet)."""
    import ctranslate2

    if os.path.isdir(os.path.expanduser(model_id)):
        version = _local_fingerprint(Path(source))
    else:
        version = _hub_commit(model_id, revision) or f"rev-{revision or 'main'}"
    key = hashlib.sha256(
        json.dumps([model_id, version, compute_type, RECIPE, ctranslate2.__version__]).encode()
    ).hexdigest()[:16]
    return Path(cache_dir).expanduser() / "ctranslate2" / f"{_slug(model_id)}-{key}"


def ensure_converted(
    model_id: str, source: str, revision: str | None, cache_dir: Path, compute_type: str = "int8"
) -> Path:
    """Convert the checkpoint unless this version was converted before; return its folder.

    The conversion is written to a temporary folder and renamed into place, so a crash or a
    second process converting at the same time never leaves a half-written model behind.
    """

    target = conversion_dir(model_id, source, revision, cache_dir, compute_type)
    if (target / "model.bin").is_file():
        return target
    with _convert_lock:
        if (target / "model.bin").is_file():
            return target
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=target.name + ".", suffix=".tmp", dir=target.parent))
        try:
            log.info("converting %s to CTranslate2 (%s) in %s", model_id, compute_type, target)
            converter = lean.lean_converter(_converter_class())(source, revision=revision)
            converter.convert(str(tmp), quantization=compute_type, force=True)
            if target.exists() and not (target / "model.bin").is_file():
                # Debris of a conversion that died before the rename (only whole conversions
                # are ever renamed into place, so this folder belongs to nobody).
                shutil.rmtree(target, ignore_errors=True)
            try:
                os.replace(tmp, target)
            except OSError:
                if not (target / "model.bin").is_file():  # not a lost race: a real failure
                    raise
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return target


def _converter_class() -> Any:
    import ctranslate2

    class Converter(ctranslate2.converters.TransformersConverter):
        """Fills in config attributes transformers 5 no longer saves but the converter reads."""

        def load_model(self, model_class: Any, name: str, **kwargs: Any) -> Any:
            model = super().load_model(model_class, name, **kwargs)
            if model.config.model_type == "bart" and not hasattr(model.config, "normalize_before"):
                model.config.normalize_before = False  # BART is post-norm
            return model

    return Converter


# Source tokens per sub-batch. On 2 vCPUs, 4-beam Marian decoding per call was as fast at
# 128 tokens as at 256 (slower beyond), and small calls keep every worker busy to the end.
SUB_BATCH_TOKENS = 128
# Below this width one model call is too small to share between threads: synchronising
# them costs more than it saves (Marian, d_model 512, sentence by sentence on 2 vCPUs: three
# times slower with 2 threads than with 1). Such models get one thread per call and as many
# calls in parallel as there are CPUs; wider ones (BART-large) split each call instead.
PARALLEL_CALLS_BELOW_WIDTH = 1024


def thread_layout(config: Any, threads: int) -> tuple[int, int]:
    """(threads per call, parallel calls) for a model on `threads` CPUs."""
    width = getattr(config, "d_model", None) or getattr(config, "hidden_size", None) or 0
    if threads > 1 and width < PARALLEL_CALLS_BELOW_WIDTH:
        return 1, threads
    return threads, 1


def load_translator(path: Path, device: str, layout: tuple[int, int], compute_type: str = "int8") -> Any:
    """A ctranslate2.Translator: int8 on CPU, int8 weights with float16 compute on CUDA (or
    float32 throughout, where asked)."""
    cpu.check_isa(os.environ, cpu.cpu_flags())  # read only: a bad value is named, not CTranslate2's error
    import ctranslate2

    if device.startswith("cuda"):
        index = int(device.split(":", 1)[1]) if ":" in device else 0
        return ctranslate2.Translator(
            str(path),
            device="cuda",
            device_index=index,
            compute_type="int8_float16" if compute_type == "int8" else compute_type,
        )
    intra, inter = layout
    # inter_threads replicas share one copy of the weights.
    return ctranslate2.Translator(
        str(path), device="cpu", compute_type=compute_type, intra_threads=intra, inter_threads=inter
    )


def sub_batches(lengths: Sequence[int], workers: int, budget: int = SUB_BATCH_TOKENS) -> list[list[int]]:
    """Row indices in groups of similar length of about `budget` tokens each (at least one
    per worker), longest group first, so that workers taking the next group as they finish
    all finish at about the same time."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    if workers <= 1 or len(order) < 2:
        return [order]
    total = sum(lengths)
    groups = min(len(order), max(workers, math.ceil(total / budget)))
    target = total / groups
    out: list[list[int]] = [[]]
    acc = 0.0
    for n, i in enumerate(order):
        rows_left = len(order) - n
        groups_left = groups - len(out)
        # Close a group when this row would take it past its share (midpoint rule), or when
        # every remaining row is needed to give each remaining group one.
        if (
            out[-1]
            and groups_left > 0
            and (acc + lengths[i] / 2 > target * len(out) or rows_left <= groups_left)
        ):
            out.append([])
        out[-1].append(i)
        acc += lengths[i]
    return out[::-1]


class Seq2SeqModel:
    """A CTranslate2 encoder-decoder with the face of a transformers model.

    The stages call `generate(input_ids=..., attention_mask=..., **kwargs)` and read `config`
    and `generation_config`, exactly as with transformers, so no stage code depends on the
    backend. Arguments mean what they mean in transformers (num_beams, max_new_tokens,
    min_new_tokens, forced_bos_token_id); everything else comes from the model's generation
    config, read the way transformers reads it. The output is a tensor of ids shaped like
    transformers' (decoder start first, </s> where generation ended, padding after).
    """

    # transformers arguments that mean nothing here: greedy and beam search never sample.
    _IGNORED = frozenset({"do_sample", "temperature", "top_p", "top_k", "pad_token_id"})

    def __init__(
        self,
        translator: Any,
        tokenizer: Any,
        config: Any,
        generation_config: Any,
        family: str,
        workers: int = 1,
    ):
        self.translator = translator
        self.tokenizer = tokenizer
        self.config = config
        self.generation_config = generation_config
        self.family = family
        self.workers = workers  # parallel calls the translator runs (its inter_threads)

    def _suppressed(self) -> list[list[str]] | None:
        bad = getattr(self.generation_config, "bad_words_ids", None) or []
        pad = getattr(self.config, "pad_token_id", None)
        out = []
        for seq in bad:
            # Marian's <pad> (its decoder start) is not in the converted vocabulary at all:
            # CTranslate2 can never produce it, which is what the bad word asked for.
            if self.family == "marian" and pad in seq:
                continue
            out.append(self.tokenizer.convert_ids_to_tokens(list(seq)))
        return out or None

    def options(
        self,
        *,
        num_beams: int | None = None,
        max_new_tokens: int | None = None,
        min_new_tokens: int | None = None,
        forced_bos_token_id: int | None = None,
    ) -> tuple[dict[str, Any], list[str] | None]:
        """CTranslate2 decoding options equivalent to transformers' for these arguments."""
        gen = self.generation_config
        beams = num_beams or getattr(gen, "num_beams", None) or 1
        if max_new_tokens is None:
            max_new_tokens = max(1, (getattr(gen, "max_length", None) or 256) - 1)
        if min_new_tokens is None:
            # transformers counts min_length with the decoder start token.
            min_new_tokens = max(0, (getattr(gen, "min_length", None) or 0) - 1)
        forced_bos = forced_bos_token_id
        if forced_bos is None:
            forced_bos = getattr(gen, "forced_bos_token_id", None)
        prefix = self.tokenizer.convert_ids_to_tokens([forced_bos]) if forced_bos is not None else None
        max_len = max_new_tokens
        if getattr(gen, "forced_eos_token_id", None) is not None and max_len > 1:
            # transformers spends the last step on a forced </s>; stopping one step earlier
            # and adding it gives the same output.
            max_len -= 1
        opts: dict[str, Any] = {
            "beam_size": int(beams),
            "max_decoding_length": int(max_len),
            "min_decoding_length": int(min(min_new_tokens, max_len)),
            "length_penalty": float(getattr(gen, "length_penalty", None) or 1.0),
            "repetition_penalty": float(getattr(gen, "repetition_penalty", None) or 1.0),
            "no_repeat_ngram_size": int(getattr(gen, "no_repeat_ngram_size", None) or 0),
            "max_input_length": 0,  # the stages never send more than the window; never truncate
            "suppress_sequences": self._suppressed(),
            "return_end_token": True,
        }
        return opts, prefix

    def generate_ids(self, rows: Sequence[Sequence[int]], **kwargs: Any) -> list[list[int]]:
        """Generated ids per input row (no decoder start token, </s> included when generated)."""
        if kwargs.get("do_sample"):
            raise ValueError("the CTranslate2 backend does not sample; use SERVICE_BACKEND=transformers")
        opts, prefix = self.options(**{k: v for k, v in kwargs.items() if k not in self._IGNORED})
        sources = [self.tokenizer.convert_ids_to_tokens([int(i) for i in row]) for row in rows]
        groups = sub_batches([len(src) for src in sources], self.workers)
        if len(groups) == 1:
            results = self._translate([sources[i] for i in groups[0]], prefix, opts, asynchronous=False)
        else:  # one call per worker, in parallel
            pending = [
                self._translate([sources[i] for i in g], prefix, opts, asynchronous=True) for g in groups
            ]
            results = [r.result() for call in pending for r in call]
        by_row: list[Any] = [None] * len(sources)
        for i, r in zip((i for g in groups for i in g), results, strict=True):
            by_row[i] = r
        eos = getattr(self.generation_config, "forced_eos_token_id", None)
        out = []
        for r in by_row:
            ids = self.tokenizer.convert_tokens_to_ids(r.hypotheses[0])
            if eos is not None and len(ids) >= opts["max_decoding_length"] and (not ids or ids[-1] != eos):
                ids.append(eos)  # the </s> transformers forces at the length limit
            out.append(ids)
        return out

    def _translate(
        self, sources: list[list[str]], prefix: list[str] | None, opts: dict, asynchronous: bool
    ) -> Any:
        target_prefix = [list(prefix) for _ in sources] if prefix else None
        return self.translator.translate_batch(
            sources, target_prefix=target_prefix, asynchronous=asynchronous, **opts
        )

    def generate(self, input_ids: Any = None, attention_mask: Any = None, **kwargs: Any) -> Any:
        """transformers-style: tensors in, a padded tensor of output ids out."""
        import torch

        rows = input_ids.tolist()
        if attention_mask is not None:
            rows = [[i for i, m in zip(row, mask) if m] for row, mask in zip(rows, attention_mask.tolist())]
        generated = self.generate_ids(rows, **kwargs)
        start = getattr(self.config, "decoder_start_token_id", None)
        pad = getattr(self.config, "pad_token_id", None)
        head = [start] if start is not None else []
        width = max(len(g) for g in generated) + len(head)
        filler = pad if pad is not None else 0
        return torch.tensor([head + g + [filler] * (width - len(head) - len(g)) for g in generated])
