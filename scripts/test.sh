#!/usr/bin/env bash
# The whole suite against real services: installs what is missing, starts PostgreSQL
# and Elasticsearch on loopback (or uses the ones DATABASE_URL / ELASTICSEARCH_URL
# name), runs pytest, and stops what it started. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

# PostgreSQL and Elasticsearch start while the Python packages install and the lint runs
# (stopped again if either fails; `services.sh run` below stops them after the tests).
scripts/services.sh start &
starting=$!
trap 'wait "$starting" || true; [ -n "${KEEP_SERVICES:-}" ] || scripts/services.sh stop' EXIT
scripts/bootstrap.sh test
scripts/lint.sh
wait "$starting"
trap - EXIT
export TEST_REQUIRE_SERVICES=1
exec scripts/services.sh run bash -c '
    # axe-core and doiuse-email (package.json, pinned by package-lock.json) for the
    # accessibility and email checks
    [ -f node_modules/axe-core/axe.min.js ] && [ -f node_modules/doiuse-email/package.json ] \
        || npm ci --no-audit --no-fund --loglevel=error
    # The Nu HTML Checker from Maven Central (cached in ~/.m2), for the HTML checks
    [ -s var/vnu.classpath ] || mvn -q -f scripts/vnu/pom.xml dependency:build-classpath \
        -Dmdep.outputFile="$PWD/var/vnu.classpath" >/dev/null
    # One pytest-xdist worker per core (TEST_WORKERS=0 for one process), each taking
    # whole files, so the fixtures of a module are made once
    exec .venv/bin/python -m pytest -n "${TEST_WORKERS:-auto}" --dist loadfile "$@"' pytest "$@"
