"""Serving the Blocks: Gradio 6's launch options (theme, CSS, upload limit) and our log lines."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import gradio as gr

from ..config import Settings
from .layout import build

ASSETS = Path(__file__).with_name("assets")


def launch_options(settings: Settings | None = None) -> dict[str, Any]:
    """What Gradio 6 takes in `launch()`: theme, CSS and the upload limit."""
    settings = settings or Settings.from_env()
    return {
        # System fonts: nothing to download before the first paint, and native text on phones.
        # Soft's labels, accents and primary buttons are blue-500 (3-3.8:1): one shade darker
        # in light mode and lighter in dark mode reaches WCAG AA (4.5:1).
        "theme": gr.themes.Soft(
            primary_hue="blue", neutral_hue="slate", font=("ui-sans-serif", "system-ui", "sans-serif")
        ).set(
            block_label_text_color="*primary_700",
            block_label_text_color_dark="*primary_50",
            block_label_background_fill_dark="*primary_800",
            block_title_text_color="*primary_700",
            block_title_text_color_dark="*primary_100",
            body_text_color_subdued="*neutral_600",
            body_text_color_subdued_dark="*neutral_300",
            color_accent="*primary_700",
            button_primary_background_fill="*primary_700",
            button_primary_background_fill_hover="*primary_800",
            button_primary_background_fill_dark="*primary_700",
            button_primary_background_fill_hover_dark="*primary_800",
        ),
        "css_paths": [ASSETS / "style.css"],
        "head": "<script>" + (ASSETS / "page.js").read_text(encoding="utf-8") + "</script>",
        "max_file_size": settings.max_upload_bytes,
        "footer_links": ["api", "gradio"],
    }


class _NotPrintedYet(logging.Filter):
    """Drops a record at the root's handlers when a logger on its way up has printed it already.

    huggingface_hub (and transformers under CI) give their loggers a handler of their own and
    still pass records up, so each of their warnings reached the terminal twice."""

    def filter(self, record: logging.LogRecord) -> bool:
        logger: logging.Logger | None = logging.getLogger(record.name)
        while logger is not None and logger is not logging.getLogger():
            if logger.handlers:
                return False
            if not logger.propagate:
                break
            logger = logger.parent
        return True


def configure_logging() -> None:
    """Our INFO lines (models ready, errors without article text) on stderr; others at WARNING.

    Every line reaches the terminal once (see `_NotPrintedYet`)."""
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for handler in root.handlers:
        if not any(isinstance(f, _NotPrintedYet) for f in handler.filters):
            handler.addFilter(_NotPrintedYet())
    logging.getLogger("service").setLevel(logging.INFO)


def launch(demo: gr.Blocks | None = None, **overrides: Any) -> None:
    """Serve the app; host and port come from GRADIO_SERVER_NAME / GRADIO_SERVER_PORT."""
    configure_logging()
    demo = demo or build()
    settings = demo.service_app.settings  # type: ignore[attr-defined]
    demo.launch(**{**launch_options(settings), **overrides})
