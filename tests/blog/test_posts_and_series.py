import datetime
import json
from unittest import mock

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone

from blog.models import BlogPage, BlogPageRelatedPost
from tests.factories import BlogCategoryFactory, ImageFactory, PersonFactory, SeriesFactory

pytestmark = pytest.mark.django_db


def soup_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def series_posts(make_post):
    series = SeriesFactory(name="Network in the News", slug="network-in-the-news")
    # Created out of date order on purpose: order comes from the post date.
    dates = [
        datetime.date(2026, 11, 13),
        datetime.date(2026, 10, 30),
        datetime.date(2026, 11, 20),
        datetime.date(2026, 11, 6),
    ]
    posts = {date: make_post(title=f"In the news {date:%b %d}", date=date, series=series) for date in dates}
    make_post(title="Outside the series", date=datetime.date(2026, 11, 21))
    return series, [posts[date] for date in sorted(dates)]


def test_series_page_lists_instalments_newest_first(client, blog, series_posts):
    series, in_order = series_posts

    soup = soup_of(client, f"{blog.url}series/{series.slug}/")

    assert soup.h1.get_text() == "Network in the News"
    titles = [a.get_text() for a in soup.select(".post-card__title a")]
    assert titles == [post.title for post in reversed(in_order)]


def test_each_instalment_links_to_the_previous_and_next_in_its_series(client, series_posts):
    _, in_order = series_posts

    for position, post in enumerate(in_order):
        soup = soup_of(client, post.url)
        previous = soup.select_one('.series-nav a[rel="prev"]')
        following = soup.select_one('.series-nav a[rel="next"]')
        expected_previous = in_order[position - 1] if position > 0 else None
        expected_next = in_order[position + 1] if position + 1 < len(in_order) else None
        assert (previous["href"] if previous else None) == (expected_previous.url if expected_previous else None)
        assert (following["href"] if following else None) == (expected_next.url if expected_next else None)


def test_a_scheduled_post_is_invisible_before_its_time_and_visible_after(client, blog, make_post):
    post = make_post(title="Embargoed results", live=False)
    post.go_live_at = timezone.now() + datetime.timedelta(hours=2)
    revision = post.save_revision()
    revision.publish()  # as the editor's "Publish" with a go-live date: scheduled, not live
    post.refresh_from_db()

    assert not post.live
    assert client.get(post.url).status_code == 404
    assert "Embargoed results" not in client.get(f"{blog.url}rss/").content.decode()

    call_command("publish_scheduled", verbosity=0)
    post.refresh_from_db()
    assert not post.live, "the scheduler leaves it alone before its time"

    three_hours_later = timezone.now() + datetime.timedelta(hours=3)
    with mock.patch("django.utils.timezone.now", return_value=three_hours_later):
        call_command("publish_scheduled", verbosity=0)

    post.refresh_from_db()
    assert post.live
    assert client.get(post.url).status_code == 200
    assert "Embargoed results" in client.get(f"{blog.url}rss/").content.decode()


def test_a_submitted_post_is_not_live_until_a_moderator_approves_it(client, blog):
    author = get_user_model().objects.create_user("writer", "writer@network.example", "pw")
    author.groups.add(Group.objects.get(name="Editors"))
    client.force_login(author)
    form = {
        "title": "Reading gains in Dayton",
        "slug": "reading-gains-in-dayton",
        "date": "2026-11-20",
        "summary": "Third-grade reading rose again.",
        "body-count": "1",
        "body-0-type": "paragraph",
        "body-0-value": '{"blocks":[{"key":"a","text":"Good news.","type":"unstyled","depth":0,"inlineStyleRanges":[],"entityRanges":[]}],"entityMap":{}}',
        "body-0-deleted": "",
        "body-0-order": "0",
        "tags": "",
        "related_posts-TOTAL_FORMS": "0",
        "related_posts-INITIAL_FORMS": "0",
        "related_posts-MIN_NUM_FORMS": "0",
        "related_posts-MAX_NUM_FORMS": "1000",
        "partnership_links-TOTAL_FORMS": "0",
        "partnership_links-INITIAL_FORMS": "0",
        "partnership_links-MIN_NUM_FORMS": "0",
        "partnership_links-MAX_NUM_FORMS": "1000",
        "action-submit": "Submit",
    }

    response = client.post(f"/admin/pages/add/blog/blogpage/{blog.pk}/", form)

    assert response.status_code == 302, response.content[:2000]
    post = BlogPage.objects.get(slug="reading-gains-in-dayton")
    assert not post.live
    client.logout()
    assert client.get(f"{blog.url}reading-gains-in-dayton/").status_code == 404

    moderator = get_user_model().objects.create_user("comms", "comms@network.example", "pw")
    moderator.groups.add(Group.objects.get(name="Moderators"))
    client.force_login(moderator)
    task_state = post.current_workflow_task_state
    client.post(f"/admin/pages/workflow/action/{post.pk}/approve/{task_state.pk}/", {"comment": ""})
    client.logout()

    assert client.get(f"{blog.url}reading-gains-in-dayton/").status_code == 200


def test_related_posts_are_the_editors_choice_or_fall_back_to_shared_series_and_categories(client, make_post):
    category = BlogCategoryFactory()
    series = SeriesFactory()
    post = make_post(title="Main", series=series, categories=[category])
    same_series = make_post(title="Same series", series=series, date=datetime.date(2026, 11, 1))
    same_category = make_post(title="Same category", categories=[category], date=datetime.date(2026, 11, 2))
    make_post(title="Unrelated", date=datetime.date(2026, 11, 3))

    fallback = [a.get_text() for a in soup_of(client, post.url).select(".related-posts .post-card__title a")]
    assert fallback == ["Same category", "Same series"]

    BlogPageRelatedPost.objects.create(page=post, post=same_series)
    chosen = [a.get_text() for a in soup_of(client, post.url).select(".related-posts .post-card__title a")]
    assert chosen == ["Same series"]
    same_series.unpublish()
    assert not soup_of(client, post.url).select(".related-posts")
    assert same_category  # kept for the fallback above


def test_post_shows_byline_partnerships_filing_and_structured_data(client, make_post, make_partnership_for_blog):
    author = PersonFactory(name="Priya Natarajan", slug="priya", bio="<p>Early learning.</p>", photo=ImageFactory())
    post = make_post(
        title="Reading </script><script>alert(1)</script>",
        authors=[author],
        partnerships=[make_partnership_for_blog],
        tags=["reading"],
        social_image=ImageFactory(),
    )

    soup = soup_of(client, post.url)

    assert soup.select_one(".post-meta a").get_text() == "Priya Natarajan"
    assert soup.select_one(f".post-footer a[href='{make_partnership_for_blog.url}']")
    assert soup.select_one(".author-bio h2").get_text() == "Priya Natarajan"
    scripts = soup.select('script[type="application/ld+json"]')
    assert len(scripts) == 1
    data = json.loads(scripts[0].string)
    assert data["@type"] == "BlogPosting"
    assert data["headline"] == post.title
    assert data["author"] == [{"@type": "Person", "name": "Priya Natarajan"}]
    assert data["image"].startswith("http://localhost/media/")
    assert "</script><script>" not in scripts[0].string
    assert not soup.select("script:not([src]):not([type='application/ld+json'])")


def test_the_partnership_page_lists_posts_that_feature_it(client, make_post, make_partnership_for_blog):
    make_post(title="Featuring them", partnerships=[make_partnership_for_blog])
    make_post(title="Not featuring them")

    soup = soup_of(client, make_partnership_for_blog.url)

    assert [a.get_text() for a in soup.select("#blog-posts-heading + ul a")] == ["Featuring them"]


def test_posts_are_in_the_sitemap(client, make_post):
    post = make_post()

    assert f"<loc>{post.full_url}</loc>" in client.get("/sitemap.xml").content.decode()


@pytest.fixture
def make_partnership_for_blog(home_page):
    from tests.factories import DirectoryPageFactory, PartnershipPageFactory

    return PartnershipPageFactory(parent=DirectoryPageFactory(parent=home_page), title="Dayton Kids First")
