#!/usr/bin/env bash
# One command for a newcomer: install, create the SQLite database, load the demo
# network and serve it at http://127.0.0.1:8000 (admin login printed below).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/bootstrap.sh
.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py load_demo_data
exec .venv/bin/python manage.py runserver "${DEMO_ADDRESS:-127.0.0.1:8000}"
