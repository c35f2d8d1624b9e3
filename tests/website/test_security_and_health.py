"""Security headers on every response, production's transport settings, the health
endpoint and structured logs."""

import json
import logging
import secrets

import pytest
from django.db import connection
from django.utils import timezone

from tests.website.test_configuration import run_django
from website.log_format import JsonFormatter

pytestmark = pytest.mark.django_db


def test_public_pages_carry_a_strict_content_security_policy(client, home_page):
    for url in ("/", "/newsletter/subscribe/", "/search/?q=reading", "/missing-page/"):
        response = client.get(url)
        policy = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
        assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'", url
        assert policy["object-src"] == "'none'" and policy["frame-ancestors"] == "'none'", url
        assert "unsafe" not in response["Content-Security-Policy"], url
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert "camera=()" in response["Permissions-Policy"]


def test_the_admin_keeps_wagtails_own_headers(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200 and "Content-Security-Policy" not in response


def test_an_archived_issue_is_a_page_of_the_site_under_its_strict_policy(client, home_page):
    """The web copy is the site's own markup, not the email's (no inline styles to allow)."""
    from newsletter.models import NewsletterIssue
    from newsletter.services.issues import issue_build

    issue = issue_build(force=True)
    NewsletterIssue.objects.filter(pk=issue.pk).update(status=NewsletterIssue.Status.SENT, sent_at=timezone.now())
    response = client.get(f"/newsletter/archive/{issue.pk}/")
    policy = response["Content-Security-Policy"]
    assert "style-src 'self'" in policy and "unsafe-inline" not in policy
    assert b"mso-" not in response.content and b"xmlns:o=" not in response.content


def test_production_sends_hsts_and_secure_cookies_only():
    code = (
        "from django.conf import settings as s; print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.X_FRAME_OPTIONS)"
    )
    production = run_django(
        code, DJANGO_SETTINGS_MODULE="website.settings.production", SECRET_KEY=secrets.token_urlsafe(50)
    )
    dev = run_django(code, DJANGO_SETTINGS_MODULE="website.settings.dev")
    assert production.stdout.split() == ["31536000", "True", "True", "True", "True", "DENY"], production.stderr
    assert dev.stdout.split()[0] == "0", "no HSTS on a laptop's plain http"


def test_health_reports_each_service_without_secrets(client, settings):
    settings.ELASTICSEARCH_URL = ""  # database search (the real node: tests/practices/test_health_with_the_node.py)
    response = client.get("/health/")
    report = response.json()
    assert response.status_code == 200 and report["status"] == "ok"
    assert report["checks"]["database"]["ok"] and report["checks"]["search"]["backend"] == "database"
    assert response["Cache-Control"].startswith("max-age=0")

    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"  # nothing listens on the discard port
    response = client.get("/health/")
    report = response.json()
    assert response.status_code == 200 and report["status"] == "degraded", "visitors still get database search"
    search = report["checks"]["search"]
    assert search["ok"] is False and set(search) == {"ok", "error", "ms"}, "no backend, address or index name"
    assert search["error"] == "ConnectionError" and search["ms"] >= 0
    body = response.content.decode()
    assert "127.0.0.1" not in body and settings.DATABASES["default"]["NAME"] not in body, "no addresses or names"


def test_health_is_503_without_a_database(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise connection.Database.OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["status"] == "down" and response.json()["checks"]["database"]["ok"] is False


def test_health_counts_the_task_queue(client, settings):
    from news.tasks import refresh_due_feeds

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # django-tasks re-reads it
    refresh_due_feeds.enqueue()
    tasks = client.get("/health/").json()["checks"]["tasks"]
    assert tasks["backend"] == "DatabaseBackend" and tasks["queued"] == 1 and tasks["oldest_queued_seconds"] >= 0


def test_json_logs_carry_the_event_fields():
    record = logging.LogRecord("news.services", logging.INFO, __file__, 1, "feed refreshed", (), None)
    record.feed, record.new_items = 7, 3
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "feed refreshed" and entry["feed"] == 7 and entry["new_items"] == 3
    assert entry["level"] == "INFO" and entry["logger"] == "news.services"
