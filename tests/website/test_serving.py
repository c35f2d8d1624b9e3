"""The production setup under load and faults, against real servers on loopback: many
concurrent sign-ups on a SQLite file and on PostgreSQL, slow clients in front of the
proxy, and a database file that refuses writes. And practice search on a SQLite file,
the embedded default, listing what the search backend finds in its order."""

import email
import json
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from django.db import connection

from tests.conftest import service_unavailable
from tests.factories import home_page_as_site_root
from tests.live import (
    ROOT,
    environment,
    gunicorn,
    production_setup,
    signup,
    sqlite_copy,
    sqlite_migrate,
    static_collect,
)
from tests.practices.relevance import CASES

WRITERS = 20
SIGNUPS_PER_WRITER = 3
READERS = 10
READ_PATHS = ("/", "/newsletter/subscribe/", "/search/?q=reading", "/health/")


@pytest.fixture(scope="session")
def prepared(tmp_path_factory):
    """A migrated SQLite file and the collected static files, made at once (two processes)."""
    database, static = tmp_path_factory.mktemp("migrated") / "db.sqlite3", tmp_path_factory.mktemp("static")
    with ThreadPoolExecutor(max_workers=2) as pool:
        migrated, collected = pool.submit(sqlite_migrate, database), pool.submit(static_collect, static)
        return migrated.result(), str(collected.result())


@pytest.fixture(scope="session")
def migrated_sqlite(prepared):
    return prepared[0]


@pytest.fixture(scope="session")
def static_root(prepared):
    return prepared[1]


def hammer(url):
    """20 writers, each from its own loopback address (the per-client sign-up limit counts
    addresses), sign up three new addresses each and all race for one shared address,
    while 10 readers load pages. Returns (sign-up answers by address, read statuses)."""
    signups, reads = [], []
    writers_done = threading.Event()
    start = threading.Barrier(WRITERS)

    def writer(number):
        transport = httpx.HTTPTransport(local_address=f"127.0.0.{10 + number}")
        with httpx.Client(transport=transport, timeout=60) as client:
            start.wait(timeout=120)
            for address in ["everyone@example.org"] + [
                f"w{number:02d}-{n}@example.org" for n in range(SIGNUPS_PER_WRITER)
            ]:
                signups.append((address, signup(client, url, address).status_code))

    def reader():
        with httpx.Client(timeout=60) as client:
            for round_number in range(1000):
                if writers_done.is_set():
                    break
                reads.append(client.get(url + READ_PATHS[round_number % len(READ_PATHS)]).status_code)

    readers = [threading.Thread(target=reader) for _ in range(READERS)]
    writers = [threading.Thread(target=writer, args=(number,)) for number in range(WRITERS)]
    for thread in readers + writers:
        thread.start()
    for thread in writers:
        thread.join(timeout=300)
    writers_done.set()
    for thread in readers:
        thread.join(timeout=120)
    return signups, reads


def assert_every_signup_kept_once(signups, reads, stored, inbox):
    expected = {f"w{number:02d}-{n}@example.org" for number in range(WRITERS) for n in range(SIGNUPS_PER_WRITER)}
    expected.add("everyone@example.org")
    answers = Counter(status for _, status in signups)
    assert answers == {302: len(signups)}, f"sign-up answers {answers}"
    assert len(signups) == WRITERS * (SIGNUPS_PER_WRITER + 1)
    assert reads and Counter(reads) == {200: len(reads)}, f"read answers {Counter(reads)}"
    assert Counter(stored) == dict.fromkeys(expected, 1), "each address stored exactly once"
    recipients = {email.message_from_bytes(message.as_bytes())["To"] for message in inbox.messages}
    assert recipients == expected, "every address got its confirmation email"


def test_twenty_concurrent_signups_on_a_sqlite_file_all_succeed_once(
    migrated_sqlite, static_root, tmp_path, smtp_server
):
    controller, inbox = smtp_server
    database = sqlite_copy(migrated_sqlite, tmp_path)
    mail = f"smtp://127.0.0.1:{controller.port}"
    with gunicorn(f"sqlite:///{database}", tmp_path / "gunicorn.log", EMAIL_URL=mail, STATIC_ROOT=static_root) as url:
        signups, reads = hammer(url)
    import sqlite3

    with sqlite3.connect(database) as db:
        stored = [row[0] for row in db.execute("SELECT lower(email) FROM newsletter_subscriber")]
    assert_every_signup_kept_once(signups, reads, stored, inbox)


def test_twenty_concurrent_signups_on_postgresql_all_succeed_once(transactional_db, static_root, tmp_path, smtp_server):
    if connection.vendor != "postgresql":
        service_unavailable("DATABASE_URL does not name a PostgreSQL database")
    from newsletter.models import Subscriber

    controller, inbox = smtp_server
    home_page_as_site_root()  # what the readers read ("/"): a flush before this test took Wagtail's own
    db = connection.settings_dict
    database_url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    mail = f"smtp://127.0.0.1:{controller.port}"
    with gunicorn(database_url, tmp_path / "gunicorn.log", EMAIL_URL=mail, STATIC_ROOT=static_root) as url:
        signups, reads = hammer(url)
    stored = [address.lower() for address in Subscriber.objects.values_list("email", flat=True)]
    assert_every_signup_kept_once(signups, reads, stored, inbox)


SLOW_CLIENTS = 10


def slow_client(address, hold):
    """Sends a request's headers one byte at a time until `hold` is set (or 60 bytes)."""
    with socket.create_connection(address, timeout=30) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        for byte in b"X-Slow: " + b"a" * 52:
            if hold.wait(0.2):
                return
            sock.sendall(bytes([byte]))


def test_ten_slow_clients_do_not_keep_fresh_visitors_out(migrated_sqlite, static_root, tmp_path):
    database = sqlite_copy(migrated_sqlite, tmp_path)
    setup = production_setup(f"sqlite:///{database}", tmp_path, STATIC_ROOT=static_root, WEB_CONCURRENCY="1")
    with setup as url:
        host, port = url.removeprefix("http://").split(":")
        released = threading.Event()
        clients = [
            threading.Thread(target=slow_client, args=((host, int(port)), released)) for _ in range(SLOW_CLIENTS)
        ]
        for thread in clients:
            thread.start()
        time.sleep(1)  # every slow client connected and trickling
        try:
            statuses = []
            with httpx.Client(timeout=5) as client:
                for path in READ_PATHS * 5:
                    try:
                        statuses.append(client.get(url + path).status_code)
                    except httpx.TimeoutException:
                        statuses.append("timeout")
            still_trickling = sum(thread.is_alive() for thread in clients)
        finally:
            released.set()
            for thread in clients:
                thread.join(timeout=30)
    assert still_trickling == SLOW_CLIENTS, "the slow clients were still holding their connections"
    assert Counter(statuses) == {200: len(READ_PATHS) * 5}


def test_a_read_only_database_file_serves_pages_and_answers_writes_with_503(migrated_sqlite, static_root, tmp_path):
    database = sqlite_copy(migrated_sqlite, tmp_path)

    def writable():
        return gunicorn(
            f"sqlite:///{database}", tmp_path / "gunicorn-writable.log", STATIC_ROOT=static_root, WEB_CONCURRENCY="1"
        )

    with writable() as url:  # a site that has served a page (Wagtail creates its settings rows then)
        assert httpx.get(url + "/newsletter/subscribe/", timeout=30).status_code == 200
    read_only = gunicorn(
        f"sqlite:///{database}?mode=ro", tmp_path / "gunicorn.log", STATIC_ROOT=static_root, WEB_CONCURRENCY="1"
    )
    with read_only as url, httpx.Client(timeout=30) as client:
        health = client.get(url + "/health/")
        page = client.get(url + "/newsletter/subscribe/")
        refused = signup(client, url, "reader@example.org")
    assert health.status_code == 503 and health.json()["checks"]["database"]["ok"] is False
    assert health.json()["status"] == "down"
    assert page.status_code == 200, "reads still work"
    assert refused.status_code == 503 and refused.headers["Retry-After"].isdigit()

    with writable() as url, httpx.Client(timeout=30) as client:
        health = client.get(url + "/health/")
        accepted = signup(client, url, "reader@example.org")
    assert health.status_code == 200 and health.json()["checks"]["database"]["writes"] is True
    assert accepted.status_code == 302


def test_practice_search_on_a_sqlite_file_lists_the_search_backends_matches_in_its_order(migrated_sqlite, tmp_path):
    """SQLite's full-text match is read once, sorted by the backend's score (the backend's
    own queryset runs it again per matching row: seconds at 10,000 case studies), so the
    listing must be exactly the backend's, by relevance and by date: the same case
    studies, order and ties, none unpublished or private, on every page, from one match
    per page and none per row; and the relevance set's cases the database is held to rank
    their case study in the top three."""
    database = sqlite_copy(migrated_sqlite, tmp_path)
    typed = [query for query, _, _ in CASES] + [
        "reading",
        "tutors",
        "the",
        "college",
        "community partnership",
        "math OR reading",
        'summer "reading',
        "kinder*",
        "-absence",
        "NOT data",
        "reading AND",
        "Ünïcode 学校",
    ]
    answered = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", (ROOT / "tests/website/sqlite_practice_search.py").read_text()],
        cwd=ROOT,
        env=environment(
            DATABASE_URL=f"sqlite:///{database}",
            MEDIA_ROOT=str(tmp_path / "media"),
            TASKS_BACKEND="django_tasks.backends.immediate.ImmediateBackend",  # index as it saves
        ),
        input=json.dumps(typed),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert answered.returncode == 0, answered.stderr
    result = json.loads(answered.stdout.strip().splitlines()[-1])
    answers = result["answers"]
    assert set(answers) == set(typed)
    for query, sorts in answers.items():
        for sort, (listed, backend, _, matches, in_subquery) in sorts.items():
            assert listed == backend, (query, sort)
            pages = max(1, -(-len(listed) // result["per_page"]))
            assert (matches, in_subquery) == (pages, 0), f"{query!r}, {sort}: one match per page, never per row"
    found = {query: len(sorts["relevance"][0]) for query, sorts in answers.items()}
    assert found["the"] > result["per_page"], f"a listing of several pages: {found}"
    for query, expected, on_the_database in CASES:  # the relevance set's cases without typos or stemming
        if on_the_database:
            titles = answers[query]["relevance"][2]
            assert any(title.startswith(expected) for title in titles), (query, titles)
