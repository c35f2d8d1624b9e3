#!/usr/bin/env bash
# The whole suite against real services: installs what is missing, starts PostgreSQL
# and Elasticsearch on loopback (or uses the ones DATABASE_URL / ELASTICSEARCH_URL
# name), runs pytest, and stops what it started. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/bootstrap.sh test
scripts/lint.sh
export TEST_REQUIRE_SERVICES=1
exec scripts/services.sh run bash -c '
    # axe-core (package.json, pinned by package-lock.json) for the accessibility checks
    [ -f node_modules/axe-core/axe.min.js ] || npm ci --no-audit --no-fund --loglevel=error
    exec .venv/bin/python -m pytest "$@"' pytest "$@"
