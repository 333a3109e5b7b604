"""Settings, read once from the environment and frozen.

Every knob has one environment variable; CLI flags override them by building a new
`Settings` with `dataclasses.replace`. The README's configuration table mirrors this file.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .choices import BACKENDS, CT2_COMPUTE_TYPES, SUMMARY_METHODS
from .errors import ConfigError

DEFAULT_TRANSLATION_MODEL = "Helsinki-NLP/opus-mt-id-en"
DEFAULT_SUMMARY_MODEL = "sshleifer/distilbart-cnn-12-6"
DEFAULT_INSTRUCT_MODEL = "Qwen/Qwen2.5-1.5B-Instruct"


# Spellings a yes/no variable accepts; anything else is a ConfigError rather than a silent "no".
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})
_DEVICE = re.compile(r"auto|cpu|cuda(:[0-9]+)?")


class _Env:
    """Reads SERVICE_* variables; a value we cannot use is a ConfigError naming the variable.

    An unset or blank variable means the default, as it always has.
    """

    def __init__(self, env: Mapping[str, str]) -> None:
        self._env = env

    def raw(self, name: str) -> str | None:
        value = self._env.get(name)
        return value.strip() if value is not None and value.strip() else None

    def _invalid(self, name: str, expected: str, why: str = "") -> ConfigError:
        why = f" ({why})" if why else ""
        return ConfigError(f"{name}={self._env.get(name)!r} is not valid{why}: expected {expected}.")

    def text(self, name: str, default: str) -> str:
        return self.raw(name) or default

    def choice(self, name: str, default: str, allowed: Sequence[str]) -> str:
        value = self.raw(name)
        if value is None:
            return default
        if value.lower() not in allowed:
            raise self._invalid(name, f"one of {', '.join(allowed)}")
        return value.lower()

    def device(self, name: str, default: str) -> str:
        value = self.raw(name)
        if value is None:
            return default
        if not _DEVICE.fullmatch(value.lower()):
            raise self._invalid(name, "auto, cpu, cuda or cuda:N (for example cuda:0)")
        return value.lower()

    def boolean(self, name: str, default: bool) -> bool:
        value = self.raw(name)
        if value is None:
            return default
        if value.lower() in _TRUE:
            return True
        if value.lower() in _FALSE:
            return False
        raise self._invalid(name, "1 or 0 (also true/false, yes/no, on/off)")

    def integer(self, name: str, default: int, minimum: int = 0) -> int:
        value = self.raw(name)
        if value is None:
            return default
        try:
            number = int(value)
        except ValueError:
            number = None
        if number is None:
            raise self._invalid(name, f"a whole number (for example {default})")
        if number < minimum:
            raise self._invalid(name, f"a whole number of at least {minimum} (for example {default})")
        return number

    def seconds(self, name: str, default: float) -> float:
        value = self.raw(name)
        if value is None:
            return default
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if not math.isfinite(number) or number <= 0:
            raise self._invalid(name, f"a number of seconds above 0 (for example {default:g})")
        return number

    def ports(self, name: str, default: tuple[int, ...]) -> tuple[int, ...]:
        value = self.raw(name)
        if value is None:
            return default
        expected = "port numbers from 1 to 65535 separated by commas (for example 80,443)"
        ports = []
        for item in (part.strip() for part in value.split(",") if part.strip()):
            port = int(item) if item.isascii() and item.isdigit() else 0
            if not 1 <= port <= 65535:
                raise self._invalid(name, expected, f"{item!r} is not a port")
            ports.append(port)
        if not ports:
            raise self._invalid(name, expected)
        return tuple(ports)

    def names(self, name: str, default: tuple[str, ...]) -> tuple[str, ...]:
        value = self.raw(name)
        if value is None:
            return default
        return tuple(item.strip() for item in value.split(",") if item.strip()) or default

    def user_agent(self, name: str, default: str) -> str:
        value = self.raw(name)
        if value is None:
            return default
        if not (value.isascii() and value.isprintable()):
            raise self._invalid(name, "printable ASCII text on one line (it is sent as an HTTP header)")
        return value


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
    # Per-outlet hints (body selectors, credit formats in extract/outlets.py); off reads every
    # page by the generic path alone, which is how a bad page is told from a stale rule.
    extract_outlet_rules: bool = True
    # Cache
    cache_enabled: bool = True
    cache_dir: Path = field(default_factory=_default_cache_dir)
    cache_max_mb: int = 200
    # Web app
    concurrency: int = 1
    queue_size: int = 16

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Settings from SERVICE_* variables; ConfigError names a variable whose value is unusable."""
        e = _Env(os.environ if env is None else env)
        d = cls()
        translation_model = e.text("SERVICE_TRANSLATION_MODEL", d.translation_model)
        models = e.names("SERVICE_TRANSLATION_MODELS", (translation_model,))
        if translation_model not in models:
            models = (translation_model, *models)
        summary_method = e.choice("SERVICE_SUMMARY_METHOD", d.summary_method, tuple(SUMMARY_METHODS))
        return cls(
            translation_model=translation_model,
            summary_model=e.text("SERVICE_SUMMARY_MODEL", d.summary_model),
            instruct_model=e.text("SERVICE_INSTRUCT_MODEL", d.instruct_model),
            translation_models=models,
            summary_method=summary_method,
            instruct_enabled=e.raw("SERVICE_INSTRUCT_MODEL") is not None or summary_method == "instruct",
            device=e.device("SERVICE_DEVICE", d.device),
            backend=e.choice("SERVICE_BACKEND", d.backend, BACKENDS),
            ct2_compute_type=e.choice("SERVICE_CT2_COMPUTE_TYPE", d.ct2_compute_type, CT2_COMPUTE_TYPES),
            num_threads=e.integer("SERVICE_NUM_THREADS", d.num_threads),
            num_beams=e.integer("SERVICE_NUM_BEAMS", d.num_beams),
            allow_private_urls=e.boolean("SERVICE_ALLOW_PRIVATE_URLS", d.allow_private_urls),
            allowed_ports=e.ports("SERVICE_ALLOWED_PORTS", d.allowed_ports),
            fetch_timeout=e.seconds("SERVICE_FETCH_TIMEOUT", d.fetch_timeout),
            fetch_deadline=e.seconds("SERVICE_FETCH_DEADLINE", d.fetch_deadline),
            max_body_bytes=e.integer("SERVICE_MAX_BODY_BYTES", d.max_body_bytes, minimum=1),
            max_redirects=e.integer("SERVICE_MAX_REDIRECTS", d.max_redirects),
            max_pages=e.integer("SERVICE_MAX_PAGES", d.max_pages, minimum=1),
            max_retries=e.integer("SERVICE_MAX_RETRIES", d.max_retries),
            user_agent=e.user_agent("SERVICE_USER_AGENT", d.user_agent),
            max_text_chars=e.integer("SERVICE_MAX_TEXT_CHARS", d.max_text_chars, minimum=1),
            max_upload_bytes=e.integer("SERVICE_MAX_UPLOAD_BYTES", d.max_upload_bytes, minimum=1),
            extract_deadline=e.seconds("SERVICE_EXTRACT_DEADLINE", d.extract_deadline),
            extract_outlet_rules=e.boolean("SERVICE_EXTRACT_OUTLET_RULES", d.extract_outlet_rules),
            cache_enabled=e.boolean("SERVICE_CACHE", d.cache_enabled),
            cache_dir=Path(e.raw("SERVICE_CACHE_DIR") or d.cache_dir),
            cache_max_mb=e.integer("SERVICE_CACHE_MAX_MB", d.cache_max_mb),
            concurrency=e.integer("SERVICE_CONCURRENCY", d.concurrency, minimum=1),
            queue_size=e.integer("SERVICE_QUEUE_SIZE", d.queue_size, minimum=1),
        )
