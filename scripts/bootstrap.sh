#!/usr/bin/env bash
# Creates .venv and installs the project into it (with extras, e.g. `bootstrap.sh test`).
# Re-running is cheap: it reinstalls only when pyproject.toml changed.
set -euo pipefail
cd "$(dirname "$0")/.."

extras="${1:-}"
export PIP_DISABLE_PIP_VERSION_CHECK=1

# pip and setuptools write pages of warnings even when all is well: keep them in a log
# and show it only when the step fails.
quietly() {
    local log
    log="$(mktemp)"
    if ! "$@" >"$log" 2>&1; then
        cat "$log" >&2
        rm -f "$log"
        return 1
    fi
    rm -f "$log"
}

python="${PYTHON:-python3.11}"
command -v "$python" >/dev/null || python=python3

if [ ! -x .venv/bin/python ]; then
    echo "==> creating .venv with $($python --version)"
    "$python" -m venv .venv
fi

# Installed already, with these extras or more (the test extras include the base install).
hash="$(sha1sum pyproject.toml | cut -c1-12)"
stamp=".venv/.installed-$hash${extras:+-$extras}"
if [ ! -f "$stamp" ] && { [ -n "$extras" ] || ! compgen -G ".venv/.installed-$hash*" >/dev/null; }; then
    echo "==> installing Python dependencies${extras:+ ($extras)}"
    # uv (from PyPI, into .venv) resolves, installs and byte-compiles in about 12 s what
    # took pip 45 s (the same versions); pip stays the fallback should uv fail.
    [ -x .venv/bin/uv ] || quietly .venv/bin/pip install uv || true
    quietly .venv/bin/uv pip install --compile-bytecode --python .venv/bin/python -e ".${extras:+[$extras]}" || {
        echo "==> uv could not install them: pip instead"
        quietly .venv/bin/pip install -e ".${extras:+[$extras]}"
    }
    touch "$stamp"
fi
