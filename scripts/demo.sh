#!/usr/bin/env bash
# One command for a newcomer: install, create the SQLite database, load the demo
# network and serve it. DEMO_ADDRESS (host:port, or a port) picks the address, default
# 127.0.0.1:8000; every link the site writes (pages, feeds, emails) uses that address.
# The last lines printed are the site's address and the admin login.
set -euo pipefail
cd "$(dirname "$0")/.."

address="${DEMO_ADDRESS:-127.0.0.1:8000}"
if [[ "$address" =~ ^[0-9]+$ ]]; then
    address="127.0.0.1:$address"
fi
export BASE_URL="${BASE_URL:-http://$address}"
# The demo's sample member feeds are served by the demo site itself: let the feed
# fetcher reach it, so `manage.py refresh_feeds` works offline.
export FEEDS_ALLOWED_PRIVATE_HOSTS="${FEEDS_ALLOWED_PRIVATE_HOSTS:-$address}"

scripts/bootstrap.sh
echo "==> preparing the database"
.venv/bin/python manage.py migrate --noinput --verbosity 0
mkdir -p var
# One log line per page created would bury the login: only warnings while loading.
LOG_LEVEL="${LOG_LEVEL:-WARNING}" .venv/bin/python manage.py load_demo_data | tee var/demo-load.log

.venv/bin/python manage.py runserver --noreload "$address" &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT INT TERM
.venv/bin/python - "$BASE_URL" "$server" <<'PY'
import os, sys, time, urllib.request

url, server = sys.argv[1], int(sys.argv[2])
for _ in range(300):
    try:
        urllib.request.urlopen(url + "/health/", timeout=2)
        break
    except OSError:
        os.kill(server, 0)  # the server died: stop waiting (the shell reports its error)
        time.sleep(0.2)
PY
echo
echo "The demo site is running (Control-C stops it)."
tail -n 2 var/demo-load.log
wait "$server"
