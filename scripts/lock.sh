#!/usr/bin/env bash
# Re-resolve every environment's lock from locks/*.in, with hashes, for that environment's Python.
# The dev locks are resolved on top of (constrained by) the runtime locks, so both agree.
set -euo pipefail
cd "$(dirname "$0")/.."
tool=/tmp/kd-lock-tool
[ -x "$tool/bin/uv" ] || { python3 -m venv "$tool" && "$tool/bin/pip" install -q uv; }
uv="$tool/bin/uv"
rasa_py=$(scripts/find_python.sh rasa)
hub_py=$(scripts/find_python.sh hub)
"$uv" pip compile -q --generate-hashes --python "$rasa_py" locks/rasa.in -o locks/rasa.lock
"$uv" pip compile -q --generate-hashes --python "$rasa_py" locks/rasa-dev.in -c locks/rasa.lock -o locks/rasa-dev.lock
"$uv" pip compile -q --generate-hashes --python "$hub_py" locks/hub.in -o locks/hub.lock
"$uv" pip compile -q --generate-hashes --python "$hub_py" locks/hub-dev.in -c locks/hub.lock -o locks/hub-dev.lock
echo "locks/ updated; review with git diff"
