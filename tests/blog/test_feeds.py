"""Every blog listing has a valid, complete RSS 2.0 and Atom feed, announced on its page."""

import datetime

import feedparser
import pytest
from bs4 import BeautifulSoup

from tests.factories import BlogCategoryFactory, PersonFactory, SeriesFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def posts(make_post):
    author = PersonFactory(name="Renee Walker", slug="renee-walker")
    category = BlogCategoryFactory(name="Data use", slug="data-use")
    series = SeriesFactory(name="Network in the News", slug="network-in-the-news")
    return [
        make_post(
            title="In the news: week one & <friends>",
            date=datetime.date(2026, 10, 2),
            series=series,
            authors=[author],
            categories=[category],
            tags=["news"],
        ),
        make_post(
            title="In the news: week two",
            date=datetime.date(2026, 10, 9),
            series=series,
            authors=[author],
            tags=["news"],
        ),
        make_post(title="Data walks", date=datetime.date(2026, 11, 3), categories=[category], tags=["practice"]),
        make_post(title="Unpublished draft", date=datetime.date(2026, 11, 4), live=False, series=series),
    ]


LISTINGS = {
    "": ["Data walks", "In the news: week two", "In the news: week one & <friends>"],
    "category/data-use/": ["Data walks", "In the news: week one & <friends>"],
    "tag/news/": ["In the news: week two", "In the news: week one & <friends>"],
    "author/renee-walker/": ["In the news: week two", "In the news: week one & <friends>"],
    "series/network-in-the-news/": ["In the news: week two", "In the news: week one & <friends>"],
    "2026/10/": ["In the news: week two", "In the news: week one & <friends>"],
}


@pytest.mark.parametrize("listing", list(LISTINGS))
@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_every_listing_feed_is_valid_and_complete(client, blog, posts, listing, kind):
    response = client.get(f"{blog.url}{listing}{kind}/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml" if kind == "rss" else "application/atom+xml")
    feed = feedparser.parse(response.content)
    assert feed.bozo is False, feed.get("bozo_exception")
    assert feed.version == ("rss20" if kind == "rss" else "atom10")
    assert [entry.title for entry in feed.entries] == LISTINGS[listing]
    for entry in feed.entries:
        assert entry.link.startswith("http://localhost/blog/")
        assert entry.id == entry.link
        assert entry.published_parsed and entry.summary.startswith("Summary of")
    assert feed.feed.link.startswith("http://localhost/blog/")


def test_feed_entries_carry_authors_and_categories(client, blog, posts):
    feed = feedparser.parse(client.get(f"{blog.url}atom/").content)

    first_week = next(entry for entry in feed.entries if entry.title.endswith("<friends>"))
    assert first_week.author == "Renee Walker"
    assert [tag.term for tag in first_week.tags] == ["Data use"]


@pytest.mark.parametrize("listing", list(LISTINGS))
def test_every_listing_page_announces_its_feeds(client, blog, posts, listing):
    response = client.get(f"{blog.url}{listing}")

    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    hrefs = {link["type"]: link["href"] for link in soup.select('link[rel="alternate"]')}
    assert hrefs == {
        "application/rss+xml": f"http://localhost{blog.url}{listing}rss/",
        "application/atom+xml": f"http://localhost{blog.url}{listing}atom/",
    }


def test_a_post_announces_the_blog_feed_and_its_series_feed(client, blog, posts):
    soup = BeautifulSoup(client.get(posts[0].url).content, "html.parser")

    hrefs = [link["href"] for link in soup.select('link[rel="alternate"][type="application/rss+xml"]')]
    assert hrefs == ["http://localhost/blog/rss/", "http://localhost/blog/series/network-in-the-news/rss/"]


@pytest.mark.parametrize(
    "path", ["category/nope/", "tag/nope/", "author/nope/", "series/nope/rss/", "2026/13/", "1200/01/"]
)
def test_unknown_listings_are_404(client, blog, posts, path):
    assert client.get(f"{blog.url}{path}").status_code == 404
