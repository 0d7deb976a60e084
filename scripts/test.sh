#!/usr/bin/env bash
# The whole test suite, as CI runs it. Each part runs in the environment it belongs to:
#   Rasa side (.venv-rasa, Python 3.10): actions, NLU components, core rules, `rasa data validate`
#   hub side (.venv-hub, current CPython): hub API and channels (SQLite + PostgreSQL), integration
#     against the real stack, conversation tests (`rasa test`, started from there), browser tests
#   JS unit tests of the widget and console state logic (node --test)
# Usage: scripts/test.sh [all|lint|unit]
set -euo pipefail
cd "$(dirname "$0")/.."
export TF_CPP_MIN_LOG_LEVEL=3 RASA_TELEMETRY_ENABLED=false SQLALCHEMY_SILENCE_UBER_WARNING=1
part=${1:-all}
RASA=.venv-rasa/bin
HUB=.venv-hub/bin

lint() {
  echo ">> ruff"
  $HUB/ruff check kundendialog actions tests bench
  echo ">> mypy (hub environment: core, hub, ops)"
  $HUB/mypy kundendialog/core kundendialog/hub kundendialog/ops
  echo ">> mypy (Rasa environment: core, rasa_ext, actions)"
  $RASA/mypy kundendialog/core kundendialog/rasa_ext actions
  echo ">> the hub never imports Rasa"
  $HUB/python -c "import kundendialog.hub.app, kundendialog.ops.cli, sys; \
bad = sorted(m for m in sys.modules if m.split('.')[0] in ('rasa', 'rasa_sdk', 'spacy', 'tensorflow')); \
sys.exit('hub imports ' + ', '.join(bad) if bad else 0)"
}

unit() {
  echo ">> JS unit tests (widget and console state)"
  node --test tests/js/
  echo ">> pytest, Rasa environment"
  $RASA/python -m pytest -p no:cacheprovider -q tests/unit/core tests/unit/rasa_ext tests/unit/actions
  echo ">> pytest, hub environment (core's pure parts too: it is imported on both Pythons)"
  $HUB/python -m pytest -p no:cacheprovider -q tests/unit/core/test_company.py tests/unit/core/test_notices.py \
    tests/unit/core/test_states.py tests/unit/hub tests/unit/ops --ignore=tests/unit/hub/test_contract.py
  echo ">> API contract: schemathesis against /api/v1/openapi.json (customer, agent and webhook operations)"
  $HUB/python -m pytest -p no:cacheprovider -q tests/unit/hub/test_contract.py
}

case "$part" in
  lint) lint ;;
  unit) unit ;;
  all)
    lint
    echo ">> rasa data validate"
    $RASA/rasa data validate --fail-on-warnings >/tmp/kd-validate.log 2>&1 || { cat /tmp/kd-validate.log; exit 1; }
    unit
    echo ">> pytest, hub environment: integration (real Rasa, actions, hub), then browser tests"
    $HUB/python -m pytest -p no:cacheprovider -q tests/integration tests/e2e
    ;;
  *) echo "usage: scripts/test.sh [all|lint|unit]" >&2; exit 2 ;;
esac
