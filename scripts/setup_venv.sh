#!/usr/bin/env bash
# Create .venv with Python 3.10 and install the exact locked dependency set.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=$(scripts/find_python310.sh)
if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; sys.exit(0 if sys.version_info[:2]==(3,10) else 1)'; then
  echo ">> creating .venv with $PY"
  rm -rf .venv
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check "pip==24.0"
echo ">> installing locked dependencies (first time: ~5 minutes)"
.venv/bin/pip install --quiet --disable-pip-version-check --no-deps -r requirements.lock
.venv/bin/pip check
touch .venv/.installed
