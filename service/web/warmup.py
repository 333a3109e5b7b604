"""Model warm-up: the configured models load once, in a background thread, and say how far they got.

What to load is the pipeline's business (`pipeline.warm_up`); this module only runs it off the
request path, keeps the states the page's model line shows, and remembers failures:

- a model that cannot be had is logged once (one line for the operator, with the loader's
  advice) and shown to readers as "not available right now", with no instructions;
- failed warm-up models are retried in the background every `retry_seconds` (not per click),
  quietly, and logged again only when one becomes ready;
- `unavailable(model_id)` tells the page handler not to try a model that failed less than
  `retry_seconds` ago, so a click answers at once with the original article.
"""

from __future__ import annotations

import logging
import threading
import time

from .. import pipeline
from ..config import Settings
from ..errors import ServiceError
from . import render
from .constants import LOGGER_NAME
from .requests import instruct_enabled

log = logging.getLogger(LOGGER_NAME)

# The name the page and the log use for each model -> the kind `pipeline.warm_up` loads.
KINDS = {"Translation model": "translation", "Summary model": "summary", "Instruct model": "instruct"}
RETRY_SECONDS = 300.0  # how often a model that could not be had is tried again, in the background
LOADING_RECHECK_SECONDS = 1.5  # the page's model line, while models load
RETRY_RECHECK_SECONDS = 30.0  # ... and while a failed one waits for its background retry


class ModelWarmup:
    """Loads the configured models once, in a background thread, and says how far it got."""

    def __init__(self, settings: Settings, *, retry_seconds: float = RETRY_SECONDS) -> None:
        self.settings = settings
        self.retry_seconds = retry_seconds
        self._lock = threading.Lock()
        self.states: dict[str, tuple[str, str]] = {
            "Translation model": ("loading", settings.translation_model),
            "Summary model": ("loading", settings.summary_model),
        }
        if instruct_enabled(settings):
            self.states["Instruct model"] = ("loading", settings.instruct_model)
        self._failed: dict[str, float] = {}  # model id -> when it last failed (monotonic)
        self._logged: set[str] = set()  # model ids whose failure is in the log already
        self._stop = threading.Event()
        self.thread: threading.Thread | None = None
        self.attempts = 0  # warm-up loads tried, retries included (for tests and the log)

    def start(self) -> ModelWarmup:
        if self.thread is None:
            self.thread = threading.Thread(target=self._run, name="model-warmup", daemon=True)
            self.thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()

    def defer(self) -> None:
        """No background loading: each model loads on its first request."""
        with self._lock:
            self.states = {name: ("lazy", detail) for name, (_, detail) in self.states.items()}

    def _set(self, name: str, state: str, detail: str) -> None:
        with self._lock:
            self.states[name] = (state, detail)

    def _model_id(self, name: str) -> str:
        s = self.settings
        return {
            "Translation model": s.translation_model,
            "Summary model": s.summary_model,
            "Instruct model": s.instruct_model,
        }[name]

    def _load(self, name: str) -> bool:
        model_id = self._model_id(name)
        self.attempts += 1
        try:
            pipeline.warm_up(KINDS[name], self.settings)
        except ServiceError as exc:
            self.failed(model_id, f"{name} {model_id} could not be loaded: {exc}")
            self._set(name, "failed", model_id)
            return False
        except Exception as exc:  # noqa: BLE001 - a broken model folder raises anything; keep serving
            self.failed(model_id, f"{name} {model_id} could not be loaded ({type(exc).__name__})")
            self._set(name, "failed", model_id)
            return False
        retried = model_id in self._logged
        with self._lock:
            self._failed.pop(model_id, None)
            self._logged.discard(model_id)
        log.info("%s ready: %s%s", name, model_id, " (on a retry)" if retried else "")
        self._set(name, "ready", model_id)
        return True

    def _run(self) -> None:
        pending = [name for name in self.states]
        while pending and not self._stop.is_set():
            pending = [name for name in pending if not self._load(name)]
            if pending and self._stop.wait(self.retry_seconds):
                return

    # ---- what the page handler asks

    def failed(self, model_id: str, line: str) -> None:
        """Remember that `model_id` cannot be had now; log `line` the first time only."""
        with self._lock:
            self._failed[model_id] = time.monotonic()
            first = model_id not in self._logged
            self._logged.add(model_id)
        if first:
            log.warning("%s", " ".join(line.split()))

    def unavailable(self, model_id: str | None) -> bool:
        """Whether `model_id` failed less than `retry_seconds` ago (so a request should not wait for it)."""
        if not model_id:
            return False
        with self._lock:
            when = self._failed.get(model_id)
        return when is not None and time.monotonic() - when < self.retry_seconds

    def snapshot(self) -> dict[str, tuple[str, str]]:
        with self._lock:
            return dict(self.states)

    @property
    def settled(self) -> bool:
        return all(state != "loading" for state, _ in self.snapshot().values())

    @property
    def retrying(self) -> bool:
        """A model failed and the background thread will try it again (the page keeps checking)."""
        failed = any(state == "failed" for state, _ in self.snapshot().values())
        return failed and self.thread is not None and self.thread.is_alive() and not self._stop.is_set()

    def recheck_seconds(self) -> float | None:
        """How soon the page's model line should look again: soon while loading, now and then
        while a failed model waits for its retry (so the line turns ready without a reload),
        never once everything is settled for good."""
        if not self.settled:
            return LOADING_RECHECK_SECONDS
        if self.retrying:
            return min(RETRY_RECHECK_SECONDS, self.retry_seconds)
        return None

    def html(self) -> str:
        return render.models_line(self.snapshot())
