"""Gunicorn behind the reverse proxy (deploy/nginx.conf, started by scripts/serve.sh).

Threaded workers, because a request mostly waits on the database or the search node;
the proxy buffers every request and response, so a slow visitor holds an nginx
connection, never one of these threads. Every value can be overridden from the
environment for a bigger machine."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
# Gunicorn's own rule of thumb: two workers per core, plus one.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 4))
# The proxy gives up after 60 s; a worker silent for 30 s is stuck, and is replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 30
# Connections from the proxy are reused (nginx's upstream keepalive).
keepalive = 30
# A worker is replaced after this many requests, so a slow leak never grows for long.
max_requests = 2000
max_requests_jitter = 200
# The heartbeat file on memory, so a busy disk never makes a worker look stuck.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
forwarded_allow_ips = "127.0.0.1"
pidfile = os.environ.get("GUNICORN_PID_FILE") or None
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
