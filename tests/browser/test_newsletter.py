"""A visitor subscribes in Chromium, confirms with the button behind the captured email's
link, receives the next issue at a real SMTP server and leaves in one click."""

import email
import re

import pytest
from django.utils import timezone

from newsletter.models import IssueItem, NewsletterIssue, Subscriber
from newsletter.services.delivery import issue_deliver
from newsletter.tokens import subscriber_links
from website.page_cache import AnonymousPageCacheMiddleware

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def text_of(message):
    parsed = email.message_from_bytes(message.as_bytes())
    return next(
        part.get_payload(decode=True).decode() for part in parsed.walk() if part.get_content_type() == "text/plain"
    )


def test_visitor_subscribes_confirms_receives_an_issue_and_unsubscribes(
    page, live_server, smtp_inbox, settings, home_page
):
    settings.BASE_URL = live_server.url
    page.goto(live_server.url + "/")
    footer = page.locator("footer")
    footer.get_by_label("Email address").fill("visitor@example.org")
    footer.get_by_role("button", name="Subscribe").click()
    page.wait_for_url(re.compile(r"/newsletter/subscribe/check-your-email/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Check your email"

    confirm_url = re.search(r"http://\S+/newsletter/confirm/\S+/", text_of(smtp_inbox.messages[-1])).group(0)
    page.goto(confirm_url)
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING, "opening the link alone consents nobody"
    page.get_by_role("button", name="Confirm my subscription").click()
    assert page.get_by_role("heading", level=1).inner_text() == "You are subscribed"
    assert Subscriber.objects.get().status == Subscriber.Status.ACTIVE

    issue = NewsletterIssue.objects.create(
        subject="This week in the network",
        period_start=timezone.now(),
        period_end=timezone.now(),
        status=NewsletterIssue.Status.APPROVED,
        send_at=timezone.now(),
    )
    IssueItem.objects.create(
        issue=issue,
        section="news",
        title="Tulsa opens a new centre",
        url="https://tulsa.example.org/centre",
        source="Tulsa Promise",
    )
    assert issue_deliver(issue=issue)["sent"] == 1
    digest = smtp_inbox.messages[-1]
    assert digest["Subject"] == "This week in the network"
    unsubscribe_url = re.search(r"Unsubscribe: (\S+)", text_of(digest)).group(1)

    page.goto(unsubscribe_url)
    assert Subscriber.objects.get().status == Subscriber.Status.ACTIVE, "opening the link alone changes nothing"
    page.get_by_role("button", name="Unsubscribe").click()
    assert page.get_by_role("heading", level=1).inner_text() == "You are unsubscribed"
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED


def test_a_subscriber_saves_preferences_and_erases_their_data_through_an_emailed_link(
    page, live_server, smtp_inbox, settings, home_page
):
    """The personal pages' forms post in a real browser (their referrer policy once made
    Chromium send `Origin: null`, which CSRF checking refuses)."""
    settings.BASE_URL = live_server.url
    subscriber = Subscriber.objects.create(email="reader@example.org", status=Subscriber.Status.ACTIVE)
    page.goto(subscriber_links(subscriber)["preferences_url"])
    page.get_by_label("Name (optional)").fill("Ada")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_role("status").inner_text() == "Saved."
    subscriber.refresh_from_db()
    assert subscriber.name == "Ada"

    page.get_by_role("button", name="Email me a link to download or erase my data").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Check your email"
    data_url = re.search(r"http://\S+/newsletter/data/\S+/", text_of(smtp_inbox.messages[-1])).group(0)
    page.goto(data_url)
    page.get_by_role("button", name="Erase my data").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Your data is erased"
    assert not Subscriber.objects.exists()


def test_a_phone_visitor_subscribes_from_a_page_the_cache_served_compressed(
    browser, live_server, smtp_inbox, settings, home_page, monkeypatch
):
    """The page cache hands browsers a page kept gzip-compressed with their own CSRF token
    joined in, answered before Django's middleware (website.page_replay): Chromium must
    read it, take the cookie, and the sign-up form on it must post."""
    settings.BASE_URL = live_server.url
    settings.PAGE_CACHE_SECONDS = 300
    for _ in range(2):  # the first render saves the site's navigation and footer settings: a new generation
        earlier = browser.new_context()  # a new visitor's (a returning one revalidates, If-None-Match)
        assert earlier.new_page().goto(live_server.url + "/").headers["x-page-cache"] == "miss"
        earlier.close()
    ask = AnonymousPageCacheMiddleware.__call__

    def answered_before_django(middleware, request):
        assert (request.method, request.path) != ("GET", "/"), "Django's middleware answered the home page"
        return ask(middleware, request)

    monkeypatch.setattr(AnonymousPageCacheMiddleware, "__call__", answered_before_django)

    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    response = page.goto(live_server.url + "/")
    assert response.headers["x-page-cache"] == "hit" and response.headers["content-encoding"] == "gzip"
    footer = page.locator("footer")
    footer.get_by_label("Email address").fill("phone@example.org")
    footer.get_by_role("button", name="Subscribe").click()
    page.wait_for_url(re.compile(r"/newsletter/subscribe/check-your-email/$"))
    assert Subscriber.objects.get().email == "phone@example.org"
    assert "phone@example.org" in smtp_inbox.messages[-1]["To"]
    context.close()
