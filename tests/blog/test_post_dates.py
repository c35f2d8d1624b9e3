"""Every listing orders and dates posts by the date the editor set, not by when the page
was first published: an older post imported (published) today keeps its own date."""

import datetime
from xml.etree import ElementTree

import feedparser
import pytest
from bs4 import BeautifulSoup

from tests.factories import BlogCategoryFactory, PersonFactory, SeriesFactory
from website.demo import home_section_put

SITEMAP = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}

pytestmark = pytest.mark.django_db


@pytest.fixture
def recent_then_imported(make_post, blog, home_page):
    """A post dated last week published first, then a 2019 post imported (published) today."""
    author = PersonFactory(slug="renee-walker")
    category = BlogCategoryFactory(slug="data-use")
    series = SeriesFactory(slug="network-in-the-news")
    filing = {"authors": [author], "categories": [category], "tags": ["news"], "series": series}
    for title, date in [
        ("Written last week", datetime.date(2026, 11, 20)),
        ("Imported from 2019", datetime.date(2019, 3, 4)),
    ]:
        make_post(title=title, date=date, **filing).save_revision().publish()
    home_section_put(
        home_page=home_page,
        block_type="latest_pages",
        value={"heading": "Latest from the network", "index_page": blog, "count": 3},
    )


LISTINGS = ["/blog/", "/blog/category/data-use/", "/blog/tag/news/", "/blog/author/renee-walker/"]
LISTINGS += ["/blog/series/network-in-the-news/"]


def test_the_home_pages_latest_block_orders_and_dates_posts_by_their_own_date(client, recent_then_imported):
    cards = BeautifulSoup(client.get("/").content, "html.parser").select(".card-section .card")
    assert [card.select_one(".card__title").get_text(strip=True) for card in cards] == [
        "Written last week",
        "Imported from 2019",
    ]
    assert [card.select_one("time")["datetime"] for card in cards] == ["2026-11-20", "2019-03-04"]
    assert cards[1].select_one("time").get_text() == "4 March 2019"


@pytest.mark.parametrize("listing", LISTINGS)
def test_every_blog_listing_and_its_feeds_order_and_date_posts_by_their_own_date(client, recent_then_imported, listing):
    page = BeautifulSoup(client.get(listing).content, "html.parser")
    dates = [time["datetime"] for time in page.select(".post-card time")]
    assert dates == ["2026-11-20", "2019-03-04"]
    for kind in ("rss", "atom"):
        feed = feedparser.parse(client.get(f"{listing}{kind}/").content)
        assert [entry.title for entry in feed.entries] == ["Written last week", "Imported from 2019"]
        assert feed.entries[1].published_parsed[:3] == (2019, 3, 4)
    atom = feedparser.parse(client.get(f"{listing}atom/").content)
    assert atom.entries[1].updated_parsed[:3] == (2019, 3, 4), "an imported post was not updated today"
    assert atom.feed.updated_parsed[:3] == (2026, 11, 20)


def test_the_sitemap_dates_a_post_by_its_own_date(client, recent_then_imported):
    sitemap = ElementTree.fromstring(client.get("/sitemap.xml").content)
    lastmod = {
        url.findtext("s:loc", namespaces=SITEMAP): url.findtext("s:lastmod", namespaces=SITEMAP)
        for url in sitemap.iterfind("s:url", SITEMAP)
        if url.find("s:lastmod", SITEMAP) is not None
    }
    assert lastmod["http://localhost/blog/imported-from-2019/"] == "2019-03-04"
    assert lastmod["http://localhost/blog/written-last-week/"] == "2026-11-20"
