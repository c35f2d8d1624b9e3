#!/usr/bin/env bash
# Benchmarks against real services (started as the test command starts them), each
# printing its figures:
#   scripts/bench.sh            every benchmark
#   scripts/bench.sh search     practice search only
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/bootstrap.sh test
benchmarks=("${@:-search}")
exec scripts/services.sh run bash -c '
    for name in "$@"; do echo "== bench: $name"; .venv/bin/python -m "bench.$name"; done' bench "${benchmarks[@]}"
