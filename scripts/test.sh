#!/usr/bin/env bash
# The whole test suite, as CI runs it: lint, unit, integration (real Rasa + actions + hub),
# conversation tests (rasa test), browser tests (Debian chromium + Playwright).
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONPATH="$PWD" TF_CPP_MIN_LOG_LEVEL=3 RASA_TELEMETRY_ENABLED=false SQLALCHEMY_SILENCE_UBER_WARNING=1
echo ">> ruff"
.venv/bin/ruff check bot actions tests bench
echo ">> mypy"
.venv/bin/mypy bot actions
echo ">> rasa data validate"
.venv/bin/rasa data validate --fail-on-warnings >/tmp/kd-validate.log 2>&1 || { cat /tmp/kd-validate.log; exit 1; }
echo ">> pytest"
if [ $# -eq 0 ]; then set -- tests/unit tests/integration tests/e2e; fi  # browser tests last
.venv/bin/python -m pytest -p no:cacheprovider -q "$@"
