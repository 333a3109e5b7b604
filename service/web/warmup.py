"""Model warm-up: the configured models load once, in a background thread, and say how far they got.

What to load is the pipeline's business (`pipeline.warm_up`); this module only runs it off the
request path and keeps the states the page's model line shows.
"""

from __future__ import annotations

import logging
import threading

from .. import pipeline
from ..config import Settings
from ..errors import ServiceError
from . import render
from .constants import LOGGER_NAME
from .requests import instruct_enabled

log = logging.getLogger(LOGGER_NAME)

# The name the page and the log use for each model -> the kind `pipeline.warm_up` loads.
KINDS = {"Translation model": "translation", "Summary model": "summary", "Instruct model": "instruct"}


class ModelWarmup:
    """Loads the configured models once, in a background thread, and says how far it got."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self.states: dict[str, tuple[str, str]] = {
            "Translation model": ("loading", settings.translation_model),
            "Summary model": ("loading", settings.summary_model),
        }
        if instruct_enabled(settings):
            self.states["Instruct model"] = ("loading", settings.instruct_model)
        self.thread: threading.Thread | None = None

    def start(self) -> ModelWarmup:
        if self.thread is None:
            self.thread = threading.Thread(target=self._run, name="model-warmup", daemon=True)
            self.thread.start()
        return self

    def defer(self) -> None:
        """No background loading: each model loads on its first request."""
        with self._lock:
            self.states = {name: ("lazy", detail) for name, (_, detail) in self.states.items()}

    def _set(self, name: str, state: str, detail: str) -> None:
        with self._lock:
            self.states[name] = (state, detail)

    def _load(self, name: str, model_id: str) -> None:
        try:
            pipeline.warm_up(KINDS[name], self.settings)
        except ServiceError as exc:
            log.warning("%s %s could not be loaded: %s", name, model_id, exc)
            self._set(name, "failed", str(exc))
        except Exception as exc:  # noqa: BLE001 - a broken model folder raises anything; keep serving
            log.error("%s %s could not be loaded (%s)", name, model_id, type(exc).__name__)
            self._set(name, "failed", f"{model_id}: {type(exc).__name__}")
        else:
            log.info("%s ready: %s", name, model_id)
            self._set(name, "ready", model_id)

    def _run(self) -> None:
        s = self.settings
        self._load("Translation model", s.translation_model)
        self._load("Summary model", s.summary_model)
        if "Instruct model" in self.states:
            self._load("Instruct model", s.instruct_model)

    def snapshot(self) -> dict[str, tuple[str, str]]:
        with self._lock:
            return dict(self.states)

    @property
    def settled(self) -> bool:
        return all(state != "loading" for state, _ in self.snapshot().values())

    def html(self) -> str:
        return render.models_line(self.snapshot())
