"""The weekly digest picks the week's posts by the date their editor set and member news by
the date its partner published it, not by when either reached this site."""

import datetime

import pytest
from django.utils import timezone

from news.models import FeedSource, NewsItem
from newsletter.services.issues import issue_build
from tests.factories import BlogIndexPageFactory, BlogPageFactory, DirectoryPageFactory, PartnershipPageFactory

pytestmark = pytest.mark.django_db


def _news(source, title, published_at):
    return NewsItem.objects.create(
        source=source,
        identity_key=title,
        title=title,
        link=f"https://akron.example.org/{title.lower().replace(' ', '-')}",
        published_at=published_at,
        content_hash=title,
        story_key=title,
    )


def test_the_digest_takes_what_is_dated_this_week_however_late_it_arrived(home_page):
    now = timezone.now()
    since, until = now - datetime.timedelta(days=7), now - datetime.timedelta(hours=1)
    blog = BlogIndexPageFactory(parent=home_page)
    for title, date in [
        ("Dated Tuesday, published after the build", timezone.localdate(now - datetime.timedelta(days=3))),
        ("From 2019, imported today", datetime.date(2019, 3, 4)),
    ]:
        BlogPageFactory(parent=blog, title=title, date=date).save_revision().publish()
    partnership = PartnershipPageFactory(parent=DirectoryPageFactory(parent=home_page), title="Akron Promise")
    source = FeedSource.objects.create(name="Akron", url="https://akron.example.org/feed", partnership=partnership)
    _news(source, "Posted Monday, fetched late", now - datetime.timedelta(days=4))
    _news(source, "An old story found in a new feed", now - datetime.timedelta(days=200))

    issue = issue_build(since=since, until=until)

    titles = {item.section: [] for item in issue.items.all()}
    for item in issue.items.all():
        titles[item.section].append(item.title)
    assert titles == {"posts": ["Dated Tuesday, published after the build"], "news": ["Posted Monday, fetched late"]}


def test_a_post_dated_the_day_of_the_last_issue_goes_out_once(home_page):
    blog = BlogIndexPageFactory(parent=home_page)
    post = BlogPageFactory(parent=blog, title="Thursday's post", date=timezone.localdate())
    post.save_revision().publish()
    first = issue_build(since=timezone.now() - datetime.timedelta(days=7))
    assert [item.title for item in first.items.all()] == ["Thursday's post"]
    assert issue_build() is None, "already sent in the last issue"
