"""Member news on the site and in its feeds: de-duplicated, filterable, and never carrying code."""

import datetime

import feedparser
import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from news.models import FeedSource, NewsIndexPage, NewsItem
from news.parsing import parse_feed
from news.services import feed_sources_sync, items_store
from tests.factories import DirectoryPageFactory, PartnershipPageFactory
from tests.news.conftest import rss

pytestmark = pytest.mark.django_db

XSS_ITEM = {
    "guid": "x-1",
    "link": "javascript:alert(1)",
    "title": "&lt;script&gt;alert('title')&lt;/script&gt;Gains",
    "description": (
        '&lt;p onclick="alert(1)"&gt;Hello&lt;img src=x onerror=alert(2)&gt;'
        '&lt;a href="javascript:alert(3)"&gt;click&lt;/a&gt;&lt;a href="data:text/html;base64,PHNjcmlwdD4="&gt;d&lt;/a&gt;'
        '&lt;script&gt;alert(4)&lt;/script&gt;&lt;iframe src="https://evil.example"&gt;&lt;/iframe&gt;'
        "&lt;svg onload=alert(5)&gt;&lt;/svg&gt;&lt;style&gt;body{display:none}&lt;/style&gt;&lt;/p&gt;"
    ),
    "pubDate": "Fri, 20 Nov 2026 10:00:00 GMT",
}
DANGEROUS = ("<script", "onerror", "onclick", "onload", "javascript:", "data:text", "<iframe", "<svg", "<style")


@pytest.fixture
def network(home_page):
    directory = DirectoryPageFactory(parent=home_page)
    akron = PartnershipPageFactory(
        parent=directory, title="Akron Learns", state="OH", outcomes=["employment", "high-school-graduation"]
    )
    tulsa = PartnershipPageFactory(parent=directory, title="Tulsa Reads", state="OK")
    news = NewsIndexPage(title="Network news", slug="news")
    home_page.add_child(instance=news)
    return news, akron, tulsa


def load(partnership, *items):
    source = FeedSource.objects.create(
        partnership=partnership, name=partnership.title, url=f"https://{partnership.slug}.example.org/feed.xml"
    )
    items_store(source=source, entries=parse_feed(rss(*items), url=source.url))
    return source


def test_stored_items_carry_no_code(network):
    _, akron, _ = network
    load(akron, XSS_ITEM)

    item = NewsItem.objects.get()
    stored = (item.title + item.summary + item.content_html + item.link).lower()
    for marker in DANGEROUS:
        assert marker not in stored, marker
    assert item.link == ""
    assert "Hello" in item.content_html


def test_pages_and_feeds_that_show_items_carry_no_code(client, network):
    news, akron, _ = network
    load(akron, XSS_ITEM)

    for url in (news.url, akron.url, f"{news.url}rss/", f"{news.url}atom/"):
        body = client.get(url).content.decode().lower()
        for marker in ("<script>alert", "onerror=", "onclick=", "javascript:alert", "data:text/html"):
            assert marker not in body, (url, marker)


def test_the_newsletter_that_carries_items_carries_no_code(client, network):
    """The weekly email (HTML and text), its web archive copy and the archive feeds."""
    from newsletter.models import NewsletterIssue
    from newsletter.rendering import DEFAULT_ORDER, IssueRenderer
    from newsletter.services.issues import issue_build

    _, akron, _ = network
    this_week = timezone.now().strftime("%a, %d %b %Y %H:%M:%S GMT")  # the digest takes items by their date
    load(akron, {**XSS_ITEM, "link": "https://akron.example.org/news/gains", "pubDate": this_week})
    issue = issue_build(since=timezone.now() - datetime.timedelta(days=7))
    assert issue.items.get().url == "https://akron.example.org/news/gains"

    html_body, text_body = IssueRenderer(issue).personalise(
        order=DEFAULT_ORDER,
        greeting="Hello <b onmouseover=alert(6)>,",
        preferences_url="https://x.example/p",
        unsubscribe_url="https://x.example/u",
    )
    NewsletterIssue.objects.filter(pk=issue.pk).update(status=NewsletterIssue.Status.SENT, sent_at=timezone.now())
    pages = [
        client.get(url).content.decode()
        for url in (f"/newsletter/archive/{issue.pk}/", "/newsletter/archive/rss/", "/newsletter/archive/atom/")
    ]

    assert "Gains" in html_body and "Gains" in text_body and all("Gains" in page for page in pages)
    feed_html = [entry.get("summary", "") for page in pages[1:] for entry in feedparser.parse(page).entries]
    # The archived issue is a page of the site: its content, not the site's own scripts, is checked.
    archived_content = str(BeautifulSoup(pages[0], "html.parser").select_one("main"))
    for body in [html_body, archived_content, *feed_html]:
        assert_no_code(body)


def assert_no_code(html):
    """Parsed as a browser would: no script-bearing element, handler or URL scheme."""
    for element in BeautifulSoup(html, "html.parser").find_all(True):
        assert element.name not in ("script", "iframe", "svg", "object", "embed"), element
        for name, value in element.attrs.items():
            assert not name.lower().startswith("on"), element
            if name.lower() in ("href", "src", "action"):
                assert not str(value).strip().lower().startswith(("javascript:", "data:", "vbscript:")), element


def test_the_same_story_from_several_partnerships_appears_once_with_also_from(client, network):
    news, akron, tulsa = network
    story = {
        "link": "https://state.example.gov/story?utm_source=akron",
        "title": "State funds community schools",
        "pubDate": "Fri, 20 Nov 2026 10:00:00 GMT",
    }
    load(akron, {**story, "guid": "akron-1"})
    load(tulsa, {**story, "guid": "tulsa-9", "link": "https://state.example.gov/story?utm_source=tulsa"})

    soup = BeautifulSoup(client.get(news.url).content, "html.parser")

    items = soup.select(".news-item")
    assert len(items) == 1
    assert "also from Tulsa Reads" in items[0].select_one(".news-item__meta").get_text()
    assert items[0].select_one(".news-item__meta").get_text().count("Akron Learns") == 1

    NewsItem.objects.filter(source__partnership=akron).update(is_hidden=True)
    soup = BeautifulSoup(client.get(news.url).content, "html.parser")

    items = soup.select(".news-item")
    assert len(items) == 1, "a hidden first copy hands the story to the next one"
    assert "Tulsa Reads" in items[0].select_one(".news-item__meta").get_text()
    assert "also from" not in items[0].select_one(".news-item__meta").get_text()


def test_news_filters_by_partnership_state_and_outcome(client, network):
    news, akron, tulsa = network
    load(
        akron,
        {
            "guid": "a",
            "link": "https://a.example.org/1",
            "title": "Akron story",
            "pubDate": "Fri, 20 Nov 2026 10:00:00 GMT",
        },
    )
    load(
        tulsa,
        {
            "guid": "t",
            "link": "https://t.example.org/1",
            "title": "Tulsa story",
            "pubDate": "Fri, 20 Nov 2026 11:00:00 GMT",
        },
    )

    def titles(**params):
        soup = BeautifulSoup(client.get(news.url, params).content, "html.parser")
        return [h.get_text(strip=True) for h in soup.select(".news-item__title")]

    assert titles() == ["Tulsa story", "Akron story"]
    assert titles(partnership=akron.pk) == ["Akron story"]
    assert titles(state="OK") == ["Tulsa story"]
    assert titles(outcome="employment") == ["Akron story"]
    assert titles(outcome=["employment", "high-school-graduation"]) == ["Akron story"], "once, not once per outcome"


def test_a_partnership_has_its_own_news_feed_linked_from_its_page(client, network):
    news, akron, tulsa = network
    shared = {"title": "State funds community schools", "pubDate": "Fri, 20 Nov 2026 09:00:00 GMT"}
    load(tulsa, {**shared, "guid": "t-shared", "link": "https://t.example.org/shared"})
    load(
        akron,
        {
            "guid": "a1",
            "link": "https://a.example.org/1",
            "title": "Akron story",
            "pubDate": "Fri, 20 Nov 2026 10:00:00 GMT",
        },
        {**shared, "guid": "a-shared", "link": "https://a.example.org/shared"},
    )

    page = BeautifulSoup(client.get(akron.url).content, "html.parser")
    alternates = {link["type"]: link["href"] for link in page.select('link[rel="alternate"]')}
    assert alternates == {
        "application/rss+xml": f"{news.full_url}from/akron-learns/rss/",
        "application/atom+xml": f"{news.full_url}from/akron-learns/atom/",
    }
    assert [a["href"] for a in page.select(".feed-links a")] == list(alternates.values())

    for kind, url in (("rss", alternates["application/rss+xml"]), ("atom", alternates["application/atom+xml"])):
        feed = feedparser.parse(client.get(url).content)
        assert not feed.bozo, kind
        assert feed.feed.title == "Network news: Akron Learns" and feed.feed.link == akron.full_url
        assert [entry.title for entry in feed.entries] == ["Akron story", "State funds community schools"], (
            "every item Akron posted, the story Tulsa carried first too, and nothing of Tulsa's"
        )
    atom = feedparser.parse(client.get(alternates["application/atom+xml"]).content)
    assert [link.href for link in atom.feed.links if link.rel == "self"] == [alternates["application/atom+xml"]]

    assert client.get("/news/from/no-such-partnership/rss/").status_code == 404
    akron.unpublish()
    assert client.get(alternates["application/rss+xml"]).status_code == 404, "an unpublished member has no feed"
    assert not BeautifulSoup(client.get(tulsa.url).content, "html.parser").select(
        'link[rel="alternate"][href*="akron"]'
    )


def test_hidden_items_disappear_and_pinned_ones_lead(client, network):
    news, akron, _ = network
    load(
        akron,
        {"guid": "1", "link": "https://a.example.org/1", "title": "Older", "pubDate": "Mon, 16 Nov 2026 10:00:00 GMT"},
        {"guid": "2", "link": "https://a.example.org/2", "title": "Newer", "pubDate": "Fri, 20 Nov 2026 10:00:00 GMT"},
        {"guid": "3", "link": "https://a.example.org/3", "title": "Spam", "pubDate": "Sat, 21 Nov 2026 10:00:00 GMT"},
    )
    NewsItem.objects.filter(title="Older").update(is_pinned=True)
    NewsItem.objects.filter(title="Spam").update(is_hidden=True)

    feed = feedparser.parse(client.get(f"{news.url}rss/").content)

    assert feed.bozo is False
    assert [entry.title for entry in feed.entries] == ["Older", "Newer"]
    assert [item.title for item in client.get(akron.url).context["news_items"]] == ["Older", "Newer"]


def test_future_and_missing_dates_become_now(network):
    _, akron, _ = network
    load(
        akron,
        {
            "guid": "f",
            "link": "https://a.example.org/f",
            "title": "From the future",
            "pubDate": "Fri, 20 Nov 2099 10:00:00 GMT",
        },
        {"guid": "m", "link": "https://a.example.org/m", "title": "No date"},
    )

    from django.utils import timezone

    for item in NewsItem.objects.all():
        assert item.published_at <= timezone.now()


def test_partnership_feed_urls_become_sources(network):
    _, akron, _ = network
    akron.feed_url = "https://akron.example.org/feed.xml"
    akron.save_revision().publish()

    assert feed_sources_sync() == 1
    assert feed_sources_sync() == 0
    assert FeedSource.objects.get().partnership_id == akron.pk


def test_text_plain_content_is_escaped_not_interpreted():
    body = (
        b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><id>x</id><updated>2026-11-20T10:00:00Z</updated>'
        b"<entry><id>1</id><title>T</title><updated>2026-11-20T10:00:00Z</updated>"
        b'<content type="text">&lt;b&gt;bold&lt;/b&gt; &amp; more</content></entry></feed>'
    )

    entry = parse_feed(body, url="https://x.example.org/feed")[0]

    assert entry.content_html == "<p>&lt;b&gt;bold&lt;/b&gt; &amp; more</p>"


def test_json_feed_is_read():
    body = b'{"version": "https://jsonfeed.org/version/1.1", "title": "J", "items": [{"id": "1", "url": "https://j.example.org/1", "title": "JSON item", "content_html": "<p>Hi<script>x</script></p>", "date_published": "2026-11-20T10:00:00Z"}]}'

    entry = parse_feed(body, url="https://j.example.org/feed.json", content_type="application/feed+json")[0]

    assert (entry.title, entry.link, entry.content_html) == ("JSON item", "https://j.example.org/1", "<p>Hi</p>")
