"""Read Indonesian news in English: fetch, extract, translate and summarise an article.

The public API is what `__all__` lists:

    import service
    result = service.run("https://www.kompas.com/...", options=service.Options(summary_length="short"))

Importing this package is cheap: it imports neither torch, transformers nor gradio, and the
pipeline's functions (`run`, `stream`) are imported on first use.
"""

from __future__ import annotations

from typing import Any

from .article import Article
from .config import Settings
from .errors import ServiceError
from .types import Options, Result, Summary

__all__ = ["Article", "Options", "Result", "Settings", "ServiceError", "Summary", "run", "stream"]
__version__ = "0.1.0"

# (`acquire` is not among them: `service.acquire` is the stage module of that name.)
_FROM_PIPELINE = frozenset({"run", "stream"})


def __getattr__(name: str) -> Any:
    """`service.run` and friends, imported when first asked for (PEP 562)."""
    if name in _FROM_PIPELINE:
        from . import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'service' has no attribute {name!r}")
