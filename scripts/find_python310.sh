#!/usr/bin/env bash
# Print the path of a Python 3.10 interpreter: PATH first, then pyenv's installed versions.
# Rasa 3.6 refuses anything else, so fail loudly with install instructions.
set -u
is310() { "$1" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 10) else 1)' >/dev/null 2>&1; }
for cand in python3.10 python3 python; do
  p=$(command -v "$cand" 2>/dev/null) || continue
  # pyenv shims fail when 3.10 is not the active version; the real binary below is preferred anyway
  case "$p" in */.pyenv/shims/*) continue ;; esac
  if is310 "$p"; then echo "$p"; exit 0; fi
done
roots=()
command -v pyenv >/dev/null 2>&1 && roots+=("$(pyenv root)")
roots+=("${PYENV_ROOT:-$HOME/.pyenv}")
for root in "${roots[@]}"; do
  for p in "$root"/versions/3.10.*/bin/python3.10; do
    [ -x "$p" ] && is310 "$p" && { echo "$p"; exit 0; }
  done
done
cat >&2 <<'MSG'
ERROR: Kundendialog needs Python 3.10 (Rasa Open Source 3.6 does not run on 3.11+).
Install one of:
  - Debian/Ubuntu:  apt-get install python3.10 python3.10-venv   (where your release ships it)
  - pyenv:          pyenv install 3.10.13
  - or put any python3.10 on PATH, then run `make run` again.
MSG
exit 1
