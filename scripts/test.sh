#!/usr/bin/env bash
# The whole suite against real services: installs what is missing, starts PostgreSQL
# and Elasticsearch on loopback (or uses the ones DATABASE_URL / ELASTICSEARCH_URL
# name), runs pytest, and stops what it started. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/bootstrap.sh test
export TEST_REQUIRE_SERVICES=1
exec scripts/services.sh run .venv/bin/python -m pytest "$@"
