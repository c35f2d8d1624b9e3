"""Aggregate click counts: the digest's links to member news go through a counting
redirect on the site, with no subscriber identifier in them; only a number per (issue,
link) is kept; the redirect goes only where the issue links; staff and each
partnership's editors see the counts (editors only for their own news)."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from network.models import PartnershipPage
from network.services import partnership_editors_group_ensure
from newsletter.models import IssueItem, IssueLinkClicks, NewsletterIssue
from newsletter.services.delivery import issue_deliver
from newsletter.services.issues import issue_approve, issue_build
from tests.newsletter.conftest import messages_of, parts

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent_issue(week, subscribers, smtp_inbox):
    issue = issue_build(since=week)
    issue_approve(issue=issue)
    issue_deliver(issue=issue)
    issue.refresh_from_db()
    assert issue.status == NewsletterIssue.Status.SENT
    return issue


def news_links(body):
    return re.findall(r"http://localhost/newsletter/link/\d+/\d+/", body)


def test_member_news_links_go_through_the_counting_redirect_and_carry_no_subscriber_identifier(sent_issue, smtp_inbox):
    news = sent_issue.items.filter(section=IssueItem.Section.NEWS)
    expected = {f"http://localhost/newsletter/link/{sent_issue.pk}/{item.pk}/" for item in news}
    bodies = [parts(message) for message in messages_of(smtp_inbox)]
    assert len(bodies) == 5
    for body in bodies:  # every subscriber's copy has the very same links
        assert set(news_links(body["text/html"])) == expected
        assert set(news_links(body["text/plain"])) == expected
        for item in news:
            assert f'href="{item.url}"' not in body["text/html"], "member news is never linked directly"
        assert "<img" not in body["text/html"], "no tracking pixel (nor any image)"
    post = sent_issue.items.filter(section=IssueItem.Section.POSTS).first()
    assert f'href="{post.url}"' in bodies[0]["text/html"], "the network's own pages are linked directly"


def test_following_a_link_counts_one_and_redirects_where_the_issue_links(client, sent_issue):
    item = sent_issue.items.filter(section=IssueItem.Section.NEWS).first()
    url = f"/newsletter/link/{sent_issue.pk}/{item.pk}/"
    for _ in range(3):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == item.url
        assert response["Cache-Control"] == "no-store"
    assert client.head(url).status_code == 302
    assert IssueLinkClicks.objects.get(item=item).count == 3, "HEAD (link checkers) is not counted"
    assert not response.cookies, "the redirect sets no cookie"
    assert list(IssueLinkClicks.objects.values_list("item_id", "count")) == [(item.pk, 3)], "a number, nothing else"


def test_the_redirect_goes_nowhere_the_issue_does_not_link(client, sent_issue):
    news = sent_issue.items.filter(section=IssueItem.Section.NEWS).first()
    post = sent_issue.items.filter(section=IssueItem.Section.POSTS).first()
    other = NewsletterIssue.objects.create(
        subject="Other", period_start=sent_issue.period_start, period_end=sent_issue.period_end
    )
    for url in (
        f"/newsletter/link/{other.pk}/{news.pk}/",  # an item of another issue
        f"/newsletter/link/{sent_issue.pk}/{post.pk}/",  # not a member-news link
        f"/newsletter/link/{sent_issue.pk}/999999/",
        f"/newsletter/link/{sent_issue.pk}/{news.pk}/?next=https://evil.example/",
    ):
        response = client.get(url)
        assert response.status_code == 404 or response["Location"] == news.url, url
    assert (
        "evil.example"
        not in client.get(f"/newsletter/link/{sent_issue.pk}/{news.pk}/?url=https://evil.example/")["Location"]
    )


def test_a_draft_issues_links_redirect_but_count_nothing(client, week):
    issue = issue_build(since=week)
    item = issue.items.filter(section=IssueItem.Section.NEWS).first()
    assert client.get(f"/newsletter/link/{issue.pk}/{item.pk}/")["Location"] == item.url
    assert not IssueLinkClicks.objects.exists()


def test_staff_see_every_count_and_a_partnerships_editors_only_their_own(client, sent_issue):
    items = list(sent_issue.items.filter(section=IssueItem.Section.NEWS).select_related("partnership"))
    assert all(item.partnership for item in items), "each news item knows its partnership"
    for item in items:
        client.get(f"/newsletter/link/{sent_issue.pk}/{item.pk}/")
    dayton = PartnershipPage.objects.get(title="Dayton Promise")
    dayton_item = next(item for item in items if item.partnership == dayton)
    client.get(f"/newsletter/link/{sent_issue.pk}/{dayton_item.pk}/")

    client.force_login(get_user_model().objects.create_superuser("admin", "admin@example.org", "pw"))
    staff_view = client.get("/admin/newsletter/clicks/").content.decode()
    assert all(item.title in staff_view for item in items)
    assert re.search(rf"{re.escape(dayton_item.title)}.*?<td>Dayton Promise</td><td>2</td>", staff_view, re.S)

    editor = get_user_model().objects.create_user("dayton", "staff@dayton.example.org", "pw")
    editor.groups.add(partnership_editors_group_ensure(partnership=dayton))
    client.force_login(editor)
    editor_view = client.get("/admin/newsletter/clicks/").content.decode()
    assert dayton_item.title in editor_view and "<td>2</td>" in editor_view
    assert all(item.title not in editor_view for item in items if item != dayton_item)
    assert "/admin/newsletter/clicks/" in client.get("/admin/").content.decode(), "in their menu"

    admin_only = get_user_model().objects.create_user("nobody", "n@example.org", "pw")
    admin_only.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(admin_only)
    assert client.get("/admin/").status_code == 200
    refused = client.get("/admin/newsletter/clicks/")  # Wagtail's answer to PermissionDenied: back to the dashboard
    assert (refused.status_code, refused["Location"]) == (302, "/admin/"), "edits no partnership, no newsletter rights"
