"""Temporary faults (a locked or read-only database, a full disk) answer 503 with
Retry-After instead of 500, and the database check of /health/ is a real write."""

import errno

import pytest
from django.db import InternalError, OperationalError
from django.test import Client

from newsletter.models import Subscriber

pytestmark = pytest.mark.django_db


class ReadOnlySqlTransaction(Exception):
    """What psycopg raises in a read-only transaction (a hot standby), with its SQLSTATE."""

    sqlstate = "25006"


def read_only_postgresql():
    try:
        raise ReadOnlySqlTransaction("cannot execute INSERT in a read-only transaction")
    except ReadOnlySqlTransaction as error:
        raise InternalError(str(error)) from error


def raising(error):
    def fail(**kwargs):
        if callable(error):
            error()
        raise error

    return fail


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("database is locked"),
        OperationalError("attempt to write a readonly database"),
        OperationalError("database or disk is full"),
        OSError(errno.ENOSPC, "No space left on device"),
        read_only_postgresql,
    ],
    ids=["locked", "read-only", "sqlite-full", "disk-full", "postgresql-read-only"],
)
def test_a_temporary_fault_during_a_signup_answers_503_with_retry_after(monkeypatch, error):
    monkeypatch.setattr("newsletter.views.subscriber_signup", raising(error))
    response = Client(raise_request_exception=False).post("/newsletter/subscribe/", {"email": "ada@example.org"})
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert b"try again" in response.content


def test_a_bug_is_still_a_500(monkeypatch):
    monkeypatch.setattr("newsletter.views.subscriber_signup", raising(ValueError("a bug")))
    response = Client(raise_request_exception=False).post("/newsletter/subscribe/", {"email": "ada@example.org"})
    assert response.status_code == 500 and "Retry-After" not in response


def test_a_signup_refused_by_a_fault_is_kept_when_sent_again(
    monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    from newsletter import views

    signup = views.subscriber_signup
    monkeypatch.setattr(views, "subscriber_signup", raising(OperationalError("database is locked")))
    client = Client(raise_request_exception=False)
    assert client.post("/newsletter/subscribe/", {"email": "ada@example.org"}).status_code == 503
    assert not Subscriber.objects.exists()

    monkeypatch.setattr(views, "subscriber_signup", signup)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/newsletter/subscribe/", {"email": "ada@example.org"}).status_code == 302
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["ada@example.org"]
    assert len(mailoutbox) == 1


def test_health_is_503_when_the_database_refuses_writes(client, settings, monkeypatch):
    settings.ELASTICSEARCH_URL = ""
    assert client.get("/health/").json()["checks"]["database"]["writes"] is True

    def refuse(*args, **kwargs):
        raise OperationalError("attempt to write a readonly database")

    monkeypatch.setattr("website.health.HealthHeartbeat.objects.update_or_create", refuse)
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["status"] == "down"
    assert response.json()["checks"]["database"]["error"] == "OperationalError"


def test_health_writes_do_not_empty_the_page_cache(client, settings):
    from website.page_cache import page_cache_generation

    settings.ELASTICSEARCH_URL = ""
    before = page_cache_generation()
    client.get("/health/")
    client.get("/health/")
    assert page_cache_generation() == before


def test_health_is_degraded_when_queued_tasks_wait_for_no_worker(client, settings):
    import datetime

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from news.tasks import refresh_due_feeds

    settings.ELASTICSEARCH_URL = ""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # django-tasks re-reads it
    refresh_due_feeds.enqueue()
    assert client.get("/health/").json()["status"] == "ok"

    DBTaskResult.objects.update(enqueued_at=timezone.now() - datetime.timedelta(hours=1))
    response = client.get("/health/")
    tasks = response.json()["checks"]["tasks"]
    assert response.status_code == 200 and response.json()["status"] == "degraded"
    assert tasks["ok"] is False and tasks["error"] == "TaskBacklogStale" and tasks["queued"] == 1
    assert tasks["oldest_queued_seconds"] >= 3600
