"""What `/health/` reports: can the site write to its database, reach its search node and
keep up with its task queue. Names and figures only, never an address or a credential."""

import datetime
import time

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from .models import HealthHeartbeat

HEALTH_TIMEOUT_SECONDS = 2
# Tasks waiting longer than this mean no worker is taking them (newsletter, indexing).
TASK_BACKLOG_STALE_SECONDS = 15 * 60


def _timed(check):
    started = time.perf_counter()
    try:
        report = {"ok": True, **check()}
    except Exception as error:  # any failure is the report, never a 500
        report = {"ok": False, "error": type(error).__name__, **getattr(error, "report", {})}
    report["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return report


def _database():
    """A committed write, not SELECT 1: a read-only file or a full disk still answers
    reads while every sign-up and edit fails."""
    with transaction.atomic():
        HealthHeartbeat.objects.update_or_create(pk=1, defaults={"beat_at": timezone.now()})
    return {"engine": connection.vendor, "writes": True}


def _search():
    from practices.documents import CaseStudyDocument
    from website.elasticsearch import elasticsearch_client, elasticsearch_enabled

    if not elasticsearch_enabled():
        return {"backend": "database"}
    client = elasticsearch_client(timeout=HEALTH_TIMEOUT_SECONDS)
    health = client.cluster.health()
    if not client.indices.exists_alias(name=CaseStudyDocument.alias_name()):
        raise LookupError("practice index missing")
    return {"backend": "elasticsearch", "cluster": health["status"]}


def _tasks():
    backend = settings.TASKS["default"]["BACKEND"]
    report = {"backend": backend.rsplit(".", 1)[-1]}
    if "django_tasks_db" in backend:
        from django_tasks_db.models import DBTaskResult

        ready = DBTaskResult.objects.ready()
        oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
        report["queued"] = ready.count()
        report["oldest_queued_seconds"] = round((timezone.now() - oldest).total_seconds()) if oldest else 0
        report["failed_last_day"] = (
            DBTaskResult.objects.failed().filter(finished_at__gte=timezone.now() - datetime.timedelta(days=1)).count()
        )
        if report["oldest_queued_seconds"] > TASK_BACKLOG_STALE_SECONDS:
            raise TaskBacklogStale(report)
    return report


class TaskBacklogStale(Exception):
    """Queued tasks wait longer than TASK_BACKLOG_STALE_SECONDS: no worker runs them."""

    def __init__(self, report):
        super().__init__(report)
        self.report = report


def health_report():
    """{"status": "ok" | "degraded" | "down", "checks": {...}}: down when the database
    cannot take a write (no sign-up, no edit would succeed); degraded when search is down
    (visitors get database search) or the task queue cannot be read or is not moving."""
    checks = {"database": _timed(_database), "search": _timed(_search), "tasks": _timed(_tasks)}
    if not checks["database"]["ok"]:
        status = "down"
    elif all(check["ok"] for check in checks.values()):
        status = "ok"
    else:
        status = "degraded"
    return {"status": status, "checks": checks}
