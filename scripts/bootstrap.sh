#!/usr/bin/env bash
# Creates .venv and installs the project into it (with extras, e.g. `bootstrap.sh test`).
# Re-running is cheap: it reinstalls only when pyproject.toml changed.
set -euo pipefail
cd "$(dirname "$0")/.."

extras="${1:-}"
python="${PYTHON:-python3.11}"
command -v "$python" >/dev/null || python=python3

if [ ! -x .venv/bin/python ]; then
    echo "==> creating .venv with $($python --version)"
    "$python" -m venv .venv
    .venv/bin/pip install --quiet --upgrade pip setuptools wheel
fi

stamp=".venv/.installed-$(sha1sum pyproject.toml | cut -c1-12)${extras:+-$extras}"
if [ ! -f "$stamp" ]; then
    echo "==> installing Python dependencies${extras:+ ($extras)}"
    .venv/bin/pip install --quiet -e ".${extras:+[$extras]}"
    touch "$stamp"
fi
