#!/usr/bin/env bash
# Print the interpreter for one environment: PATH first, then pyenv's installed versions.
#   find_python.sh rasa  -> Python 3.10 exactly (Rasa Open Source 3.6 refuses anything else)
#   find_python.sh hub   -> the hub's current CPython: 3.12 preferred, then 3.13, then 3.11
# Fails loudly with install instructions when none is found.
set -u
kind=${1:?usage: find_python.sh rasa|hub}
case "$kind" in
  rasa) wanted=(3.10) ;;
  hub) wanted=(3.12 3.13 3.11) ;;
  *) echo "unknown environment '$kind'" >&2; exit 2 ;;
esac
is_version() { "$1" -c "import sys; sys.exit(0 if '%d.%d' % sys.version_info[:2] == '$2' else 1)" >/dev/null 2>&1; }
roots=()
command -v pyenv >/dev/null 2>&1 && roots+=("$(pyenv root)")
roots+=("${PYENV_ROOT:-$HOME/.pyenv}")
for version in "${wanted[@]}"; do
  for cand in "python$version" python3 python; do
    p=$(command -v "$cand" 2>/dev/null) || continue
    # pyenv shims fail when that version is not the active one; the real binaries below are preferred anyway
    case "$p" in */.pyenv/shims/*) continue ;; esac
    if is_version "$p" "$version"; then echo "$p"; exit 0; fi
  done
  for root in "${roots[@]}"; do
    for p in "$root"/versions/"$version".*/bin/python"$version"; do
      [ -x "$p" ] && is_version "$p" "$version" && { echo "$p"; exit 0; }
    done
  done
done
if [ "$kind" = rasa ]; then
  cat >&2 <<'MSG'
ERROR: the Rasa side of Kundendialog needs Python 3.10 (Rasa Open Source 3.6 does not run on 3.11+).
Install one of:
  - Debian/Ubuntu:  apt-get install python3.10 python3.10-venv   (where your release ships it)
  - pyenv:          pyenv install 3.10.13
  - or put any python3.10 on PATH, then run `make run` again.
MSG
else
  cat >&2 <<'MSG'
ERROR: the Kundendialog hub needs a current CPython (3.12 preferred; 3.13 or 3.11 also work).
Install one of:
  - Debian/Ubuntu:  apt-get install python3.12 python3.12-venv   (or python3.11 on Debian 12)
  - pyenv:          pyenv install 3.12
  - or put any python3.12 on PATH, then run `make run` again.
MSG
fi
exit 1
