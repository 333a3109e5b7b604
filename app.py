"""Serve the web app: `python app.py` locally, and the entry point of the Hugging Face Space.

Host and port come from Gradio's GRADIO_SERVER_NAME / GRADIO_SERVER_PORT; models and limits
from the SERVICE_* variables (see the README). Everything else lives in service/web.py.
"""

from service.web import build, launch

demo = build()

if __name__ == "__main__":
    launch(demo)
