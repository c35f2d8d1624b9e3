"""Running the newsletter: importing a list from another tool, the weekly build and the
delivery as background tasks, staff's preview, test send and approval, provider
webhooks for bounces and complaints, and the archive's feeds."""

import base64
import json
from pathlib import Path

import feedparser
import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from blog.models import Series
from newsletter.models import Delivery, NewsletterIssue, Subscriber
from newsletter.services.delivery import issue_deliver
from newsletter.services.issues import issue_approve, issue_build
from newsletter.tasks import build_weekly_issue, send_due_issue
from tests.newsletter.conftest import messages_of

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).parent.parent / "fixtures" / "subscribers_from_another_tool.csv"


def test_import_keeps_the_good_rows_reports_the_bad_ones_and_never_brings_back_someone_who_left(capsys):
    Series.objects.get_or_create(slug="network-in-the-news", defaults={"name": "Network in the News"})
    Subscriber.objects.create(email="left@example.org", status=Subscriber.Status.UNSUBSCRIBED)

    with pytest.raises(CommandError, match="4 row"):
        call_command("import_subscribers", str(FIXTURE))
    output = capsys.readouterr().out

    assert "row 3: rejected: 'not-an-address' is not an email address" in output
    assert "row 6: rejected: ADA@example.org appears earlier in this file" in output
    assert "row 7: rejected: status 'vip'" in output
    assert "row 9: rejected: consented_at 'next tuesday' is not a date" in output
    assert "row 5: interest 'Knitting' is not a series, outcome area or region" in output
    assert "5 created, 1 updated, 0 unchanged, 4 rejected" in output
    ada = Subscriber.objects.get(email="ada@example.org")
    assert (ada.name, ada.status, timezone.localtime(ada.consent_at).isoformat()[:16], ada.regions) == (
        "Ada Lovelace",
        "active",
        "2025-03-14T09:30",
        ["midwest"],
    )
    assert list(ada.series.values_list("slug", flat=True)) == ["network-in-the-news"]
    assert list(ada.outcomes.values_list("slug", flat=True)) == ["kindergarten-readiness"]
    linus = Subscriber.objects.get(email="linus@example.org")
    assert (linus.status, linus.regions, list(linus.outcomes.values_list("slug", flat=True))) == (
        "active",
        ["west"],
        ["postsecondary-enrolment"],
    )
    assert Subscriber.objects.get(email="grace@example.org").status == Subscriber.Status.BOUNCED
    assert Subscriber.objects.get(email="maya@example.org").status == Subscriber.Status.UNSUBSCRIBED
    assert Subscriber.objects.get(email="zoe@example.org").status == Subscriber.Status.PENDING
    left = Subscriber.objects.get(email="left@example.org")
    assert (left.status, left.name, left.consent_source) == (Subscriber.Status.UNSUBSCRIBED, "Back Again", "")

    with pytest.raises(CommandError):
        call_command("import_subscribers", str(FIXTURE))
    assert "0 created, 0 updated, 6 unchanged, 4 rejected" in capsys.readouterr().out
    assert Subscriber.objects.count() == 6


def test_an_unreadable_file_is_refused_whole(tmp_path):
    latin = tmp_path / "latin1.csv"
    latin.write_bytes("email,name\nfirst@example.org,First\nrene@example.org,Ren\xe9\n".encode("latin-1"))
    no_email = tmp_path / "no-email.csv"
    no_email.write_text("address,name\nx@example.org,X\n")
    broken = tmp_path / "broken.csv"
    broken.write_text("email,name\nfirst@example.org,First\nsecond@example.org," + "x" * 200_000 + "\n")

    with pytest.raises(CommandError, match=r"not UTF-8 text .*Nothing was imported"):
        call_command("import_subscribers", str(latin))
    with pytest.raises(CommandError, match="must be 'email'"):
        call_command("import_subscribers", str(no_email))
    with pytest.raises(CommandError, match=r"after line 2: field larger .*Nothing was imported"):
        call_command("import_subscribers", str(broken))
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_subscribers", str(tmp_path / "missing.csv"))
    assert not Subscriber.objects.exists()


def test_a_dry_run_writes_nothing(capsys):
    with pytest.raises(CommandError):
        call_command("import_subscribers", str(FIXTURE), "--dry-run")
    assert "Dry run, nothing written: 6 created" in capsys.readouterr().out
    assert not Subscriber.objects.exists()


def test_the_weekly_build_and_the_delivery_run_as_tasks_in_batches(
    week, subscribers, smtp_inbox, settings, monkeypatch
):
    monkeypatch.setattr("newsletter.tasks.BATCH_SIZE", 2)
    monkeypatch.setattr("newsletter.services.delivery.BATCH_SIZE", 2)
    NewsletterIssue.objects.create(
        subject="Last week", period_start=week, period_end=week, status=NewsletterIssue.Status.SENT
    )

    issue = NewsletterIssue.objects.get(pk=build_weekly_issue.enqueue().return_value)
    assert issue.status == NewsletterIssue.Status.DRAFT and issue.items.count() == 6
    assert send_due_issue.enqueue().return_value is None, "a draft is not due"

    issue_approve(issue=issue)
    result = send_due_issue.enqueue().return_value

    assert result == {"issue": issue.pk, "batches": 3}
    assert sorted(message["X-RcptTo"] for message in messages_of(smtp_inbox)) == [
        f"reader{n}@example.org" for n in range(5)
    ]
    issue.refresh_from_db()
    assert issue.status == NewsletterIssue.Status.SENT
    assert send_due_issue.enqueue().return_value is None and len(smtp_inbox.messages) == 5


def test_send_newsletter_enqueue_queues_the_due_issue(week, subscribers, smtp_inbox, capsys):
    issue = issue_build(since=week)
    issue_approve(issue=issue)
    call_command("send_newsletter", "--enqueue")
    assert "Queued delivery of the due issue" in capsys.readouterr().out
    assert len(smtp_inbox.messages) == 5  # the immediate backend ran it inline


@pytest.fixture
def staff(django_user_model, client):
    user = django_user_model.objects.create_superuser("comms", "comms@example.org", "pw", first_name="Dana")
    client.force_login(user)
    return user


def test_staff_preview_the_email_in_the_editor(week, staff, client):
    issue = issue_build(since=week)
    edit = client.get(reverse("wagtailsnippets_newsletter_newsletterissue:edit", args=[issue.pk])).content.decode()
    assert (
        "Preview" in edit
        and reverse("wagtailsnippets_newsletter_newsletterissue:preview_on_edit", args=[issue.pk]) in edit
    )
    request = RequestFactory().get("/")
    request.user = staff

    email_html = issue.serve_preview(request, "").content.decode()
    outcomes_first = issue.serve_preview(request, "case_studies_first").content.decode()
    text = issue.serve_preview(request, "text")

    assert "Hello Dana," in email_html and "What we learned in Phoenix" in email_html and "<mj-" not in email_html
    assert outcomes_first.index("Chronic absence cut in half") < outcomes_first.index("What we learned in Phoenix")
    assert text["Content-Type"].startswith("text/plain") and "Hello Dana," in text.content.decode()


def test_staff_send_themselves_a_test_then_publishing_approves(week, staff, client):
    issue = issue_build(since=week, user=staff)
    listing = client.get(reverse("wagtailsnippets_newsletter_newsletterissue:list")).content.decode()
    assert "Send me a test" in listing and "Build this week" in listing

    response = client.post(reverse("newsletter_issue_test", args=[issue.pk]), follow=True)
    assert "A test copy" in response.content.decode()
    (message,) = mail.outbox
    assert message.to == ["comms@example.org"] and message.subject == f"[Test] {issue.subject}"
    assert not issue.deliveries.exists(), "a test copy is not a delivery"

    issue_approve(issue=issue, user=staff)
    issue.refresh_from_db()
    assert issue.status == NewsletterIssue.Status.APPROVED and issue.send_at is not None
    assert issue.live and issue.live_revision == issue.latest_revision
    actions = list(ModelLogEntry.objects.for_instance(issue).order_by("pk").values_list("action", "user"))
    assert actions == [
        ("wagtail.edit", staff.pk),
        ("newsletter.test_send", staff.pk),
        ("wagtail.edit", staff.pk),
        ("wagtail.publish", staff.pk),
    ]


def test_editors_without_permission_cannot_build_or_send(week, django_user_model, client):
    from django.contrib.auth.models import Permission

    issue = issue_build(since=week)
    user = django_user_model.objects.create_user("writer", "writer@example.org", "pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    for url in (reverse("newsletter_issue_test", args=[issue.pk]), reverse("newsletter_issue_build")):
        response = client.post(url)
        assert response.status_code in (302, 403) and response.get("Location") == "/admin/"  # Wagtail's refusal
    assert not mail.outbox and NewsletterIssue.objects.get().status == NewsletterIssue.Status.DRAFT


def postmark(client, payload, *, secret="hooks:test-secret"):
    return client.post(
        "/anymail/postmark/tracking/",
        json.dumps(payload),
        content_type="application/json",
        HTTP_AUTHORIZATION="Basic " + base64.b64encode(secret.encode()).decode(),
    )


def bounce(email, kind, details=""):
    return {
        "RecordType": "Bounce",
        "Type": kind,
        "TypeCode": 1,
        "ID": 42,
        "MessageID": "b7bc2f4a",
        "Email": email,
        "BouncedAt": "2026-11-20T10:00:00Z",
        "Details": details,
        "Description": kind,
    }


def test_provider_webhooks_stop_mail_to_hard_bounces_and_complaints(client, subscribers):
    response = postmark(client, bounce("reader1@example.org", "HardBounce", "smtp;550 5.1.1 unknown user"))
    assert response.status_code == 200
    postmark(
        client,
        {
            "RecordType": "SpamComplaint",
            "Type": "SpamComplaint",
            "TypeCode": 512,
            "ID": 43,
            "MessageID": "c1",
            "Email": "reader2@example.org",
            "BouncedAt": "2026-11-20T10:00:00Z",
        },
    )
    for _ in range(2):
        postmark(client, bounce("reader3@example.org", "SoftBounce", "mailbox full, try later"))

    statuses = dict(Subscriber.objects.values_list("email", "status"))
    assert statuses["reader1@example.org"] == Subscriber.Status.BOUNCED
    assert statuses["reader2@example.org"] == Subscriber.Status.COMPLAINED
    assert statuses["reader3@example.org"] == Subscriber.Status.ACTIVE, "two soft bounces may be temporary"
    postmark(client, bounce("reader3@example.org", "SoftBounce", "mailbox full, try later"))
    assert Subscriber.objects.get(email="reader3@example.org").status == Subscriber.Status.BOUNCED


def test_a_webhook_without_the_secret_changes_nothing(client, subscribers):
    response = postmark(client, bounce("reader1@example.org", "HardBounce", "550"), secret="hooks:guess")
    assert response.status_code == 400, "Anymail refuses a webhook without the shared secret"
    assert Subscriber.objects.get(email="reader1@example.org").status == Subscriber.Status.ACTIVE


def test_bounced_and_complaining_addresses_get_no_further_issue(week, subscribers, client, settings):
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
    postmark(client, bounce("reader1@example.org", "HardBounce", "550 5.1.1"))
    issue = issue_build(since=week)
    issue_approve(issue=issue)

    assert issue_deliver(issue=issue)["sent"] == 4
    assert "reader1@example.org" not in [message.to[0] for message in mail.outbox]
    delivery = Delivery.objects.filter(issue=issue).first()
    assert delivery.message_id == str(mail.outbox[0].anymail_status.message_id), (
        "the provider's id, to match its events"
    )


def test_the_archive_has_feeds(week, client):
    issue = issue_build(since=week)
    NewsletterIssue.objects.filter(pk=issue.pk).update(status=NewsletterIssue.Status.SENT, sent_at=week)
    issue_build(since=week, force=True)  # a draft: not in the archive

    archive = client.get("/newsletter/archive/").content.decode()
    assert 'type="application/rss+xml"' in archive and "/newsletter/archive/rss/" in archive
    for url in ("/newsletter/archive/rss/", "/newsletter/archive/atom/"):
        feed = feedparser.parse(client.get(url).content)
        assert [entry.title for entry in feed.entries] == [issue.subject]
        assert feed.entries[0].link == f"http://localhost/newsletter/archive/{issue.pk}/"
        assert "What we learned in Phoenix" in feed.entries[0].summary


def test_the_live_preview_shows_unsaved_edits(week, staff, client):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data

    issue = issue_build(since=week)
    items = [
        {
            "id": item.pk,
            "section": item.section,
            "title": item.title,
            "url": item.url,
            "summary": item.summary,
            "source": item.source,
            "ORDER": order,
        }
        for order, item in enumerate(issue.items.all())
    ]
    assert [item["title"] for item in items[:2]] == ["What we learned in Phoenix", "Network in the News: week 47"]
    items[0]["title"] = "A title edited a moment ago"
    items[1]["DELETE"] = "1"
    data = nested_form_data(
        {
            "subject": issue.subject,
            "intro": "An intro not saved yet.",
            "send_at": "",
            "status": "draft",
            "items": inline_formset(items, initial=len(items)),
        }
    )
    url = reverse("wagtailsnippets_newsletter_newsletterissue:preview_on_edit", args=[issue.pk])

    assert client.post(url, data).json() == {"is_valid": True, "is_available": True}
    preview = client.get(url).content.decode()

    assert "A title edited a moment ago" in preview and "An intro not saved yet." in preview
    assert "Network in the News: week 47" not in preview, "the removed item is gone"
    issue.refresh_from_db()
    assert issue.intro == "This week across the network.", "previewing saves nothing"


def test_a_test_send_to_a_dead_mail_server_says_so(week, staff, client, settings):
    from tests.conftest import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    issue = issue_build(since=week)
    response = client.post(reverse("newsletter_issue_test", args=[issue.pk]), follow=True)
    assert response.status_code == 200 and "The mail server refused the test copy" in response.content.decode()
