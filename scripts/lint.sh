#!/usr/bin/env bash
# Ruff (lint and format) and the app graph's import contracts; the test command runs it first.
set -euo pipefail
cd "$(dirname "$0")/.."

.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/lint-imports --no-cache
