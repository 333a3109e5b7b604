#!/usr/bin/env bash
# Set up (first time only) and run the whole test suite, offline.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
export HF_HUB_OFFLINE=1 HF_HUB_DISABLE_TELEMETRY=1 GRADIO_ANALYTICS_ENABLED=False TRANSFORMERS_VERBOSITY=error
exec .venv/bin/python -m pytest "$@"
