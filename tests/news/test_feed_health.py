"""Feed health for staff (the admin list, adding a source by website, one-click retry) and
the one email a partnership's contact gets about a failing, moved or silent feed."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from news.models import FeedSource
from news.services import feed_sources_refresh
from tests.factories import DirectoryPageFactory, PartnershipPageFactory
from tests.news.conftest import Route, rss

pytestmark = pytest.mark.django_db

RECENT = {
    "guid": "r-1",
    "link": "https://member.example.org/r-1",
    "title": "Fresh news",
    "pubDate": "Fri, 20 Nov 2026 10:00:00 GMT",
}


@pytest.fixture
def partnership(home_page):
    return PartnershipPageFactory(
        parent=DirectoryPageFactory(parent=home_page),
        title="Tulsa Promise",
        contact_name="Ada",
        contact_email="ada@tulsa.example.org",
    )


def refresh(source):
    source.refresh_from_db()
    feed_sources_refresh(sources=[source])
    source.refresh_from_db()
    return source


def test_the_feed_health_list_shows_every_feed_with_a_retry_button(admin_client, feed_server):
    FeedSource.objects.create(
        name="Broken feed",
        url=feed_server.url("/gone"),
        error_count=3,
        last_error="HTTP 500",
        status=FeedSource.Status.PAUSED,
    )
    html = admin_client.get("/admin/snippets/news/feedsource/").content.decode()
    assert "Broken feed" in html and "HTTP 500" in html and "Paused after repeated failures" in html
    assert 'action="/admin/member-news/feeds/' in html and "Retry now" in html


def test_one_click_retry_fetches_a_paused_feed_at_once(admin_client, feed_server):
    feed_server.routes["/feed"] = Route(body=rss(RECENT))
    source = FeedSource.objects.create(
        name="Paused feed",
        url=feed_server.url("/feed"),
        error_count=8,
        status=FeedSource.Status.PAUSED,
        next_fetch_at=timezone.now() + datetime.timedelta(days=1),
    )
    assert admin_client.get(f"/admin/member-news/feeds/{source.pk}/retry/").status_code == 405

    response = admin_client.post(f"/admin/member-news/feeds/{source.pk}/retry/", follow=True)
    source.refresh_from_db()
    assert source.status == FeedSource.Status.ACTIVE and source.error_count == 0
    assert source.items.count() == 1
    assert "Paused feed: fetched." in response.content.decode()


def test_retry_needs_the_permission_to_change_feeds(client, django_user_model, feed_server):
    source = FeedSource.objects.create(name="Feed", url=feed_server.url("/feed"))
    user = django_user_model.objects.create_user("editor", password="pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))  # in the admin, not a feed manager
    client.force_login(user)
    refused = client.post(f"/admin/member-news/feeds/{source.pk}/retry/")
    assert (refused.status_code, refused["Location"]) == (302, "/admin/"), "Wagtail's refusal: back to the dashboard"
    source.refresh_from_db()
    assert source.last_fetched_at is None


def test_staff_add_a_source_by_its_website_address(admin_client, feed_server):
    feed_server.routes["/"] = Route(
        body=b'<html><head><link rel="alternate" type="application/rss+xml" href="/rss"></head></html>',
        headers={"Content-Type": "text/html"},
    )
    feed_server.routes["/rss"] = Route(body=rss())
    response = admin_client.post(
        "/admin/snippets/news/feedsource/add/",
        {"name": "State education news", "url": feed_server.url("/"), "status": "active"},
    )
    assert response.status_code == 302
    assert FeedSource.objects.get(name="State education news").url == feed_server.url("/rss")

    feed_server.routes["/"] = Route(body=b"<html><head></head></html>", headers={"Content-Type": "text/html"})
    del feed_server.routes["/rss"]
    response = admin_client.post(
        "/admin/snippets/news/feedsource/add/",
        {"name": "No feed here", "url": feed_server.url("/"), "status": "active"},
    )
    assert "No feed found at this address" in str(response.context["form"].errors), response.context["form"].errors
    assert not FeedSource.objects.filter(name="No feed here").exists()


def test_a_feed_failing_for_days_gets_one_email_not_one_per_failure(feed_server, partnership, mailoutbox):
    feed_server.routes["/feed"] = Route(status=500, body=b"oops")
    source = FeedSource.objects.create(name="Tulsa news", url=feed_server.url("/feed"), partnership=partnership)
    refresh(source)
    assert mailoutbox == [], "a single failure is not worth an email"

    FeedSource.objects.filter(pk=source.pk).update(failing_since=timezone.now() - datetime.timedelta(days=4))
    refresh(source)
    refresh(source)
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["ada@tulsa.example.org"]
    assert "failing" in message.subject
    assert "HTTP 500" in message.body and source.url in message.body

    feed_server.routes["/feed"] = Route(body=rss(RECENT))
    refresh(source)
    assert refresh(source).problem_notified == ""
    feed_server.routes["/feed"] = Route(status=500)
    FeedSource.objects.filter(pk=source.pk).update(failing_since=timezone.now() - datetime.timedelta(days=5))
    refresh(source)
    assert len(mailoutbox) == 2, "a new episode after recovery is told again"


def test_a_moved_feed_is_told_once_with_its_new_address(feed_server, partnership, mailoutbox):
    feed_server.routes["/old"] = Route(status=301, headers={"Location": feed_server.url("/new")})
    feed_server.routes["/new"] = Route(body=rss(RECENT))
    source = FeedSource.objects.create(name="Tulsa news", url=feed_server.url("/old"), partnership=partnership)
    refresh(source)
    refresh(source)
    assert [message.subject.split(" (")[0] for message in mailoutbox] == ["Your news feed has moved"]
    assert feed_server.url("/old") in mailoutbox[0].body and feed_server.url("/new") in mailoutbox[0].body


def test_a_feed_silent_for_ninety_days_is_told_once(feed_server, partnership, mailoutbox):
    old = {**RECENT, "pubDate": "Mon, 01 Jun 2026 10:00:00 GMT"}
    feed_server.routes["/feed"] = Route(body=rss(old))
    source = FeedSource.objects.create(name="Tulsa news", url=feed_server.url("/feed"), partnership=partnership)
    refresh(source)
    assert mailoutbox == []
    FeedSource.objects.filter(pk=source.pk).update(last_new_item_at=timezone.now() - datetime.timedelta(days=91))
    refresh(source)
    refresh(source)
    assert len(mailoutbox) == 1 and "90 days" in mailoutbox[0].subject


def test_sources_without_a_contact_send_nothing(feed_server, mailoutbox):
    feed_server.routes["/feed"] = Route(status=500)
    source = FeedSource.objects.create(
        name="Extra source", url=feed_server.url("/feed"), failing_since=timezone.now() - datetime.timedelta(days=10)
    )
    assert refresh(source).problem_notified == "failing"
    assert mailoutbox == []
