#!/usr/bin/env bash
# Create .venv at the repository root and install the project (with test tools when
# given "test"). Re-running is cheap: it reinstalls only when pyproject.toml changed.
set -euo pipefail
cd "$(dirname "$0")/.."
extra="${1:-}"
PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
# The browser tests' accessibility audit injects axe-core (package.json, pinned in
# package-lock.json); without npm the audit skips and says why (under CI=true it fails).
if [ "$extra" = "test" ] && [ ! -f node_modules/axe-core/axe.min.js ]; then
  if command -v npm >/dev/null 2>&1; then
    npm ci --no-audit --no-fund --silent
  else
    echo "setup: npm not found; the axe-core accessibility audit will be skipped" >&2
  fi
fi
stamp=".venv/.setup-stamp-${extra:-app}"
want="$(sha256sum pyproject.toml | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
# pip older than 24 trips over lxml's extras while resolving; upgrade it first.
.venv/bin/python -m pip install --quiet --upgrade "pip>=25"
# torch first, by its exact pin, so pip takes the CPU wheel and never a CUDA build.
.venv/bin/python -m pip install --quiet "torch==2.13.0"
if [ "$extra" = "test" ]; then
  .venv/bin/python -m pip install --quiet -e ".[test]"
else
  .venv/bin/python -m pip install --quiet -e .
fi
echo "$want" > "$stamp"
