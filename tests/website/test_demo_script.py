"""scripts/demo.sh as a newcomer runs it: one address (DEMO_ADDRESS) in every link the site
writes (pages, feeds, emails, the feed fetcher's allowed hosts), and the address and the
admin login as the last lines it prints, without pages of noise before them."""

import os
import re
import signal
import subprocess
import threading
from pathlib import Path

import httpx
import pytest

from tests.conftest import free_port
from tests.newsletter.conftest import messages_of, parts

ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 900  # migrations and demo content on SQLite, on a busy two-core machine


@pytest.fixture
def demo(tmp_path, smtp_server):
    """The demo script serving on a free port, with its own SQLite file, media and mail server."""
    controller, inbox = smtp_server
    port = free_port()
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DATABASE_URL", "ELASTICSEARCH_URL", "DJANGO_SETTINGS_MODULE", "TEST_RUN_NAME", "BASE_URL"}
    }
    env.update(
        DEMO_ADDRESS=str(port),
        DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        MEDIA_ROOT=str(tmp_path / "media"),
        EMAIL_URL=f"smtp://127.0.0.1:{controller.port}",
    )
    process = subprocess.Popen(
        ["scripts/demo.sh"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines, ready = [], threading.Event()

    def read():
        serving = False  # load_demo_data prints the login too, before the server starts
        for line in process.stdout:
            lines.append(line.rstrip("\n"))
            serving = serving or line.startswith("The demo site is running")
            if serving and line.startswith("Admin:"):
                ready.set()
        ready.set()

    threading.Thread(target=read, daemon=True).start()
    try:
        assert ready.wait(STARTUP_SECONDS), "the demo never printed its admin login"
        yield f"http://127.0.0.1:{port}", list(lines), env, inbox
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(30)


def test_the_demo_prints_its_address_last_and_every_link_uses_it(demo):
    base, lines, env, inbox = demo

    assert lines[-2:] == [
        f"Site:  {base}/",
        f"Admin: {base}/admin/  user 'admin'  password 'network-demo'",
    ]
    assert len(lines) < 40, "\n".join(lines)
    assert not [line for line in lines if re.search(r"setuptools|pip|Deprecat|egg", line)], "\n".join(lines)

    with httpx.Client(base_url=base, timeout=30) as client:
        home = client.get("/").text
        assert f'<link rel="canonical" href="{base}/">' in home
        feed = client.get("/blog/rss/").text
        assert re.findall(r"<link>([^<]+)</link>", feed) and all(
            link.startswith(f"{base}/") for link in re.findall(r"<link>([^<]+)</link>", feed)
        )
        assert "localhost" not in home + feed

        # A visitor searches the practice library on the embedded default (SQLite, database
        # search), typing as people do: the matches, best first, and odd input answered.
        found = client.get("/practices/", params={"q": "kindergarten readiness"}).text
        assert 'data-search-backend="database"' in found
        first = re.search(r'<li class="practice-result">\s*<h3><a [^>]+>(.*?)</a>', found).group(1)
        assert "Kindergarten" in first, first
        for odd in ('"kinder* OR -- 学校 )(', "NOT AND", "a" * 300, "%00\\'"):
            assert client.get("/practices/", params={"q": odd, "sort": "newest"}).status_code == 200, odd

        form = client.get("/newsletter/subscribe/").text
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        client.post(
            "/newsletter/subscribe/",
            data={"csrfmiddlewaretoken": token, "email": "newcomer@example.org", "website": ""},
            headers={"Referer": f"{base}/newsletter/subscribe/"},
        )
    (confirmation,) = messages_of(inbox)
    assert f"{base}/newsletter/confirm/" in parts(confirmation)["text/plain"]

    refresh = subprocess.run(
        [".venv/bin/python", "manage.py", "refresh_feeds", "--force"],
        cwd=ROOT,
        env={**env, "BASE_URL": base, "FEEDS_ALLOWED_PRIVATE_HOSTS": base.removeprefix("http://")},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert re.search(r"\b14 fetched\b.*\b0 failed\b", refresh.stdout), refresh.stdout + refresh.stderr
