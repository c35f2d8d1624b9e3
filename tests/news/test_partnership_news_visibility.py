"""A partnership that leaves the site (unpublished or deleted) takes its member news with it,
everywhere visitors and subscribers meet it; republishing brings the news back. The same
story told by several partners, each linking its own copy, is listed once."""

import datetime

import feedparser
import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from newsletter.services.issues import issue_build
from tests.news.test_news_pages import load, network  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def _recent(hours):
    return (timezone.now() - datetime.timedelta(hours=hours)).strftime("%a, %d %b %Y %H:%M:%S GMT")


@pytest.fixture
def two_partners_news(network):  # noqa: F811
    news, akron, tulsa = network
    load(
        akron,
        {
            "guid": "a1",
            "link": "https://akron.example.org/mentors",
            "title": "Akron mentors graduate their first class",
            "pubDate": _recent(3),
        },
    )
    load(
        tulsa,
        {
            "guid": "t1",
            "link": "https://tulsa.example.org/fafsa",
            "title": "Tulsa seniors set a FAFSA record",
            "pubDate": _recent(2),
        },
    )
    return news, akron, tulsa


def _listings(titles, *, search):
    return {"page": titles, "rss": titles, "atom": titles, "digest": titles, "search": search}


def _everywhere(client, news):
    """What visitors and the next digest show: (news page, RSS, Atom, site search, digest) titles."""
    page = BeautifulSoup(client.get(news.url).content, "html.parser")
    rss = feedparser.parse(client.get(news.url + "rss/").content)
    atom = feedparser.parse(client.get(news.url + "atom/").content)
    search = BeautifulSoup(client.get("/search/", {"q": "akron mentors"}).content, "html.parser")
    issue = issue_build(since=timezone.now() - datetime.timedelta(days=7), force=True)
    digest = [item.title for item in issue.items.filter(section="news")]
    issue.delete()
    return {
        "page": [item.select_one("h3").get_text(strip=True) for item in page.select(".news-item")],
        "rss": [entry.title for entry in rss.entries],
        "atom": [entry.title for entry in atom.entries],
        "search": [result.get_text(strip=True) for result in search.select(".search-results h2")],
        "digest": digest,
    }


def test_an_unpublished_partnerships_news_leaves_every_listing_until_it_is_republished(client, two_partners_news):
    news, akron, _ = two_partners_news
    both = ["Tulsa seniors set a FAFSA record", "Akron mentors graduate their first class"]
    shown = _everywhere(client, news)
    assert shown == _listings(both, search=["Akron mentors graduate their first class"])

    akron.unpublish()
    assert _everywhere(client, news) == _listings(both[:1], search=[])

    akron.save_revision().publish()
    assert _everywhere(client, news) == shown


def test_a_deleted_partnerships_news_is_gone(client, two_partners_news):
    news, akron, _ = two_partners_news
    akron.delete()
    assert _everywhere(client, news) == _listings(["Tulsa seniors set a FAFSA record"], search=[])


def test_one_story_each_partner_links_to_its_own_copy_of_is_listed_once_with_also_from(client, network):  # noqa: F811
    news, akron, tulsa = network
    story = {"title": "State expands summer learning to every county", "pubDate": _recent(5)}
    board = {"title": "Board meeting", "pubDate": _recent(4)}
    load(
        akron,
        {**story, "guid": "a-7", "link": "https://akron.example.org/news/summer-learning"},
        {**board, "guid": "a-8", "link": "https://akron.example.org/board"},
    )
    load(
        tulsa,
        {**story, "guid": "t-3", "link": "https://tulsa.example.org/2026/11/state-summer"},
        {**board, "guid": "t-4", "link": "https://tulsa.example.org/board"},
    )

    items = BeautifulSoup(client.get(news.url).content, "html.parser").select(".news-item")

    metas = {
        item.select_one("h3").get_text(strip=True): item.select_one(".news-item__meta").get_text() for item in items
    }
    assert len(items) == 3, "a short, generic title is no proof of one story"
    assert "also from Tulsa Reads" in metas["State expands summer learning to every county"]
    assert "also from" not in " ".join(meta for title, meta in metas.items() if title == "Board meeting")
