"""The editor's week in the Wagtail admin: an editor builds this week's issue, edits it,
previews it as subscribers will see it, sends a test to themselves and submits it; a
moderator approves it; the admin shows the sending's progress and its history."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from newsletter.models import NewsletterIssue, Subscriber
from newsletter.services.issues import issue_review_ensure
from newsletter.tasks import send_due_issue
from tests.browser.conftest import RECORD_POLICY_VIOLATIONS, STEP_TIMEOUT_MS, admin_log_in
from tests.factories import BlogIndexPageFactory, BlogPageFactory, home_page_as_site_root
from website.services import editorial_roles_ensure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ISSUES = "/admin/snippets/newsletter/newsletterissue/"


@pytest.fixture
def newsroom(live_server, settings, smtp_inbox):
    settings.BASE_URL = live_server.url
    blog = BlogIndexPageFactory(parent=home_page_as_site_root())
    today = timezone.localdate()  # the digest takes the posts dated this week
    BlogPageFactory(parent=blog, title="Reading gains in Tulsa", date=today).save_revision().publish()
    groups = editorial_roles_ensure()
    issue_review_ensure()
    users = get_user_model().objects
    users.create_user("writer", "writer@network.example", "writer-pass", first_name="Wren").groups.add(
        groups["Editors"]
    )
    users.create_user("approver", "approver@network.example", "approver-pass").groups.add(groups["Moderators"])
    for number in range(3):
        Subscriber.objects.create(email=f"reader{number}@example.org", status=Subscriber.Status.ACTIVE)
    return live_server.url


def signed_in(browser, base_url, username, password):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.add_init_script(RECORD_POLICY_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(STEP_TIMEOUT_MS)
    admin_log_in(page, base_url, username, password)
    return page


def test_an_issue_is_built_previewed_tested_approved_and_sent_from_the_admin(browser, newsroom, smtp_inbox):
    base_url = newsroom
    page = signed_in(browser, base_url, "writer", "writer-pass")
    page.goto(base_url + ISSUES)
    page.get_by_role("link", name="Build this week's issue").click()
    page.get_by_role("button", name="Build this week's issue").click()
    page.wait_for_url(re.compile(r"/edit/\d+/$"))
    issue = NewsletterIssue.objects.get()
    assert not issue.live and issue.items.filter(title="Reading gains in Tulsa").exists()
    expect(page.locator("#id_status")).to_have_count(0)  # no way past review from the form

    page.locator("#id_intro").fill("Tulsa's third graders read better than ever.")
    page.get_by_role("button", name="Toggle preview").click()
    email = page.frame_locator("#w-preview-iframe")
    expect(
        email.get_by_role("article").get_by_text("Tulsa's third graders read better than ever.", exact=True)
    ).to_be_visible()
    expect(email.get_by_text("Hello Wren,")).to_be_visible()
    with page.context.expect_page() as new_tab:
        page.get_by_role("link", name="Preview in new tab").click()
    tab = new_tab.value
    tab.wait_for_load_state()
    expect(tab.get_by_role("link", name="Reading gains in Tulsa")).to_be_visible()
    assert tab.evaluate("window.__violations") == []
    assert tab.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(243, 246, 248)", "styled"
    tab.close()

    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("saved")).not_to_have_count(0)
    page.goto(base_url + ISSUES)
    page.get_by_role("button", name="Send me a test").click()
    expect(page.get_by_text("A test copy of")).to_be_visible()
    (test_copy,) = smtp_inbox.messages
    assert test_copy["To"] == "writer@network.example" and test_copy["Subject"].startswith("[Test] ")
    assert "Tulsa's third graders" in test_copy.get_payload()[0].get_payload(decode=True).decode()

    page.goto(f"{base_url}{ISSUES}edit/{issue.pk}/")
    page.get_by_role("button", name="More actions").click()
    expect(page.get_by_role("button", name="Publish")).to_have_count(0)
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile(r"Submit to Moderators approval")).click()
    page.context.close()
    issue.refresh_from_db()
    assert issue.status == NewsletterIssue.Status.DRAFT and not issue.live, "submitted, not approved"

    page = signed_in(browser, base_url, "approver", "approver-pass")
    page.goto(f"{base_url}{ISSUES}edit/{issue.pk}/")
    page.get_by_role("button", name="More actions").click()
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile(r"^Approve")).first.click()
    issue.refresh_from_db()
    assert issue.live and issue.status == NewsletterIssue.Status.APPROVED
    assert issue.intro == "Tulsa's third graders read better than ever."

    send_due_issue.enqueue()  # what cron's `send_newsletter --enqueue` starts; inline in tests
    page.goto(base_url + ISSUES)
    row = page.get_by_role("row").filter(has_text=issue.subject)
    expect(row).to_contain_text("3 sent, 0 to go, 0 failed")
    expect(row).to_contain_text("Sent")
    page.goto(f"{base_url}{ISSUES}history/{issue.pk}/")
    expect(page.get_by_text("Delivered to subscribers")).to_be_visible()
    expect(page.get_by_text("Test copy sent")).to_be_visible()
    page.goto("about:blank")
    page.context.close()
    digests = [message["To"] for message in smtp_inbox.messages if message["Subject"] == issue.subject]
    assert sorted(digests) == [f"reader{number}@example.org" for number in range(3)]
