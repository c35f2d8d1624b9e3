"""Uncached pages side by side with Wagtail's bakerydemo: our home, blog index and a post
against bakerydemo's home, blog index and a blog post, each site served the same way
(gunicorn, production settings, DEBUG off, BENCH_GUNICORN_WORKERS x 4 threads, the same
PostgreSQL server, or without a PostgreSQL DATABASE_URL a SQLite file each, no page cache
on our side; bakerydemo has none), loaded by wrk with BENCH_VERSUS_CONNECTIONS
connections, the two sides alternating page by page and run by run. Prints req/s,
p50/p99 for each side, our ratio and the load average.

    BAKERYDEMO_DIR=/work/bakerydemo scripts/bench.sh versus_bakerydemo

BAKERYDEMO_DIR is a checkout of github.com/wagtail/bakerydemo kept outside this repository,
with its own virtualenv in .venv (its requirements/production.txt plus gunicorn). Each side
has its own database on the DATABASE_URL server (or var/bench/<name>.sqlite3), made once
and reused: ours holds the demo data (`load_demo_data`, what scripts/demo.sh shows),
bakerydemo's its `load_initial_data`, both the sizes a newcomer sees.
BENCH_VERSUS_DATABASES names them (default "pages_versus": pages_versus_ours and
pages_versus_bakerydemo).

BENCH_VERSUS_BEFORE_DIR, a copy of an older commit of this repository (`git archive`),
adds a third side, "before": that code on this virtualenv and our database, run in turn
with the other two, so a change is measured against its own starting point in the same
run. Its ratio is printed beside ours.
"""

import os
import socket
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

from bench.pages import WORKERS, gunicorn_start, production_environment, wrk

ROOT = Path(__file__).resolve().parent.parent
BAKERYDEMO_DIR = Path(os.environ.get("BAKERYDEMO_DIR", "/work/bakerydemo"))
SECONDS = int(os.environ.get("BENCH_VERSUS_SECONDS", "15"))
RUNS = int(os.environ.get("BENCH_VERSUS_RUNS", "2"))
CONNECTIONS = int(os.environ.get("BENCH_VERSUS_CONNECTIONS", "12"))
DATABASES = os.environ.get("BENCH_VERSUS_DATABASES", "pages_versus")
OURS_DATABASE, BAKERYDEMO_DATABASE = f"{DATABASES}_ours", f"{DATABASES}_bakerydemo"
BEFORE_DIR = Path(os.environ["BENCH_VERSUS_BEFORE_DIR"]) if os.environ.get("BENCH_VERSUS_BEFORE_DIR") else None
POSTGRESQL = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


def database_url(name):
    """DATABASE_URL with its database name replaced: both sides on the same server. Without
    a PostgreSQL DATABASE_URL (the embedded default), each side a SQLite file of its own."""
    if not POSTGRESQL:
        return f"sqlite:///{ROOT / 'var' / 'bench' / name}.sqlite3"
    parts = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def database_ensure(name):
    """Creates the database if missing; True when it was just made (so needs its data)."""
    if not POSTGRESQL:
        path = Path(database_url(name).removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        return not path.exists()
    import psycopg

    with psycopg.connect(database_url("postgres"), autocommit=True) as connection:
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return False
        connection.execute(f'CREATE DATABASE "{name}"')
        return True


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def ours_environment(port):
    return {
        **production_environment(port),
        "DATABASE_URL": database_url(OURS_DATABASE),
        "PAGE_CACHE_SECONDS": "0",
        "ELASTICSEARCH_URL": "",
        # Persistent connections, as the README's Operations section runs PostgreSQL (bakerydemo: 500 s).
        "CONN_MAX_AGE": os.environ.get("CONN_MAX_AGE", "60"),
    }


def before_environment(port):
    """Ours at BEFORE_DIR: `website` is installed (editable) from this checkout, so a
    directory on PYTHONPATH names the older `site/` as `website`; its own static files,
    the media files of our database."""
    imports = BEFORE_DIR / ".bench-imports"
    imports.mkdir(exist_ok=True)
    if not (imports / "website").exists():
        (imports / "website").symlink_to(BEFORE_DIR / "site")
    return {
        **ours_environment(port),
        "PYTHONPATH": str(imports),
        "STATIC_ROOT": str(BEFORE_DIR / "var" / "bench" / "static"),
        "MEDIA_ROOT": str(ROOT / "var" / "media"),
    }


def bakerydemo_environment():
    return {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "bakerydemo.settings.production",
        "DATABASE_URL": database_url(BAKERYDEMO_DATABASE),
        "DJANGO_SECRET_KEY": "bench-" + "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_LOG_LEVEL": "WARNING",
        "SECURE_SSL_REDIRECT": "False",
        "SECURE_HSTS_SECONDS": "0",
    }


def manage(cwd, python, environment, *arguments, capture=False):
    return subprocess.run(
        [python, "manage.py", *arguments], cwd=cwd, env=environment, check=True, capture_output=capture, text=True
    ).stdout


def sides_prepare(port_ours):
    """Both databases and static files; returns (ours, bakerydemo) page lists."""
    ours_python, bakery_python = sys.executable, str(BAKERYDEMO_DIR / ".venv" / "bin" / "python")
    ours, bakery = ours_environment(port_ours), bakerydemo_environment()
    if database_ensure(OURS_DATABASE):
        manage(ROOT, ours_python, ours, "migrate", "--noinput", "-v0")
        manage(ROOT, ours_python, {**ours, "DJANGO_SETTINGS_MODULE": "website.settings.dev"}, "load_demo_data")
    if database_ensure(BAKERYDEMO_DATABASE):
        manage(BAKERYDEMO_DIR, bakery_python, bakery, "migrate", "--noinput", "-v0")
        manage(BAKERYDEMO_DIR, bakery_python, bakery, "load_initial_data")
    manage(ROOT, ours_python, ours, "collectstatic", "--noinput", "-v0")
    manage(BAKERYDEMO_DIR, bakery_python, bakery, "collectstatic", "--noinput", "-v0")
    if BEFORE_DIR:
        manage(BEFORE_DIR, ours_python, before_environment(port_ours), "collectstatic", "--noinput", "-v0")
    ours_counts = manage(
        ROOT,
        ours_python,
        ours,
        "shell",
        "-c",
        "from blog.models import BlogPage; p = BlogPage.objects.live().order_by('-date', 'pk');"
        "print(p.count(), p.first().url)",
        capture=True,
    ).split()
    bakery_counts = manage(
        BAKERYDEMO_DIR,
        bakery_python,
        bakery,
        "shell",
        "-c",
        "from bakerydemo.blog.models import BlogPage; p = BlogPage.objects.live().order_by('-date_published', 'pk');"
        "print(p.count(), p.first().url)",
        capture=True,
    ).split()
    pages = {
        "ours": [("home", "/"), ("blog index", "/blog/"), ("post", ours_counts[-1])],
        "bakerydemo": [("home", "/"), ("blog index", "/blog/"), ("post", bakery_counts[-1])],
    }
    if BEFORE_DIR:
        pages["before"] = pages["ours"]
    return pages, {"ours": int(ours_counts[-2]), "bakerydemo": int(bakery_counts[-2])}


def gunicorn(command, cwd, environment, port):
    """The first answer of a home page can take minutes (bakerydemo makes its renditions)."""
    return gunicorn_start(command, cwd=cwd, environment=environment, port=port, ready_path="/", ready_timeout=300)[0]


def main():
    if not (BAKERYDEMO_DIR / "manage.py").exists():
        sys.exit(f"BAKERYDEMO_DIR={BAKERYDEMO_DIR} is not a bakerydemo checkout")
    ports = {"ours": free_port(), "bakerydemo": free_port(), **({"before": free_port()} if BEFORE_DIR else {})}
    pages, posts = sides_prepare(ports["ours"])
    servers = {
        "ours": gunicorn(
            [str(Path(sys.executable).parent / "gunicorn"), "website.wsgi"],
            ROOT,
            ours_environment(ports["ours"]),
            ports["ours"],
        ),
        "bakerydemo": gunicorn(
            [str(BAKERYDEMO_DIR / ".venv" / "bin" / "gunicorn"), "bakerydemo.wsgi"],
            BAKERYDEMO_DIR,
            bakerydemo_environment(),
            ports["bakerydemo"],
        ),
    }
    if BEFORE_DIR:
        servers["before"] = gunicorn(
            [str(Path(sys.executable).parent / "gunicorn"), "website.wsgi"],
            BEFORE_DIR,
            before_environment(ports["before"]),
            ports["before"],
        )
    commit = subprocess.run(
        ["git", "-C", str(BAKERYDEMO_DIR), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    try:
        print(
            f"gunicorn {WORKERS} workers x 4 threads each, production settings, DEBUG off, no page cache; "
            f"{'PostgreSQL' if POSTGRESQL else 'SQLite files'}; wrk {CONNECTIONS} connections, {RUNS} run(s) of {SECONDS} s per page and side after a "
            f"5 s warm-up, sides alternating; best run quoted. Posts: ours {posts['ours']} (demo data), "
            f"bakerydemo {posts['bakerydemo']} (load_initial_data, commit {commit}). Load average before: "
            f"{' '.join(f'{figure:.2f}' for figure in os.getloadavg())}"
        )
        print(
            f"{'page':<12} {'ours req/s':>10} {'p50':>7} {'p99':>7} {'bakery req/s':>12} {'p50':>7} {'p99':>7} "
            f"{'ratio':>6} {'errors':>6}" + (f" {'before req/s':>12} {'ratio':>6}" if BEFORE_DIR else "")
        )
        for index, (label, _) in enumerate(pages["ours"]):
            urls = {side: f"http://127.0.0.1:{ports[side]}{pages[side][index][1]}" for side in servers}
            for side in servers:
                # The first request of a page makes its image renditions (minutes on bakerydemo's photos).
                urllib.request.urlopen(urls[side], timeout=600).read()
                wrk(urls[side], 5, connections=CONNECTIONS)
            runs = {side: [] for side in servers}
            for _ in range(RUNS):
                for side in servers:
                    runs[side].append(wrk(urls[side], SECONDS, connections=CONNECTIONS))
            best = {side: max(runs[side], key=lambda run: run["rps"]) for side in servers}
            errors = sum(run["non_2xx"] + run["socket_errors"] for side in servers for run in runs[side])
            ours, bakery = best["ours"], best["bakerydemo"]
            line = (
                f"{label:<12} {ours['rps']:>10.1f} {ours['p50']:>7.0f} {ours['p99']:>7.0f} {bakery['rps']:>12.1f} "
                f"{bakery['p50']:>7.0f} {bakery['p99']:>7.0f} {ours['rps'] / bakery['rps']:>5.2f}x {errors:>6}"
            )
            if BEFORE_DIR:
                before = best["before"]
                line += f" {before['rps']:>12.1f} {before['rps'] / bakery['rps']:>5.2f}x"
            print(line, flush=True)
        print(f"load average after: {' '.join(f'{figure:.2f}' for figure in os.getloadavg())}")
    finally:
        for process in servers.values():
            process.terminate()
        for process in servers.values():
            process.wait()


if __name__ == "__main__":
    main()
