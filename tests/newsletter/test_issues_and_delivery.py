"""Issues assembled from the week, rendered with MJML once, delivered exactly once to a
real SMTP server on loopback, resumably after the server drops the connection."""

import re

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command

from newsletter.models import Delivery, NewsletterIssue, Subscriber
from newsletter.rendering import HTML_BUDGET_BYTES, IssueRenderer
from newsletter.services.delivery import issue_deliver
from newsletter.services.issues import issue_approve, issue_build
from tests.conftest import Inbox, free_port
from tests.newsletter.conftest import messages_of, parts

pytestmark = pytest.mark.django_db


def test_an_issue_collects_the_week_with_one_news_item_per_partnership_pinned_first(week):
    issue = issue_build(since=week)
    sections = [(item.section, item.title) for item in issue.items.all()]
    assert [item.sort_order for item in issue.items.all()] == list(range(len(sections))), "an order the admin keeps"
    assert [title for section, title in sections if section == "posts"] == [
        "What we learned in Phoenix",
        "Network in the News: week 47",
    ]
    news = [title for section, title in sections if section == "news"]
    assert news[0] == "Dayton story 1" and len(news) == 3
    assert [title for section, title in sections if section == "case_studies"] == ["Chronic absence cut in half"]
    assert all(
        item.url.startswith("http://localhost/") or item.url.startswith("https://") for item in issue.items.all()
    )
    assert issue.status == NewsletterIssue.Status.DRAFT


def test_a_quiet_week_builds_nothing_unless_staff_say_so(home_page, capsys):
    call_command("build_newsletter")
    assert "quiet week" in capsys.readouterr().out and not NewsletterIssue.objects.exists()
    call_command("build_newsletter", "--force", "--approve")
    assert NewsletterIssue.objects.get().status == NewsletterIssue.Status.APPROVED


def test_every_active_subscriber_gets_one_well_formed_message(week, subscribers, smtp_inbox):
    issue = issue_build(since=week)
    issue_approve(issue=issue)
    result = issue_deliver(issue=issue)
    assert result == {"sent": 5, "failed": 0, "remaining": 0, "in_progress": 0, "compiles": 2}

    received = messages_of(smtp_inbox)
    assert sorted(message["X-RcptTo"] for message in received) == [f"reader{n}@example.org" for n in range(5)]
    for message in received:
        assert re.fullmatch(r"<[^@\s<>]+\.digest@localhost>", message["Message-ID"])
        assert message["List-Id"] == "Network Commons weekly digest <digest.localhost>"
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        http_link, mailto = re.findall(r"<([^>]+)>", message["List-Unsubscribe"])
        assert http_link.startswith("http://localhost/newsletter/unsubscribe/") and mailto.startswith("mailto:")
        body = parts(message)
        assert "text/plain" in body and "text/html" in body
        assert len(body["text/html"].encode()) < HTML_BUDGET_BYTES
        assert all(
            href.startswith(("http://", "https://")) for href in re.findall(r'href="([^"]+)"', body["text/html"])
        )
        assert http_link in body["text/plain"]
        name = message["X-RcptTo"].split("@")[0].replace("reader", "Reader ")
        assert f"Hello {name}," in body["text/plain"]

    issue.refresh_from_db()
    assert issue.status == NewsletterIssue.Status.SENT
    assert issue_deliver(issue=issue)["sent"] == 0, "a second run sends nothing"
    assert len(smtp_inbox.messages) == 5


def test_interests_change_the_order_of_the_sections(week, subscribers, smtp_inbox):
    issue = issue_build(since=week)
    issue_approve(issue=issue)
    issue_deliver(issue=issue)
    by_address = {message["X-RcptTo"]: parts(message)["text/plain"] for message in messages_of(smtp_inbox)}
    follows_outcomes = by_address["reader0@example.org"]
    plain = by_address["reader1@example.org"]
    assert follows_outcomes.index("NEW CASE STUDIES") < follows_outcomes.index("FROM THE NETWORK")
    assert plain.index("FROM THE NETWORK") < plain.index("NEW CASE STUDIES")


def test_mjml_is_compiled_once_per_section_order_not_per_subscriber(week):
    issue = issue_build(since=week)
    renderer = IssueRenderer(issue)
    for number in range(50):
        renderer.personalise(
            order=renderer.template.__defaults__[0],
            greeting=f"Hello {number}",
            preferences_url="https://x.example/p",
            unsubscribe_url="https://x.example/u",
        )
    assert renderer.compiles == 1


def test_personal_values_are_escaped_in_the_html(week):
    renderer = IssueRenderer(issue_build(since=week))
    html_body, _text_body = renderer.personalise(
        order=renderer.template.__defaults__[0],
        greeting="Hello <script>alert(1)</script>,",
        preferences_url="https://x.example/p?a=1&b=2",
        unsubscribe_url="u",
    )
    assert "<script>alert(1)" not in html_body and "&lt;script&gt;" in html_body
    assert "https://x.example/p?a=1&amp;b=2" in html_body


class DropAfter(Inbox):
    """Accepts `limit` messages, then answers 421 and hangs up, like a server going away."""

    def __init__(self, limit):
        super().__init__()
        self.limit = limit

    async def handle_DATA(self, server, session, envelope):
        if self.limit is not None and len(self.messages) >= self.limit:
            return "421 Service not available, closing transmission channel"
        return await super().handle_DATA(server, session, envelope)


def test_a_dropped_connection_then_a_rerun_delivers_each_message_exactly_once(week, subscribers, settings):
    for n in range(5, 40):
        Subscriber.objects.create(email=f"reader{n}@example.org", status=Subscriber.Status.ACTIVE)
    inbox = DropAfter(limit=7)
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", controller.port, False
    try:
        issue = issue_build(since=week)
        issue_approve(issue=issue)
        first = issue_deliver(issue=issue)
        assert first["sent"] == 7 and first["remaining"] == 33
        assert Delivery.objects.filter(state=Delivery.State.SENDING).count() == 0

        inbox.limit = None
        second = issue_deliver(issue=issue)
        assert second["sent"] == 33 and second["remaining"] == 0
    finally:
        controller.stop()
    recipients = [message["X-RcptTo"] for message in inbox.messages]
    assert len(recipients) == 40 and len(set(recipients)) == 40


def test_the_archive_shows_sent_issues_without_anything_personal(client, week, subscribers, smtp_inbox):
    issue = issue_build(since=week)
    issue_approve(issue=issue)
    assert client.get(f"/newsletter/archive/{issue.pk}/").status_code == 404, "not before it is sent"
    issue_deliver(issue=issue)
    assert issue.subject.encode() in client.get("/newsletter/archive/").content
    page = client.get(f"/newsletter/archive/{issue.pk}/").content.decode()
    assert "Chronic absence cut in half" in page and "Reader" not in page and "/unsubscribe/" not in page
