"""A comms editor writes a post in a series in the Wagtail admin and submits it; an
approver publishes it; it appears on the series page and in the series feed."""

import re

import feedparser
import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests.browser.conftest import STEP_TIMEOUT_MS
from tests.factories import BlogIndexPageFactory, SeriesFactory, home_page_as_site_root
from website.services import editorial_roles_ensure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def newsroom(live_server):
    blog = BlogIndexPageFactory(parent=home_page_as_site_root())
    groups = editorial_roles_ensure()
    SeriesFactory(name="Network in the News", slug="network-in-the-news")
    users = get_user_model().objects
    writer = users.create_user("writer", "writer@network.example", "writer-pass")
    writer.groups.add(groups["Editors"])
    approver = users.create_user("approver", "approver@network.example", "approver-pass")
    approver.groups.add(groups["Moderators"])
    return live_server.url, blog


def log_in(page, base_url, username, password):
    page.goto(base_url + "/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/admin/$"))


def test_a_post_goes_from_draft_to_the_series_page_and_feed(browser, newsroom):
    base_url, blog = newsroom

    writer_context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = writer_context.new_page()
    page.set_default_timeout(STEP_TIMEOUT_MS)
    log_in(page, base_url, "writer", "writer-pass")
    page.goto(f"{base_url}/admin/pages/add/blog/blogpage/{blog.pk}/")
    page.locator("#id_title").fill("Network in the News: a week of reading gains")
    page.locator("#id_summary").fill("Three partnerships report third-grade reading gains.")
    page.locator("#id_series").select_option(label="Network in the News")
    page.locator("#panel-child-content-body-section").get_by_role("button", name="Insert a block").first.click()
    page.get_by_role("option", name="Paragraph").click()
    page.locator("#panel-child-content-body-section .public-DraftEditor-content").first.click()
    page.keyboard.type("Dayton, Albany and Tulsa all reported gains this week.")
    page.locator("#id_summary").click()  # leaving the editor saves its content to the form
    expect(page.locator('input[name="body-0-value"]')).to_have_value(re.compile("Tulsa all reported gains"))
    page.get_by_role("button", name="More actions").click()
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile(r"Submit to ")).click()
    writer_context.close()

    from blog.models import BlogPage

    post = BlogPage.objects.get(title="Network in the News: a week of reading gains")
    assert not post.live, "submitted, not yet published"

    approver_context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = approver_context.new_page()
    page.set_default_timeout(STEP_TIMEOUT_MS)
    log_in(page, base_url, "approver", "approver-pass")
    page.goto(f"{base_url}/admin/pages/{post.pk}/edit/")
    page.get_by_role("button", name="More actions").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Approve and Publish", exact=True).click()
    approver_context.close()

    post.refresh_from_db()
    assert post.live
    visitor = browser.new_context()
    page = visitor.new_page()
    page.goto(f"{base_url}{blog.url}series/network-in-the-news/")
    assert page.get_by_role("link", name="Network in the News: a week of reading gains").is_visible()
    feed = feedparser.parse(page.request.get(f"{base_url}{blog.url}series/network-in-the-news/rss/").body())
    assert [entry.title for entry in feed.entries] == ["Network in the News: a week of reading gains"]
    visitor.close()
