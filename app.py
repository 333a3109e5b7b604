"""Serve the web app: `python app.py` locally, and the entry point of the Hugging Face Space.

Host and port come from Gradio's GRADIO_SERVER_NAME / GRADIO_SERVER_PORT; models and limits
from the SERVICE_* variables (see the README). Everything else lives in service/web.py.
"""

from service.web import build, configure_logging, launch

configure_logging()
demo = build()  # starts loading the models in the background

if __name__ == "__main__":
    launch(demo)
