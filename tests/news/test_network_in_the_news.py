"""Editors assemble "Network in the News" from the members' own news, and staff curate it."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model

from news.models import FeedSource, NewsItem
from news.parsing import parse_feed
from news.services import items_store
from tests.factories import BlogIndexPageFactory, BlogPageFactory, DirectoryPageFactory, PartnershipPageFactory
from tests.news.conftest import rss

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_news(home_page):
    akron = PartnershipPageFactory(parent=DirectoryPageFactory(parent=home_page), title="Akron Learns")
    source = FeedSource.objects.create(partnership=akron, name="Akron news", url="https://akron.example.org/feed")
    items_store(
        source=source,
        entries=parse_feed(
            rss(
                {
                    "guid": "1",
                    "link": "https://akron.example.org/1",
                    "title": "Reading gains in Akron",
                    "pubDate": "Fri, 20 Nov 2026 10:00:00 GMT",
                },
                {
                    "guid": "2",
                    "link": "https://akron.example.org/2",
                    "title": "Tutors wanted",
                    "pubDate": "Thu, 19 Nov 2026 10:00:00 GMT",
                },
            ),
            url=source.url,
        ),
    )
    return akron, list(NewsItem.objects.order_by("-published_at"))


def test_an_instalment_lists_the_chosen_items_with_their_partnership(client, home_page, member_news):
    akron, items = member_news
    post = BlogPageFactory(
        parent=BlogIndexPageFactory(parent=home_page),
        body=[
            ("member_news", {"heading": "From the members", "items": items}),
        ],
    )

    soup = BeautifulSoup(client.get(post.url).content, "html.parser")

    rows = soup.select(".member-news__list li")
    assert [row.a.get_text() for row in rows] == ["Reading gains in Akron", "Tutors wanted"]
    assert rows[0].a["href"] == "https://akron.example.org/1"
    assert rows[0].select_one(".member-news__source a")["href"] == akron.url


def test_an_item_staff_hid_later_drops_out_of_the_instalment(client, home_page, member_news):
    _, items = member_news
    post = BlogPageFactory(
        parent=BlogIndexPageFactory(parent=home_page),
        body=[
            ("member_news", {"heading": "", "items": items}),
        ],
    )
    NewsItem.objects.filter(title="Tutors wanted").update(is_hidden=True)

    soup = BeautifulSoup(client.get(post.url).content, "html.parser")

    assert [row.a.get_text() for row in soup.select(".member-news__list li")] == ["Reading gains in Akron"]


def test_an_instalment_shows_an_item_hidden_or_retitled_since_its_last_view(client, home_page, member_news):
    """The items are kept between renders for the page-cache generation; a save starts a new one."""
    _, items = member_news
    post = BlogPageFactory(parent=BlogIndexPageFactory(parent=home_page), body=[("member_news", {"items": items})])
    client.get(post.url)

    hidden, retitled = items[1], items[0]
    hidden.is_hidden = True
    hidden.save()
    retitled.title = "Reading gains, revised"
    retitled.save()

    soup = BeautifulSoup(client.get(post.url).content, "html.parser")
    assert [row.a.get_text() for row in soup.select(".member-news__list li")] == ["Reading gains, revised"]


@pytest.fixture
def staff_client(client):
    client.force_login(get_user_model().objects.create_superuser("comms", "comms@network.example", "pw"))
    return client


def test_editors_find_news_items_in_the_chooser(staff_client, member_news):
    response = staff_client.get("/admin/snippets/choose/news/newsitem/", {"q": "reading"})

    assert response.status_code == 200
    assert "Reading gains in Akron" in response.content.decode()
    assert "Tutors wanted" not in response.content.decode()


def test_staff_hide_and_pin_items_and_see_feed_health(staff_client, member_news):
    _, items = member_news
    item = items[1]

    response = staff_client.post(f"/admin/snippets/news/newsitem/edit/{item.pk}/", {"is_pinned": "on", "is_hidden": ""})

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.is_pinned and not item.is_hidden
    health = staff_client.get("/admin/snippets/news/feedsource/")
    assert health.status_code == 200
    assert "Akron news" in health.content.decode()
