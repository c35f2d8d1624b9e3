"""Load benchmark: the production setup (scripts/serve.sh: nginx in front of gunicorn)
on the demo data, once on a SQLite file and once on PostgreSQL, under mixed traffic.

Each run has three phases of BENCH_LOAD_SECONDS (default 15) with BENCH_LOAD_CONNECTIONS
(default 50) clients: a tenth sign up for the newsletter (the form, then the POST, each
sign-up from its own loopback address so the per-client limit does not apply), the rest
read pages, site search, a feed and the sitemap.
- mixed: that traffic alone;
- slow clients: the same while ten clients send their headers a byte at a time;
- worker killed: the same while one gunicorn worker is killed (SIGKILL) mid-run.
Prints requests/s, p50/p99 and errors (answers >= 500 and failed connections) per phase
and database, and checks that every accepted sign-up is stored exactly once.
"""

import os
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "15"))
CONNECTIONS = int(os.environ.get("BENCH_LOAD_CONNECTIONS", "50"))
SLOW_CLIENTS = 10
READ_PATHS = ("/", "/blog/", "/network/", "/search/?q=reading", "/blog/rss/", "/sitemap.xml", "/health/")
PG_DATABASE = "commons_bench_load"
PHASES = ("mixed", "slow clients", "worker killed")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment(database_url):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="website.settings.production",
        SECRET_KEY="bench-" + "x" * 50,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="False",
        STATIC_ROOT=str(ROOT / "var" / "bench" / "static"),
        MEDIA_ROOT=str(ROOT / "var" / "bench" / "media"),
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        LOG_LEVEL="WARNING",
        ELASTICSEARCH_URL="",
    )
    return env


def manage(database_url, *arguments):
    subprocess.run([sys.executable, "manage.py", *arguments], cwd=ROOT, env=environment(database_url), check=True)


def databases():
    """(name, DATABASE_URL) of each database to measure, created with the demo data once."""
    found = []
    sqlite_file = ROOT / "var" / "bench" / "load.sqlite3"
    if not sqlite_file.exists():
        sqlite_file.parent.mkdir(parents=True, exist_ok=True)
        manage(f"sqlite:///{sqlite_file}.new", "migrate", "--noinput", "-v0")
        manage(f"sqlite:///{sqlite_file}.new", "load_demo_data")
        Path(f"{sqlite_file}.new").rename(sqlite_file)
    found.append(("SQLite", f"sqlite:///{sqlite_file}"))
    server = os.environ.get("DATABASE_URL", "")
    if server.startswith("postgres"):
        import psycopg

        base, _, _ = server.rpartition("/")
        with psycopg.connect(server, autocommit=True) as connection:
            exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [PG_DATABASE]).fetchone()
            if not exists:
                connection.execute(f'CREATE DATABASE "{PG_DATABASE}"')
        url = f"{base}/{PG_DATABASE}"
        if not exists:
            manage(url, "migrate", "--noinput", "-v0")
            manage(url, "load_demo_data")
        found.append(("PostgreSQL", url))
    return found


def serve(database_url, run_dir):
    port, backend = free_port(), free_port()
    env = environment(database_url)
    env.update(PORT=f"127.0.0.1:{port}", BACKEND=f"127.0.0.1:{backend}", RUN_DIR=str(run_dir))
    log = open(run_dir.parent / f"serve-{port}.log", "w")  # noqa: SIM115 (closed with the process)
    process = subprocess.Popen(
        ["scripts/serve.sh"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if httpx.get(url + "/health/", timeout=2).status_code == 200:
                return process, url
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    os.killpg(process.pid, signal.SIGTERM)
    raise RuntimeError("scripts/serve.sh did not answer")


def stop(process):
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=60)


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies, self.errors, self.accepted = [], 0, []

    def record(self, started, status):
        with self.lock:
            self.latencies.append(time.perf_counter() - started)
            if status is None or status >= 500:
                self.errors += 1


def reader(url, tally, until, number):
    with httpx.Client(timeout=30) as client:
        for count in range(1_000_000):
            if time.monotonic() >= until:
                return
            started = time.perf_counter()
            try:
                status = client.get(url + READ_PATHS[(number + count) % len(READ_PATHS)]).status_code
            except httpx.HTTPError:
                status = None
            tally.record(started, status)


def writer(url, tally, until, number, tag):
    """Sign-ups, each from its own loopback address (127.x.y.z, never the proxy's
    127.0.0.1), so the per-client limit of 20 an hour does not turn them into 429s."""
    for count in range(1_000_000):
        if time.monotonic() >= until:
            return
        address = f"{tag}-{number}-{count}@example.org"
        transport = httpx.HTTPTransport(local_address=f"127.{1 + count // 250 % 250}.{number + 1}.{1 + count % 250}")
        try:
            with httpx.Client(transport=transport, timeout=30) as client:
                started = time.perf_counter()
                form = client.get(url + "/newsletter/subscribe/")
                tally.record(started, form.status_code)
                token = form.headers["set-cookie"].split("csrftoken=")[1].split(";")[0]
                started = time.perf_counter()
                status = client.post(
                    url + "/newsletter/subscribe/",
                    data={"email": address, "csrfmiddlewaretoken": token},
                    headers={"Cookie": f"csrftoken={token}"},
                ).status_code
        except (httpx.HTTPError, KeyError, IndexError):
            status = None
        tally.record(started, status)
        if status == 302:
            with tally.lock:
                tally.accepted.append(address)


def slow_client(url, until):
    host, port = url.removeprefix("http://").split(":")
    while time.monotonic() < until:
        try:
            with socket.create_connection((host, int(port)), timeout=30) as sock:
                sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                for _ in range(100):
                    if time.monotonic() >= until:
                        return
                    sock.sendall(b"a")
                    time.sleep(0.5)
        except OSError:
            time.sleep(0.5)  # the proxy dropped it (header timeout): come back, as an attacker would


def worker_kill(run_dir, at):
    time.sleep(max(0, at - time.monotonic()))
    master = int((run_dir / "gunicorn.pid").read_text())
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    os.kill(int(children[0]), signal.SIGKILL)


def warm_up(url):
    """Each worker compiles its templates and opens its connections on its first
    requests: a few rounds before anything is measured."""
    with httpx.Client(timeout=120) as client:
        for _ in range(3):
            for path in (*READ_PATHS, "/newsletter/subscribe/"):
                client.get(url + path)


def phase(url, name, tag, run_dir):
    tally = Tally()
    until = time.monotonic() + SECONDS
    writers = max(1, CONNECTIONS // 10)
    threads = [threading.Thread(target=writer, args=(url, tally, until, n, tag)) for n in range(writers)]
    threads += [threading.Thread(target=reader, args=(url, tally, until, n)) for n in range(CONNECTIONS - writers)]
    if name == "slow clients":
        threads += [threading.Thread(target=slow_client, args=(url, until)) for _ in range(SLOW_CLIENTS)]
    if name == "worker killed":
        threads.append(threading.Thread(target=worker_kill, args=(run_dir, until - SECONDS / 2)))
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    latencies = sorted(tally.latencies)
    return {
        "rps": len(latencies) / elapsed,
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[int(len(latencies) * 0.99) - 1] * 1000,
        "errors": tally.errors,
        "requests": len(latencies),
        "accepted": tally.accepted,
    }


def stored_signups(database_url, prefix):
    if database_url.startswith("sqlite"):
        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as db:
            rows = db.execute("SELECT email FROM newsletter_subscriber WHERE email LIKE ?", [prefix + "%"])
            return [row[0] for row in rows]
    import psycopg

    with psycopg.connect(database_url) as db:
        rows = db.execute("SELECT email FROM newsletter_subscriber WHERE email LIKE %s", [prefix + "%"])
        return [row[0] for row in rows]


def main():
    results = {}
    run_id = time.strftime("%H%M%S")
    for database, database_url in databases():
        run_dir = ROOT / "var" / "bench" / "load-run" / database
        run_dir.mkdir(parents=True, exist_ok=True)
        process, url = serve(database_url, run_dir)
        try:
            warm_up(url)
            for name in PHASES:
                results[(database, name)] = phase(url, name, f"{run_id}-{name.split()[0]}", run_dir)
        finally:
            stop(process)
        for name in PHASES:
            result = results[(database, name)]
            stored = stored_signups(database_url, f"{run_id}-{name.split()[0]}-")
            result["lost"] = len(set(result["accepted"]) - set(stored))
            result["doubled"] = len(stored) - len(set(stored))
    report(results)


def report(results):
    databases = sorted({database for database, _ in results}, reverse=True)
    print(f"{CONNECTIONS} connections, {SECONDS} s per phase, through nginx + gunicorn (deploy/)")
    header = "| phase | " + " | ".join(f"{d} req/s | p50 ms | p99 ms | errors" for d in databases) + " |"
    print(header)
    print("| --- |" + " ---: | ---: | ---: | ---: |" * len(databases))
    for name in PHASES:
        cells = []
        for database in databases:
            r = results[(database, name)]
            cells.append(f"{r['rps']:,.0f} | {r['p50']:.0f} | {r['p99']:.0f} | {r['errors']}/{r['requests']}")
        print(f"| {name} | " + " | ".join(cells) + " |")
    for (database, name), r in results.items():
        print(f"{database}, {name}: {len(r['accepted'])} sign-ups accepted, {r['lost']} lost, {r['doubled']} doubled")


if __name__ == "__main__":
    main()
