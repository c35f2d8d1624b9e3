import contextlib
import io
import os
import shutil
import socket
from dataclasses import dataclass
from pathlib import Path

import environ
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message
from hypothesis import settings as hypothesis_settings

from tests.factories import home_page_as_site_root

# The test command (scripts/test.sh) starts every service and sets this, so a service
# that cannot be reached fails the run instead of skipping its tests.
SERVICES_REQUIRED = os.environ.get("TEST_REQUIRE_SERVICES") == "1"

# Speed is measured by the benchmarks, not asserted: no generated example fails for
# taking longer than Hypothesis's 200 ms on a loaded machine.
hypothesis_settings.register_profile("suite", deadline=None)
hypothesis_settings.load_profile("suite")


def service_unavailable(reason):
    """Skip on a developer's fast path, fail under the test command."""
    if SERVICES_REQUIRED:
        pytest.fail(f"{reason} (the test command must provide it)")
    pytest.skip(reason)


@pytest.fixture
def home_page(db):
    return home_page_as_site_root()


@pytest.fixture(autouse=True)
def empty_cache():
    """Rate-limit counters and cached lookups never leak from one test into the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded and generated files go to a temporary folder, never to var/."""
    settings.MEDIA_ROOT = tmp_path / "media"


class Inbox(Message):
    """What a real SMTP server on loopback received."""

    def __init__(self):
        super().__init__()
        self.messages = []

    def handle_message(self, message):
        self.messages.append(message)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def smtp_serving(handler):
    """A real SMTP server (aiosmtpd) on a free loopback port, its answers `handler`'s."""
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller
    finally:
        controller.stop()


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    with smtp_serving(inbox) as controller:
        yield controller, inbox


@pytest.fixture
def smtp_inbox(settings, smtp_server):
    """The site's email goes to the loopback SMTP server (as EMAIL_URL=smtp://... would send it)."""
    controller, inbox = smtp_server
    for name, value in environ.Env.email_url_config(f"smtp://127.0.0.1:{controller.port}").items():
        setattr(settings, name, value)
    return inbox


class TableCopies:
    """Every Django table's rows copied aside inside the test database, to be put back
    with one INSERT ... SELECT per table: no model code, no signals, a second or two
    where Django's serializer took a minute. The copies live in their own schema on
    PostgreSQL and under a prefix on SQLite, where Django's flush never looks."""

    def __init__(self, connection, name):
        self.connection = connection
        self.postgresql = connection.vendor == "postgresql"
        self.name = f"table_copies_{name}"

    def _copy(self, table):
        quote = self.connection.ops.quote_name
        if self.postgresql:
            return f"{quote(self.name)}.{quote(table)}"
        return quote(f"{self.name}__{table}")

    def _tables(self):
        return sorted(self.connection.introspection.django_table_names(only_existing=True, include_views=False))

    def take(self):
        quote = self.connection.ops.quote_name
        with self.connection.cursor() as cursor:
            if self.postgresql:
                cursor.execute(f"DROP SCHEMA IF EXISTS {quote(self.name)} CASCADE")
                cursor.execute(f"CREATE SCHEMA {quote(self.name)}")
            for table in self._tables():
                if not self.postgresql:
                    cursor.execute(f"DROP TABLE IF EXISTS {self._copy(table)}")
                cursor.execute(f"CREATE TABLE {self._copy(table)} AS SELECT * FROM {quote(table)}")

    def put_back(self):
        """Every table holds exactly its copied rows and its sequence runs past them.
        Django's foreign keys are deferred, so the order of tables does not matter
        inside the one transaction."""
        from django.apps import apps
        from django.contrib.contenttypes.models import ContentType
        from django.core.management.color import no_style
        from django.db import transaction

        quote = self.connection.ops.quote_name
        with transaction.atomic(using=self.connection.alias), self.connection.cursor() as cursor:
            for table in self._tables():
                cursor.execute(f"DELETE FROM {quote(table)}")
                cursor.execute(f"INSERT INTO {quote(table)} SELECT * FROM {self._copy(table)}")
            for statement in self.connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
                cursor.execute(statement)
        ContentType.objects.clear_cache()


@dataclass(frozen=True)
class Snapshot:
    tables: TableCopies  # every migrated table as the build left it
    media: Path  # the files the build wrote to media storage

    def restore(self, *, media_root):
        """The database and media as the build left them, caches emptied."""
        from django.core.cache import cache

        self.tables.put_back()
        shutil.copytree(self.media, media_root, dirs_exist_ok=True)
        cache.clear()


# Test files that share a costly session fixture, kept on one pytest-xdist worker: the
# standards checks all read one crawl of the demo site (a minute or two to make).
ONE_WORKER_FOLDERS = ("tests/standards/",)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """`--dist loadfile`, but a folder of ONE_WORKER_FOLDERS is one unit of work."""
    if config.getoption("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class LoadFileAndFolderScheduling(LoadFileScheduling):
        def _split_scope(self, nodeid):
            path = super()._split_scope(nodeid)
            return next((folder for folder in ONE_WORKER_FOLDERS if path.startswith(folder)), path)

    return LoadFileAndFolderScheduling(config, log)


MIGRATED_ROWS_BACK = pytest.StashKey()


@pytest.fixture(scope="session")
def migrated_tables(request, django_db_setup, django_db_blocker):
    """The test database as the migrations made it, for snapshots to go back to."""
    from django.db import connection

    with django_db_blocker.unblock():
        migrated = TableCopies(connection, "migrated")
        migrated.take()

    def put_back():
        with django_db_blocker.unblock():
            migrated.put_back()

    request.config.stash[MIGRATED_ROWS_BACK] = put_back
    return migrated


def flushes_the_database(item):
    """A transactional test (a live server's, say) ends with Django's flush, which empties
    the rows the migrations wrote too (outcome areas, editorial groups)."""
    marker = item.get_closest_marker("django_db")
    return "transactional_db" in item.fixturenames or bool(marker and marker.kwargs.get("transaction"))


@pytest.fixture(autouse=True)
def migrated_tables_kept(request):
    """Before a transactional test, a copy of the migrated tables (taken once)..."""
    if flushes_the_database(request.node):
        request.getfixturevalue("migrated_tables")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """...and after its flush, the migrated rows back: every test starts from the
    database the migrations made, in whatever order the tests run (pytest-django runs the
    transactional ones last, but pytest-xdist's workers take whole files)."""
    result = yield
    put_back = item.config.stash.get(MIGRATED_ROWS_BACK, None)
    # After the last test, the session's fixtures are gone too, the test database with them.
    if put_back and nextitem is not None and flushes_the_database(item):
        put_back()
    return result


def snapshot_take(name, build, *, migrated_tables, django_db_blocker, tmp_path_factory):
    """Run `build()` once on the migrated database with media of its own, keep what it
    made as the snapshot `name`, and leave the database as the migrations made it."""
    from django.db import connection
    from django.test import override_settings

    media = tmp_path_factory.mktemp(f"{name}-media")
    with django_db_blocker.unblock():
        if connection.in_atomic_block:
            raise RuntimeError(
                f"the {name} snapshot is taken inside a test's transaction: name its fixture as an argument"
            )
        with override_settings(MEDIA_ROOT=str(media)):
            build()
        tables = TableCopies(connection, name)
        tables.take()
        migrated_tables.put_back()
    return Snapshot(tables=tables, media=media)


@pytest.fixture(scope="session")
def demo_snapshot(migrated_tables, django_db_blocker, tmp_path_factory):
    """`load_demo_data` run once for the whole session (about 22 s; once per xdist worker)."""
    from django.core.management import call_command

    return snapshot_take(
        "demo",
        lambda: call_command("load_demo_data", stdout=io.StringIO()),
        migrated_tables=migrated_tables,
        django_db_blocker=django_db_blocker,
        tmp_path_factory=tmp_path_factory,
    )


def demo_data_restore(snapshot, *, media_root):
    """The database and media as `load_demo_data` leaves them, and (with Elasticsearch)
    the practice index rebuilt, as the command does."""
    from django.core.management import call_command

    from website.elasticsearch import elasticsearch_enabled

    snapshot.restore(media_root=media_root)
    if elasticsearch_enabled():
        call_command("search_index", "rebuild", stdout=io.StringIO())


@pytest.fixture
def demo_data(db, demo_snapshot, settings):
    """The demo site in this test's database, as if `load_demo_data` had just run, in a
    fraction of the command's time; in a transactional test (a browser's live server)
    too, since the rows go back in one committed transaction."""
    demo_data_restore(demo_snapshot, media_root=settings.MEDIA_ROOT)
