#!/usr/bin/env bash
# The production setup in one command: gunicorn (deploy/gunicorn.conf.py) behind nginx
# (deploy/nginx.conf), with production settings. Installs nginx from Debian when it is
# missing, migrates, collects static files, then serves until stopped (Ctrl-C stops
# both). SECRET_KEY is required; see README, "Operations".
#   PORT (8080)             where nginx listens (e.g. 0.0.0.0:80)
#   BACKEND (127.0.0.1:8001) where gunicorn listens, for nginx only
set -euo pipefail
cd "$(dirname "$0")/.."

export DJANGO_SETTINGS_MODULE=website.settings.production
export TRUSTED_PROXIES="${TRUSTED_PROXIES:-127.0.0.1}"
PORT="${PORT:-8080}"
BACKEND="${BACKEND:-127.0.0.1:8001}"
RUN_DIR="${RUN_DIR:-$PWD/var/run}"
[ -n "${SECRET_KEY:-}" ] || { echo "error: set SECRET_KEY (python -c 'import secrets; print(secrets.token_urlsafe(50))')" >&2; exit 1; }

if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
    [ "$(id -u)" = 0 ] || { echo "error: install nginx (apt-get install nginx-light) as root" >&2; exit 1; }
    echo "==> installing Debian's nginx-light" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx-light >/dev/null
fi
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"

[ -x .venv/bin/gunicorn ] || scripts/bootstrap.sh
.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py collectstatic --noinput -v 0
read -r STATIC_ROOT MEDIA_ROOT < <(.venv/bin/python -c \
    'from django.conf import settings as s; import django; django.setup(); print(s.STATIC_ROOT, s.MEDIA_ROOT)')
mkdir -p "$RUN_DIR" "$MEDIA_ROOT"
sed -e "s|@RUN_DIR@|$RUN_DIR|g" -e "s|@LISTEN@|$PORT|g" -e "s|@BACKEND@|$BACKEND|g" \
    -e "s|@STATIC_ROOT@|$STATIC_ROOT|g" -e "s|@MEDIA_ROOT@|$MEDIA_ROOT|g" deploy/nginx.conf >"$RUN_DIR/nginx.conf"
"$NGINX" -t -q -p "$RUN_DIR" -c "$RUN_DIR/nginx.conf"

GUNICORN_BIND="$BACKEND" GUNICORN_PID_FILE="$RUN_DIR/gunicorn.pid" .venv/bin/gunicorn -c deploy/gunicorn.conf.py website.wsgi &
gunicorn_pid=$!
"$NGINX" -p "$RUN_DIR" -c "$RUN_DIR/nginx.conf" -g "daemon off;" &
nginx_pid=$!
trap 'kill -TERM "$nginx_pid" "$gunicorn_pid" 2>/dev/null; wait' EXIT INT TERM
echo "==> nginx on $PORT, gunicorn on $BACKEND" >&2
wait -n
