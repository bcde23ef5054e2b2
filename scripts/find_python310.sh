#!/usr/bin/env bash
# Print the path of a Python 3.10 interpreter (Rasa 3.6 supports Python < 3.11 only).
# Looks at $PYTHON310, then pyenv's versions, then python3.10 on PATH; fails with a clear message.
set -euo pipefail
is_310() { [ -x "$1" ] && "$1" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 10) else 1)' 2>/dev/null; }

if [ -n "${PYTHON310:-}" ] && is_310 "$PYTHON310"; then echo "$PYTHON310"; exit 0; fi
if command -v pyenv >/dev/null 2>&1; then
  root=$(pyenv root)
  for candidate in $(ls -d "$root"/versions/3.10.* 2>/dev/null | sort -V -r); do
    if is_310 "$candidate/bin/python"; then echo "$candidate/bin/python"; exit 0; fi
  done
fi
if command -v python3.10 >/dev/null 2>&1 && is_310 "$(command -v python3.10)"; then
  command -v python3.10; exit 0
fi
echo "ERROR: Python 3.10 not found. Rasa 3.6 needs Python 3.10 (it does not support 3.11+)." >&2
echo "Install it with 'pyenv install 3.10' (or your OS package manager), or set PYTHON310=/path/to/python3.10." >&2
exit 1
