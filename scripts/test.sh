#!/usr/bin/env bash
# The whole suite against real services: installs what is missing, starts PostgreSQL
# and Elasticsearch on loopback (or uses the ones DATABASE_URL / ELASTICSEARCH_URL
# name), runs pytest, and stops what it started. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/bootstrap.sh test

started_here=""
[ -n "${DATABASE_URL:-}" ] && [ -n "${ELASTICSEARCH_URL:-}" ] || started_here=yes
cleanup() {
    if [ -n "$started_here" ] && [ -z "${KEEP_SERVICES:-}" ]; then scripts/services.sh stop; fi
}
trap cleanup EXIT

scripts/services.sh start
eval "$(scripts/services.sh env)"
export TEST_REQUIRE_SERVICES=1

.venv/bin/python -m pytest "$@"
