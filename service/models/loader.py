"""Loading: the one place that turns a model id into a ready tokenizer and model.

Stages ask for a model by (task, id or local directory); this module loads it once,
keeps it, and translates every loading failure into `ModelNotAvailableError` with a
message that names the model and says how to get it. Nothing here runs at import time,
and torch/transformers are imported only when a model is first needed.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..choices import BACKENDS
from ..config import Settings
from ..errors import ConfigError, ModelNotAvailableError
from . import ct2, hub
from .cpu import thread_count

SEQ2SEQ = "seq2seq"
CAUSAL = "causal"


@dataclass
class LoadedModel:
    """A tokenizer and model ready for `generate()`, with what the stages need to know."""

    model_id: str
    task: str  # SEQ2SEQ | CAUSAL
    family: str  # marian | m2m100 | nllb | bart | t5 | causal | other
    tokenizer: Any
    model: Any
    device: str
    max_input_tokens: int
    backend: str = "transformers"
    extra: Any = None  # backend-specific handle: the ctranslate2.Translator for "ctranslate2"


log = logging.getLogger(__name__)

_lock = threading.RLock()
_loaded: dict[tuple[str, str, str | None, str, str, str], LoadedModel] = {}
_threads_set = False


def is_local(model_id: str) -> bool:
    return os.path.isdir(os.path.expanduser(model_id))


def resolve_device(preference: str) -> str:
    """Pick CUDA when present and asked for (or 'auto'), else CPU."""
    import torch

    pref = (preference or "auto").strip().lower()
    if pref == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if pref.startswith("cuda") and not torch.cuda.is_available():
        raise ModelNotAvailableError(
            f"SERVICE_DEVICE={preference} but no CUDA GPU is visible; use SERVICE_DEVICE=cpu or auto."
        )
    return pref


def configure_threads(settings: Settings) -> None:
    """Use every core but not more on CPU; set once per process."""
    global _threads_set
    if _threads_set:
        return
    import torch

    torch.set_num_threads(thread_count(settings))
    _threads_set = True


def family_of(config: Any, tokenizer: Any = None) -> str:
    """The model family, which decides how the stages talk to it (e.g. language codes).

    NLLB checkpoints say `model_type: m2m_100`; they differ from M2M100 only in the
    tokenizer, so that is what tells them apart (config.tokenizer_class, or the loaded
    tokenizer's class for folders saved without it).
    """
    mt = getattr(config, "model_type", "") or ""
    if mt == "m2m_100":
        name = (getattr(config, "_name_or_path", "") or "").lower()
        tok = (getattr(config, "tokenizer_class", "") or "") + type(tokenizer).__name__
        return "nllb" if ("nllb" in name or "Nllb" in tok) else "m2m100"
    if mt in {"marian", "bart", "t5", "mt5", "nllb"}:
        return {"mt5": "t5"}.get(mt, mt)
    if mt in {"mbart", "pegasus"}:
        return mt
    return "other"


def _missing_message(model_id: str, task: str, cause: BaseException) -> str:
    if is_local(model_id):
        return (
            f"The model directory {model_id!r} could not be loaded ({type(cause).__name__}: {cause}). "
            "Check that it holds a saved tokenizer and model (save_pretrained)."
        )
    if model_id.startswith(("/", "./", "../", "~")):  # meant as a folder, and there is none
        return (
            f"There is no model directory at {model_id!r}. Check the path, or give a Hugging Face model id."
        )
    if not isinstance(cause, OSError):
        # Found, but not usable for this task (e.g. a causal LM asked to translate).
        kind = "sequence-to-sequence" if task == SEQ2SEQ else "causal language"
        return f"Model {model_id!r} could not be loaded as a {kind} model ({type(cause).__name__}: {cause})."
    return (
        f"Model {model_id!r} is not available: it is not in the local Hugging Face cache and the Hub "
        "could not be reached. Prefetch it with `python -m service download-models` while online, "
        "or point SERVICE_TRANSLATION_MODEL / SERVICE_SUMMARY_MODEL (or --translation-model / "
        "--summary-model) at a local directory."
    )


def _max_input_tokens(tokenizer: Any, model: Any) -> int:
    limits = []
    tmax = getattr(tokenizer, "model_max_length", None)
    if isinstance(tmax, int) and 0 < tmax < 100_000:
        limits.append(tmax)
    for attr in ("max_position_embeddings", "n_positions", "max_source_positions"):
        v = getattr(model.config, attr, None)
        if isinstance(v, int) and v > 0:
            limits.append(v)
    return min(limits) if limits else 512




def load(model_id: str, task: str, settings: Settings, revision: str | None = None) -> LoadedModel:
    """Load (once) and return a model for `task` from a Hub id or a local directory.

    settings.backend: "transformers" always uses transformers (the reference, and the GPU
    path); "ctranslate2" uses CTranslate2 for every model family it is checked for (see
    ct2.SUPPORTED_FAMILIES), transformers for the rest; "auto" does the same on a
    CPU only. A model needs no preparation: its CTranslate2 copy is made at first load.
    """
    backend = (settings.backend or "auto").strip().lower()
    if backend not in BACKENDS:
        raise ModelNotAvailableError(
            f"SERVICE_BACKEND={settings.backend!r} is not a backend; use one of {', '.join(BACKENDS)}."
        )
    if settings.ct2_compute_type not in ct2.COMPUTE_TYPES:
        raise ConfigError(
            f"SERVICE_CT2_COMPUTE_TYPE={settings.ct2_compute_type!r} is not offered; "
            f"use one of {', '.join(ct2.COMPUTE_TYPES)}."
        )
    key = (task, model_id, revision, settings.device, backend, settings.ct2_compute_type)
    with _lock:
        if key in _loaded:
            return _loaded[key]
        _quiet()
        source = _source(model_id, task, revision)
        loaded = None
        if task == SEQ2SEQ and backend != "transformers":
            loaded = _load_ctranslate2(
                model_id, source, settings, revision, explicit=backend == "ctranslate2"
            )
        if loaded is None:
            loaded = _load_transformers(model_id, source, task, settings, revision)
        _loaded[key] = loaded
        return loaded


def _source(model_id: str, task: str, revision: str | None) -> str:
    """Where to load from: a local folder; a Hub id while the Hub answers; else its cached copy.

    With the Hub unreachable a cached model loads from its snapshot folder at once, and one
    that is not cached fails now with one message, instead of after the Hub client's retries.
    """
    if is_local(model_id):
        return os.path.expanduser(model_id)
    if model_id.startswith(("/", "./", "../", "~")) or hub.reachable():
        return model_id
    snapshot = hub.cached_snapshot(model_id, revision)
    if snapshot is None:
        raise ModelNotAvailableError(_missing_message(model_id, task, OSError("the Hub is unreachable")))
    return str(snapshot)


def _load_ctranslate2(
    model_id: str, path: str, settings: Settings, revision: str | None, explicit: bool
) -> LoadedModel | None:
    """The model on CTranslate2 (int8), or None where transformers should serve it instead.

    With backend "auto" every obstacle (a GPU, an unchecked family, no ctranslate2 package, a
    failed conversion) quietly means transformers; asked for explicitly, a missing package or
    a failed conversion is an error the user can act on.
    """
    try:
        import transformers
    except ImportError as exc:  # pragma: no cover - install problem
        raise ModelNotAvailableError(f"transformers is not installed: {exc}") from exc
    device = resolve_device(settings.device)
    if not explicit and device != "cpu":
        return None  # on a GPU, transformers in float16 is the reference and fast enough
    try:
        config = transformers.AutoConfig.from_pretrained(path, revision=revision)
        tokenizer = transformers.AutoTokenizer.from_pretrained(path, revision=revision)
    except (OSError, ValueError, KeyError, ImportError) as exc:
        raise ModelNotAvailableError(_missing_message(model_id, SEQ2SEQ, exc)) from exc
    family = family_of(config, tokenizer)
    if family not in ct2.SUPPORTED_FAMILIES:
        if explicit:
            log.info("%s (%s) is not a CTranslate2-checked family; using transformers", model_id, family)
        return None
    if not ct2.available():
        if explicit:
            raise ModelNotAvailableError(
                "SERVICE_BACKEND=ctranslate2 but the ctranslate2 package is not installed: "
                "pip install ctranslate2, or use SERVICE_BACKEND=auto."
            )
        return None
    layout = ct2.thread_layout(config, thread_count(settings))
    try:
        compute_type = settings.ct2_compute_type
        folder = ct2.ensure_converted(model_id, path, revision, Path(settings.cache_dir), compute_type)
        translator = ct2.load_translator(folder, device, layout, compute_type)
    except ConfigError:
        raise  # a setting the user must fix (CT2_FORCE_CPU_ISA), not a model to give up on
    except Exception as exc:  # the converter and loader raise many kinds; all mean "not usable"
        if explicit:
            raise ModelNotAvailableError(
                f"Could not prepare {model_id!r} for CTranslate2 ({type(exc).__name__}: {exc}); "
                "use SERVICE_BACKEND=transformers."
            ) from exc
        log.warning(
            "CTranslate2 cannot run %s (%s: %s); using transformers", model_id, type(exc).__name__, exc
        )
        return None
    try:
        generation_config = transformers.GenerationConfig.from_pretrained(path, revision=revision)
    except OSError:  # no generation_config.json: transformers derives it from the config too
        generation_config = transformers.GenerationConfig.from_model_config(config)
    workers = layout[1] if device == "cpu" else 1
    model = ct2.Seq2SeqModel(translator, tokenizer, config, generation_config, family, workers)
    return LoadedModel(
        model_id=model_id,
        task=SEQ2SEQ,
        family=family,
        tokenizer=tokenizer,
        model=model,
        device=device,
        max_input_tokens=_max_input_tokens(tokenizer, model),
        backend="ctranslate2",
        extra=translator,
    )


def _quiet() -> None:
    """No progress bars or advice on stderr: the CLI's output and the app's log are ours."""
    import transformers

    transformers.utils.logging.disable_progress_bar()
    transformers.utils.logging.set_verbosity_error()


def _load_transformers(
    model_id: str, path: str, task: str, settings: Settings, revision: str | None
) -> LoadedModel:
    try:
        import torch
        import transformers
    except ImportError as exc:  # pragma: no cover - install problem
        raise ModelNotAvailableError(f"transformers/torch are not installed: {exc}") from exc

    configure_threads(settings)
    device = resolve_device(settings.device)
    auto_model = transformers.AutoModelForSeq2SeqLM if task == SEQ2SEQ else transformers.AutoModelForCausalLM
    dtype = torch.float16 if device.startswith("cuda") else torch.float32
    try:
        tokenizer = transformers.AutoTokenizer.from_pretrained(path, revision=revision)
        model = auto_model.from_pretrained(path, revision=revision, dtype=dtype)
    except (OSError, ValueError, KeyError, ImportError) as exc:
        raise ModelNotAvailableError(_missing_message(model_id, task, exc)) from exc
    model.eval()
    model.to(device)
    return LoadedModel(
        model_id=model_id,
        task=task,
        family=family_of(model.config, tokenizer) if task == SEQ2SEQ else "causal",
        tokenizer=tokenizer,
        model=model,
        device=device,
        max_input_tokens=_max_input_tokens(tokenizer, model),
    )


# Model-id fragments of encoder-decoder models; a Hub id without one is tried as a causal
# (decoder-only) model first.
_SEQ2SEQ_HINTS = ("t5", "t0", "bart", "pegasus", "flan", "marian", "opus-mt", "led-", "prophetnet")


def likely_task(model_id: str, *, likely_seq2seq: bool = False) -> str:
    """SEQ2SEQ or CAUSAL: a local folder's config.json says; a Hub id's name usually does."""
    if is_local(model_id):
        try:
            with open(os.path.join(os.path.expanduser(model_id), "config.json"), encoding="utf-8") as f:
                return SEQ2SEQ if json.load(f).get("is_encoder_decoder", False) else CAUSAL
        except (OSError, ValueError, AttributeError):
            pass
    if likely_seq2seq:
        return SEQ2SEQ
    name = model_id.lower().rsplit("/", 1)[-1]
    return SEQ2SEQ if any(hint in name for hint in _SEQ2SEQ_HINTS) else CAUSAL


def load_either(model_id: str, settings: Settings, *, likely_seq2seq: bool = False) -> LoadedModel:
    """Load a model whose kind the caller does not know: as the likely kind, then the other.

    A local folder is loaded once, as its config says; a Hub id that fails as one kind is
    tried as the other, and the first error is the one reported.
    """
    first = likely_task(model_id, likely_seq2seq=likely_seq2seq)
    try:
        return load(model_id, first, settings)
    except ModelNotAvailableError as first_error:
        if is_local(model_id):
            raise
        second = CAUSAL if first == SEQ2SEQ else SEQ2SEQ
        try:
            return load(model_id, second, settings)
        except ModelNotAvailableError:
            raise first_error from None


def loaded_models() -> list[str]:
    with _lock:
        return [m.model_id for m in _loaded.values()]


def forget_all() -> None:
    """Drop every loaded model (tests, and the UI after a failed load)."""
    with _lock:
        _loaded.clear()


def download(
    model_ids: list[str],
    progress: Callable[[str], None] | None = None,
    *,
    settings: Settings | None = None,
) -> list[Path]:
    """Fetch models into the Hugging Face cache so later runs work offline, and make the
    CTranslate2 copy of each model that `load` would run on CTranslate2 (settings: from the
    environment unless given), so that the first request neither waits for a conversion nor
    meets its memory peak."""
    from huggingface_hub import snapshot_download

    settings = settings or Settings.from_env()
    paths = []
    for model_id in model_ids:
        if is_local(model_id):
            paths.append(Path(model_id))
            _convert_ahead(model_id, os.path.expanduser(model_id), settings)
            continue
        if not hub.reachable():
            raise ModelNotAvailableError(
                f"Could not download {model_id!r}: the Hugging Face Hub cannot be reached from here. "
                "Check the connection (or HF_ENDPOINT), or copy the model folder here and give its path."
            )
        if progress:
            progress(model_id)
        try:
            paths.append(Path(snapshot_download(model_id)))
        except Exception as exc:  # huggingface_hub raises many kinds; all mean "not fetched"
            raise ModelNotAvailableError(
                f"Could not download {model_id!r} ({type(exc).__name__}): check the id and your connection."
            ) from exc
        _convert_ahead(model_id, str(paths[-1]), settings)
    return paths


def _convert_ahead(model_id: str, path: str, settings: Settings) -> Path | None:
    """The CTranslate2 conversion `load` would make for this model, made now (None: none needed).

    Only where `load` would use CTranslate2: backend "ctranslate2", or "auto" on a CPU, for a
    checked family. A failure is logged, not raised: `load` then decides as it always does.
    """
    backend = (settings.backend or "auto").strip().lower()
    if backend == "transformers" or not ct2.available():
        return None
    try:
        if backend == "auto" and resolve_device(settings.device) != "cpu":
            return None
        import transformers

        _quiet()
        config = transformers.AutoConfig.from_pretrained(path)
        if not getattr(config, "is_encoder_decoder", False):
            return None
        tokenizer = transformers.AutoTokenizer.from_pretrained(path)
        if family_of(config, tokenizer) not in ct2.SUPPORTED_FAMILIES:
            return None
        del tokenizer
        return ct2.ensure_converted(model_id, path, None, Path(settings.cache_dir), settings.ct2_compute_type)
    except Exception as exc:  # the converter raises many kinds; the first load tries again
        log.warning("could not convert %s to CTranslate2 ahead (%s: %s)", model_id, type(exc).__name__, exc)
        return None
