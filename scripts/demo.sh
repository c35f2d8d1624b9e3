#!/usr/bin/env bash
# One command for a newcomer: install, create the SQLite database, load the demo
# network and serve it at http://127.0.0.1:8000 (admin login printed below).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/bootstrap.sh
# The demo's sample member feeds are served by the demo site itself: let the feed
# fetcher reach it, so `manage.py refresh_feeds` works offline.
export FEEDS_ALLOWED_PRIVATE_HOSTS="${FEEDS_ALLOWED_PRIVATE_HOSTS:-127.0.0.1:8000}"
.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py load_demo_data
exec .venv/bin/python manage.py runserver "${DEMO_ADDRESS:-127.0.0.1:8000}"
