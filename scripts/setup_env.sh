#!/usr/bin/env bash
# Create one project environment and install its locked set with hashes, plus this package (editable).
#   setup_env.sh rasa|hub run   -> locks/<env>.lock       (what `make run` needs)
#   setup_env.sh rasa|hub dev   -> locks/<env>-dev.lock   (the same plus test and lint tools)
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:?usage: setup_env.sh rasa|hub run|dev}
mode=${2:-run}
venv=".venv-$kind"
lock="locks/$kind.lock"
[ "$mode" = dev ] && lock="locks/$kind-dev.lock"
PY=$(scripts/find_python.sh "$kind")
want=$("$PY" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
if [ ! -x "$venv/bin/python" ] || [ "$("$venv/bin/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)" != "$want" ]; then
  echo ">> creating $venv with $PY"
  rm -rf "$venv"
  "$PY" -m venv "$venv"
fi
pip=("$venv/bin/python" -m pip --disable-pip-version-check -q)
[ "$kind" = rasa ] && "${pip[@]}" install "pip==24.0"  # newer pip rejects some of Rasa 3.6's old metadata
echo ">> installing $lock into $venv (first time: the Rasa side takes ~5 minutes)"
"${pip[@]}" install --require-hashes --no-deps -r "$lock"
"${pip[@]}" install --no-deps --no-build-isolation -e .
"${pip[@]}" check
touch "$venv/.installed-$mode"
