"""Settings, read once from the environment and frozen.

Every knob has one environment variable; CLI flags override them by building a new
`Settings` with `dataclasses.replace`. The README's configuration table mirrors this file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

DEFAULT_TRANSLATION_MODEL = "Helsinki-NLP/opus-mt-id-en"
DEFAULT_SUMMARY_MODEL = "sshleifer/distilbart-cnn-12-6"
DEFAULT_INSTRUCT_MODEL = "Qwen/Qwen2.5-1.5B-Instruct"


def _bool(value: str | None, default: bool) -> bool:
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(value: str | None, default: int) -> int:
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"expected a whole number, got {value!r}") from None


def _float(value: str | None, default: float) -> float:
    if value is None or value.strip() == "":
        return default
    try:
        return float(value)
    except ValueError:
        raise ValueError(f"expected a number, got {value!r}") from None


def _list(value: str | None, default: tuple[str, ...]) -> tuple[str, ...]:
    if value is None or value.strip() == "":
        return default
    return tuple(item.strip() for item in value.split(",") if item.strip())


def _default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "indonesian-news-service"


@dataclass(frozen=True)
class Settings:
    # Models
    translation_model: str = DEFAULT_TRANSLATION_MODEL
    summary_model: str = DEFAULT_SUMMARY_MODEL
    instruct_model: str = DEFAULT_INSTRUCT_MODEL
    translation_models: tuple[str, ...] = (DEFAULT_TRANSLATION_MODEL,)
    summary_method: str = "abstractive"
    # The default instruct model (1.5B parameters) is too slow to offer every visitor of a free
    # CPU Space: the web app offers the instruct method only when a model was chosen on purpose.
    instruct_enabled: bool = False
    device: str = "auto"  # auto | cpu | cuda | cuda:N
    backend: str = "auto"  # auto | transformers | ctranslate2
    # CTranslate2's weights and arithmetic on CPU: int8 (fast, small; the default) or float32
    # (what transformers computes, for checking a conversion; slower and larger).
    ct2_compute_type: str = "int8"
    num_threads: int = 0  # 0: let models.py choose
    num_beams: int = 0  # 0: the model's own generation config
    # Fetching
    allow_private_urls: bool = False
    allowed_ports: tuple[int, ...] = (80, 443)
    fetch_timeout: float = 10.0  # connect / read, seconds
    fetch_deadline: float = 30.0  # whole fetch incl. redirects and pages, seconds
    max_body_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5
    max_pages: int = 10
    max_retries: int = 1
    user_agent: str = (
        "indonesian-news-service/0.1 (+https://huggingface.co/spaces; reads one article on a user's request)"
    )
    # Input limits
    max_text_chars: int = 100_000
    max_upload_bytes: int = 5 * 1024 * 1024
    # CPU time one extraction may take (seconds of wall clock in the extracting thread): a
    # slow pattern on hostile text then fails one request instead of holding a worker.
    extract_deadline: float = 10.0
    # Cache
    cache_enabled: bool = True
    cache_dir: Path = field(default_factory=_default_cache_dir)
    cache_max_mb: int = 200
    # Web app
    concurrency: int = 1
    queue_size: int = 16

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "Settings":
        e = os.environ if env is None else env
        d = cls()
        translation_model = e.get("SERVICE_TRANSLATION_MODEL") or d.translation_model
        models = _list(e.get("SERVICE_TRANSLATION_MODELS"), (translation_model,))
        if translation_model not in models:
            models = (translation_model, *models)
        return cls(
            translation_model=translation_model,
            summary_model=e.get("SERVICE_SUMMARY_MODEL") or d.summary_model,
            instruct_model=e.get("SERVICE_INSTRUCT_MODEL") or d.instruct_model,
            translation_models=models,
            summary_method=e.get("SERVICE_SUMMARY_METHOD") or d.summary_method,
            instruct_enabled=bool((e.get("SERVICE_INSTRUCT_MODEL") or "").strip())
            or e.get("SERVICE_SUMMARY_METHOD") == "instruct",
            device=e.get("SERVICE_DEVICE") or d.device,
            backend=e.get("SERVICE_BACKEND") or d.backend,
            ct2_compute_type=e.get("SERVICE_CT2_COMPUTE_TYPE") or d.ct2_compute_type,
            num_threads=_int(e.get("SERVICE_NUM_THREADS"), d.num_threads),
            num_beams=_int(e.get("SERVICE_NUM_BEAMS"), d.num_beams),
            allow_private_urls=_bool(e.get("SERVICE_ALLOW_PRIVATE_URLS"), d.allow_private_urls),
            allowed_ports=tuple(int(p) for p in _list(e.get("SERVICE_ALLOWED_PORTS"), ("80", "443"))),
            fetch_timeout=_float(e.get("SERVICE_FETCH_TIMEOUT"), d.fetch_timeout),
            fetch_deadline=_float(e.get("SERVICE_FETCH_DEADLINE"), d.fetch_deadline),
            max_body_bytes=_int(e.get("SERVICE_MAX_BODY_BYTES"), d.max_body_bytes),
            max_redirects=_int(e.get("SERVICE_MAX_REDIRECTS"), d.max_redirects),
            max_pages=_int(e.get("SERVICE_MAX_PAGES"), d.max_pages),
            max_retries=_int(e.get("SERVICE_MAX_RETRIES"), d.max_retries),
            user_agent=e.get("SERVICE_USER_AGENT") or d.user_agent,
            max_text_chars=_int(e.get("SERVICE_MAX_TEXT_CHARS"), d.max_text_chars),
            max_upload_bytes=_int(e.get("SERVICE_MAX_UPLOAD_BYTES"), d.max_upload_bytes),
            extract_deadline=_float(e.get("SERVICE_EXTRACT_DEADLINE"), d.extract_deadline),
            cache_enabled=_bool(e.get("SERVICE_CACHE"), d.cache_enabled),
            cache_dir=Path(e["SERVICE_CACHE_DIR"]) if e.get("SERVICE_CACHE_DIR") else d.cache_dir,
            cache_max_mb=_int(e.get("SERVICE_CACHE_MAX_MB"), d.cache_max_mb),
            concurrency=_int(e.get("SERVICE_CONCURRENCY"), d.concurrency),
            queue_size=_int(e.get("SERVICE_QUEUE_SIZE"), d.queue_size),
        )
