"""An issue is approved by Wagtail's own publishing and moderation: the edit form cannot
move its status, the published revision is what subscribers get, and every send is in
the admin's history of the issue."""

import pytest
from django.contrib.auth.models import Group
from django.test import RequestFactory
from django.urls import reverse
from wagtail.admin.panels import get_edit_handler
from wagtail.models import ModelLogEntry

from newsletter.models import NewsletterIssue
from newsletter.services.delivery import issue_deliver
from newsletter.services.issues import issue_approve, issue_build, issue_review_ensure
from tests.newsletter.conftest import messages_of
from website.middleware import EMAIL_PREVIEW_CONTENT_SECURITY_POLICY
from website.services import editorial_roles_ensure

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(django_user_model, client):
    user = django_user_model.objects.create_superuser("comms", "comms@example.org", "pw", first_name="Dana")
    client.force_login(user)
    return user


def test_the_edit_form_has_no_status_to_flip():
    form_fields = get_edit_handler(NewsletterIssue).get_form_class().base_fields
    assert "status" not in form_fields and "sent_at" not in form_fields
    assert {"subject", "intro", "send_at"} <= set(form_fields)


def test_the_admin_builds_this_weeks_issue_as_a_draft(week, staff, client):
    assert "Build this week" in client.get(reverse("newsletter_issue_build")).content.decode()
    response = client.post(reverse("newsletter_issue_build"))
    issue = NewsletterIssue.objects.get()
    assert response["Location"] == reverse("wagtailsnippets_newsletter_newsletterissue:edit", args=[issue.pk])
    assert issue.items.count() == 6
    assert not issue.live and issue.status == NewsletterIssue.Status.DRAFT
    assert issue.latest_revision.user == staff


def test_a_quiet_week_builds_nothing_from_the_admin(home_page, staff, client):
    response = client.post(reverse("newsletter_issue_build"), follow=True)
    assert "A quiet week" in response.content.decode() and not NewsletterIssue.objects.exists()


def test_what_is_sent_is_the_published_revision_not_a_later_draft(week, subscribers, smtp_inbox, staff):
    issue = issue_build(since=week)
    issue_approve(issue=issue, user=staff)
    approved_subject = issue.subject
    draft = NewsletterIssue.objects.get(pk=issue.pk)
    draft.subject = "Not reviewed yet"
    draft.save_revision(user=staff)  # the editor saves a draft after approval, as the edit view does

    assert issue_deliver(issue=NewsletterIssue.objects.get(pk=issue.pk))["sent"] == 5
    assert {message["Subject"] for message in messages_of(smtp_inbox)} == {approved_subject}


def test_publishing_a_correction_to_a_sent_issue_mails_nobody_again(week, subscribers, smtp_inbox, staff):
    issue = issue_build(since=week)
    issue_approve(issue=issue, user=staff)
    issue_deliver(issue=issue)
    issue.refresh_from_db()
    assert issue.status == NewsletterIssue.Status.SENT

    issue.intro = "Corrected: the Albany story was from Dayton."
    issue_approve(issue=issue, user=staff)
    assert NewsletterIssue.objects.get(pk=issue.pk).status == NewsletterIssue.Status.SENT


def test_every_delivery_run_and_test_send_is_in_the_issues_history(week, subscribers, smtp_inbox, staff, client):
    issue = issue_build(since=week)
    client.post(reverse("newsletter_issue_test", args=[issue.pk]))
    issue_approve(issue=issue, user=staff)
    issue_deliver(issue=issue)
    entries = {entry.action: entry for entry in ModelLogEntry.objects.for_instance(issue)}
    assert entries["newsletter.test_send"].data == {"to": "comms@example.org"}
    assert entries["newsletter.deliver"].data == {"sent": 5, "failed": 0, "remaining": 0}
    history = client.get(reverse("wagtailsnippets_newsletter_newsletterissue:history", args=[issue.pk]))
    assert "Delivered to subscribers" in history.content.decode() and "Test copy sent" in history.content.decode()


def test_the_listing_shows_how_far_sending_has_got(week, subscribers, smtp_inbox, staff, client):
    issue = issue_build(since=week)
    issue_approve(issue=issue, user=staff)
    issue_deliver(issue=issue, batch_size=2, max_batches=1)
    listing = client.get(reverse("wagtailsnippets_newsletter_newsletterissue:list")).content.decode()
    assert "2 sent, 3 to go, 0 failed" in listing


def test_editors_submit_issues_and_moderators_approve_them():
    editorial_roles_ensure()
    issue_review_ensure()
    editors, moderators = Group.objects.get(name="Editors"), Group.objects.get(name="Moderators")
    assert set(editors.permissions.filter(codename__endswith="newsletterissue").values_list("codename", flat=True)) == {
        "add_newsletterissue",
        "change_newsletterissue",
        "view_newsletterissue",
    }
    assert moderators.permissions.filter(codename="publish_newsletterissue").exists()
    assert NewsletterIssue().get_workflow().name == "Moderators approval"


def test_the_email_preview_keeps_its_inline_styles_and_only_the_admin_frames_it(week, staff, client):
    issue = issue_build(since=week)
    # Wagtail renders the preview with a stand-in request carrying the editor's cookies.
    editor_request = RequestFactory().get("/admin/", HTTP_COOKIE=f"sessionid={client.cookies['sessionid'].value}")
    response = issue.make_preview_request(editor_request, "")
    assert response.status_code == 200 and "Hello Dana," in response.content.decode()
    assert response["Content-Security-Policy"] == EMAIL_PREVIEW_CONTENT_SECURITY_POLICY
    assert "style-src 'unsafe-inline'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    assert "script-src" not in response["Content-Security-Policy"]
