"""Models: the only package that loads models or knows about devices, threads and engines.

- `loader`: a model id (Hub or local folder) -> a `LoadedModel`, once per process; every
  loading failure becomes `ModelNotAvailableError` naming the model and how to get it.
- `ct2`: the CTranslate2 engine (conversion once into the cache, a transformers-shaped
  `generate()`), used on CPU for the families checked against transformers.
- `cpu`: the CPUs a process may use and CTranslate2's instruction set.

Nothing here imports torch, transformers or ctranslate2 until a model is first needed.
"""

from __future__ import annotations

from .cpu import available_cpus, configure_isa, thread_count
from .loader import (
    BACKENDS,
    CAUSAL,
    SEQ2SEQ,
    LoadedModel,
    configure_threads,
    download,
    family_of,
    forget_all,
    is_local,
    likely_task,
    load,
    load_either,
    loaded_models,
    resolve_device,
)

__all__ = [
    "BACKENDS",
    "CAUSAL",
    "SEQ2SEQ",
    "LoadedModel",
    "available_cpus",
    "configure_isa",
    "configure_threads",
    "download",
    "family_of",
    "forget_all",
    "is_local",
    "likely_task",
    "load",
    "load_either",
    "loaded_models",
    "resolve_device",
    "thread_count",
]
