#!/usr/bin/env bash
# Set up (first time only) and start the web app. Host and port come from Gradio's own
# GRADIO_SERVER_NAME / GRADIO_SERVER_PORT; models from the SERVICE_* variables.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export GRADIO_ANALYTICS_ENABLED="${GRADIO_ANALYTICS_ENABLED:-False}"
exec .venv/bin/python app.py "$@"
