"""The web app: a Gradio page and a named API endpoint over `pipeline.stream` / `pipeline.run`.

`build()` returns the Blocks; `launch()` starts it with the theme and CSS (Gradio 6 takes those
in `launch()`, not `Blocks()`). The page streams the translation paragraph by paragraph; the
`translate_article` API endpoint returns the same JSON object as `python -m service run
--format json`. Both run on one model queue (`settings.concurrency` at a time, at most
`settings.queue_size` waiting), and both turn our `ServiceError`s into readable messages.

    constants  the logger name, the model queue's id, messages, examples (imports nothing here)
    requests   request checks: options, sizes, the one input (no gradio)
    render     all HTML, all escaping (no gradio)
    warmup     ModelWarmup: `pipeline.warm_up` in a background thread
    downloads  Downloads: the Markdown and JSON files
    history    the reader's recent links, kept in their browser (checked when they come back)
    view       PageView: one update per page output (PAGE_OUTPUTS)
    handlers   App: admission, the API endpoint, the page stream
    layout     build(): the Blocks
    serve      launch(), launch_options(), configure_logging()

Only app.py imports this package: `import service` stays free of gradio.
"""

from __future__ import annotations

from ..pipeline import check_text_size
from .constants import (
    BOTH_MESSAGE,
    BUSY_MESSAGE,
    EMPTY_MESSAGE,
    EXAMPLE_TEXT,
    EXAMPLE_URLS,
    GENERIC_ERROR,
    LENGTH_LABELS,
    LOGGER_NAME,
    METHOD_LABELS,
    MODEL_QUEUE,
)
from .downloads import Downloads
from .handlers import App
from .layout import PAGE_INPUTS, build
from .requests import (
    check_upload,
    instruct_enabled,
    request_options,
    source_kwargs,
    summary_methods,
)
from .serve import ASSETS, configure_logging, launch, launch_options
from .view import PAGE_OUTPUTS, PageView
from .warmup import ModelWarmup

__all__ = [
    "ASSETS",
    "BOTH_MESSAGE",
    "BUSY_MESSAGE",
    "EMPTY_MESSAGE",
    "EXAMPLE_TEXT",
    "EXAMPLE_URLS",
    "GENERIC_ERROR",
    "LENGTH_LABELS",
    "LOGGER_NAME",
    "METHOD_LABELS",
    "MODEL_QUEUE",
    "PAGE_INPUTS",
    "PAGE_OUTPUTS",
    "App",
    "Downloads",
    "ModelWarmup",
    "PageView",
    "build",
    "check_text_size",
    "check_upload",
    "configure_logging",
    "instruct_enabled",
    "launch",
    "launch_options",
    "request_options",
    "source_kwargs",
    "summary_methods",
]
