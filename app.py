"""Serve the web app: `python app.py` locally, and the entry point of the Hugging Face Space.

Host and port come from Gradio's GRADIO_SERVER_NAME / GRADIO_SERVER_PORT; models and limits
from the SERVICE_* variables (see the README). Everything else lives in service/web/.
"""

import os
import sys

from service.errors import ServiceError
from service.models import configure_isa
from service.web import build, configure_logging, launch

configure_logging()
try:
    # The entry point, not the library, sets CTranslate2's instruction set (once, before any
    # model loads); a value this CPU cannot run is dropped with a line in the log.
    configure_isa(os.environ, strict=False)
    demo = build()  # reads the settings; starts loading the models in the background
except ServiceError as exc:  # a bad setting: one line for the operator, not a traceback
    sys.exit(f"error: {exc}")

if __name__ == "__main__":
    launch(demo)
