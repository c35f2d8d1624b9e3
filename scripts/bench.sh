#!/usr/bin/env bash
# Benchmarks against real services (started as the test command starts them), each
# printing its figures:
#   scripts/bench.sh                  every benchmark
#   scripts/bench.sh search feeds     the ones named (modules of bench/)
set -euo pipefail
cd "$(dirname "$0")/.."

[ $# -gt 0 ] || set -- pages search feeds newsletter load
scripts/bootstrap.sh test
exec scripts/services.sh run bash -c '
    for name in "$@"; do echo "== bench: $name"; .venv/bin/python -m "bench.$name"; done' bench "$@"
