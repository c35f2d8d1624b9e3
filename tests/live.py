"""Real servers for the tests that need one: gunicorn with the repository's configuration,
or the whole production setup (scripts/serve.sh: nginx in front), on loopback ports,
with the production settings and their own database."""

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.conftest import free_port

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = Path(sys.executable).parent / "gunicorn"
# Variables of the developer's shell that would change what the server under test is.
_CONFIGURATION = ("DATABASE_URL", "EMAIL_URL", "ELASTICSEARCH_URL", "SECRET_KEY", "BASE_URL", "DJANGO_", "CACHE_URL")


def environment(**values):
    env = {key: value for key, value in os.environ.items() if not key.startswith(_CONFIGURATION)}
    env.update(
        DJANGO_SETTINGS_MODULE="website.settings.production",
        SECRET_KEY="live-test-key-" + "x" * 40,
        SECURE_SSL_REDIRECT="False",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        LOG_LEVEL="WARNING",
        WEB_CONCURRENCY="2",
    )
    env.update(values)
    return env


def sqlite_migrate(path):
    """A SQLite file with every migration applied (about 40 s: done once per session)."""
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=environment(DATABASE_URL=f"sqlite:///{path}"),
        check=True,
        timeout=600,
    )
    return path


def static_collect(folder):
    """collectstatic into `folder`: the production settings' manifest storage needs it."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=environment(STATIC_ROOT=str(folder)),
        check=True,
        timeout=600,
    )
    return folder


def sqlite_copy(source, folder):
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(source, folder / "db.sqlite3"))


def wait_until_up(url, process, *, seconds=240):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url + "/robots.txt", timeout=2).status_code == 200:
                return
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


@contextlib.contextmanager
def running(command, url, env, log):
    """Start `command` in its own process group, wait for it to answer, stop it all."""
    with open(log, "w") as output:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        wait_until_up(url, process)
        yield url
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def gunicorn(database_url, log, **values):
    """gunicorn with deploy/gunicorn.conf.py, no proxy in front (give it STATIC_ROOT)."""
    port = free_port()
    env = environment(DATABASE_URL=database_url, GUNICORN_BIND=f"127.0.0.1:{port}", **values)
    command = [str(GUNICORN), "-c", "deploy/gunicorn.conf.py", "website.wsgi"]
    return running(command, f"http://127.0.0.1:{port}", env, log)


def production_setup(database_url, folder, **values):
    """scripts/serve.sh: nginx on one port, gunicorn behind it on another (give it STATIC_ROOT)."""
    port = free_port()
    env = environment(
        DATABASE_URL=database_url,
        PORT=f"127.0.0.1:{port}",
        BACKEND=f"127.0.0.1:{free_port()}",
        RUN_DIR=str(folder / "run"),
        MEDIA_ROOT=str(folder / "media"),
        **values,
    )
    return running(["scripts/serve.sh"], f"http://127.0.0.1:{port}", env, folder / "serve.log")


_CSRF_COOKIE = re.compile(r"csrftoken=([^;]+)")


def signup(client, url, email):
    """A visitor's sign-up: the form (for its CSRF cookie), then the POST. The cookie is
    Secure under production settings, so it is sent back by hand over loopback http."""
    client.cookies.clear()
    form = client.get(url + "/newsletter/subscribe/")
    token = _CSRF_COOKIE.search(form.headers.get("set-cookie", "")).group(1)
    return client.post(
        url + "/newsletter/subscribe/",
        data={"email": email, "name": "Load Test", "csrfmiddlewaretoken": token},
        headers={"Cookie": f"csrftoken={token}", "Referer": url + "/newsletter/subscribe/"},
    )
