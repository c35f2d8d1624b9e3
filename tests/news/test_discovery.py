"""Feed autodiscovery from a website's address, against the local feed server."""

import pytest

from news.discovery import alternate_feed_links, feed_url_discover
from news.models import FeedSource
from news.services import feed_sources_sync
from tests.factories import DirectoryPageFactory, PartnershipPageFactory
from tests.news.conftest import Route, rss

pytestmark = pytest.mark.django_db

HTML = {"Content-Type": "text/html; charset=utf-8"}


def page_with(*links):
    return (
        "<!doctype html><html><head><title>Member</title>" + "".join(links) + "</head><body>Hi</body></html>"
    ).encode()


def test_alternate_links_are_read_in_page_order_and_made_absolute():
    html = page_with(
        '<link rel="stylesheet" href="/site.css">',
        '<link rel="alternate" type="application/atom+xml" href="/news/atom.xml">',
        '<link rel="alternate" type="text/html" href="/fr/">',
        '<link rel="Alternate Home" type="application/feed+json; charset=utf-8" href="https://cdn.example.org/feed.json">',
        '<link rel="alternate" type="application/rss+xml" href="/news/atom.xml">',
    ).decode()
    assert alternate_feed_links(html, base_url="https://member.example.org/about/") == [
        "https://member.example.org/news/atom.xml",
        "https://cdn.example.org/feed.json",
    ]


def test_a_website_announcing_its_feed(feed_server):
    feed_server.routes["/"] = Route(
        body=page_with(
            '<link rel="alternate" type="application/rss+xml" href="/broken.xml">',
            '<link rel="alternate" type="application/rss+xml" href="news/rss">',
        ),
        headers=HTML,
    )
    feed_server.routes["/broken.xml"] = Route(body=b"<html>not a feed</html>", headers=HTML)
    feed_server.routes["/news/rss"] = Route(body=rss())
    assert feed_url_discover(feed_server.url("/")) == feed_server.url("/news/rss")


def test_a_website_with_its_feed_at_a_usual_path(feed_server):
    feed_server.routes["/"] = Route(body=page_with(), headers=HTML)
    feed_server.routes["/feed.xml"] = Route(body=rss())
    assert feed_url_discover(feed_server.url("/")) == feed_server.url("/feed.xml")


def test_a_feed_address_is_its_own_answer_and_a_website_without_feed_has_none(feed_server):
    feed_server.routes["/feed"] = Route(body=rss())
    assert feed_url_discover(feed_server.url("/feed")) == feed_server.url("/feed")
    del feed_server.routes["/feed"]
    feed_server.routes["/"] = Route(body=page_with(), headers=HTML)
    assert feed_url_discover(feed_server.url("/")) is None


def test_announced_feeds_on_refused_addresses_are_never_fetched(feed_server):
    feed_server.routes["/"] = Route(
        body=page_with(
            '<link rel="alternate" type="application/rss+xml" href="http://169.254.169.254/latest/meta-data/">',
            '<link rel="alternate" type="application/rss+xml" href="http://10.0.0.7/feed">',
        ),
        headers=HTML,
    )
    assert feed_url_discover(feed_server.url("/")) is None
    assert all(path.startswith("/") for path, _ in feed_server.requests)


def test_partnerships_giving_only_a_website_get_their_feed_found(feed_server, home_page):
    feed_server.routes["/"] = Route(
        body=page_with('<link rel="alternate" type="application/atom+xml" href="/atom.xml">'), headers=HTML
    )
    feed_server.routes["/atom.xml"] = Route(body=rss())
    directory = DirectoryPageFactory(parent=home_page)
    found = PartnershipPageFactory(parent=directory, website=feed_server.url("/"), feed_url="")
    PartnershipPageFactory(parent=directory, website=feed_server.url("/nothing/"), feed_url="")

    assert feed_sources_sync() == 0, "no discovery unless asked"
    assert feed_sources_sync(discover=True) == 1
    assert FeedSource.objects.get().partnership == found
    assert FeedSource.objects.get().url == feed_server.url("/atom.xml")

    requests = len(feed_server.requests)
    assert feed_sources_sync(discover=True) == 0
    assert len(feed_server.requests) == requests, "a website without a feed is not asked again for a week"
