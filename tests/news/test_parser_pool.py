"""Feeds parsed in worker processes (FEEDS_PARSE_PROCESSES) are stored exactly as feeds
parsed inline, a feed that kills or stalls its parser fails alone and says why, and a
pass leaves no process behind."""

import functools
import multiprocessing

import pytest

from news import parsing, services
from news.models import FeedSource, NewsItem
from news.services import feed_sources_refresh
from tests.news.conftest import Route, rss
from tests.news.hostile_parsing import parse_or_misbehave

pytestmark = pytest.mark.django_db

ITEMS = [
    {
        "guid": "a-1",
        "link": "/news/reading-gains",
        "title": "Reading gains <b>again</b>",
        "description": "&lt;p&gt;Up &lt;script&gt;alert(1)&lt;/script&gt;again, &lt;a href='/more'&gt;more&lt;/a&gt;.&lt;/p&gt;",
        "pubDate": "Fri, 20 Nov 2026 10:00:00 GMT",
    },
    {
        "guid": "a-1",  # a repeated GUID: the feed falls back to links
        "link": "https://member.example.org/partners",
        "title": "New partners join the network this fall",
        "description": "Welcome.",
        "pubDate": "Thu, 19 Nov 2026 10:00:00 GMT",
    },
]
STORED_FIELDS = [
    "identity_key",
    "guid",
    "link",
    "title",
    "summary",
    "content_html",
    "image_url",
    "published_at",
    "content_hash",
    "story_key",
]


def pass_over(server, *paths):
    sources = [FeedSource.objects.create(name=path, url=server.url(path)) for path in paths]
    totals = feed_sources_refresh(sources=sources)
    return totals, {source.name: FeedSource.objects.get(pk=source.pk) for source in sources}


def stored(path):
    return list(NewsItem.objects.filter(source__name=path).order_by("link").values(*STORED_FIELDS))


def test_items_parsed_in_the_pool_are_stored_as_items_parsed_inline(feed_server, settings):
    feed_server.routes["/inline"] = feed_server.routes["/pooled"] = Route(body=rss(*ITEMS))

    settings.FEEDS_PARSE_PROCESSES = 0
    pass_over(feed_server, "/inline")
    settings.FEEDS_PARSE_PROCESSES = 2
    totals, sources = pass_over(feed_server, "/pooled")

    assert totals["new items"] == 2
    assert stored("/pooled") == stored("/inline")
    assert "script" not in stored("/pooled")[1]["content_html"], "sanitised in the pool too"
    assert sources["/pooled"].identity == FeedSource.Identity.LINK
    assert multiprocessing.active_children() == [], "the pool is shut down after the pass"


@pytest.mark.parametrize(
    ("title", "error"),
    [("Crash the parser", "the parser's process died on this feed"), ("Stall the parser", "parsing took longer")],
)
def test_a_feed_that_kills_or_stalls_its_parser_fails_alone(feed_server, settings, monkeypatch, title, error):
    settings.FEEDS_PARSE_PROCESSES = 1  # one process: the other feeds are queued behind the hostile one
    monkeypatch.setattr(parsing, "PARSE_TIMEOUT_SECONDS", 5)
    monkeypatch.setattr(services, "FeedParserPool", functools.partial(parsing.FeedParserPool, parse=parse_or_misbehave))
    feed_server.routes["/hostile"] = Route(body=rss(ITEMS[1], title=title))
    for number in range(4):
        feed_server.routes[f"/fine-{number}"] = Route(body=rss(ITEMS[1]))

    totals, sources = pass_over(feed_server, "/hostile", *(f"/fine-{number}" for number in range(4)))

    assert totals["fetched"] == 4 and totals["failed"] == 1 and totals["new items"] == 4
    assert error in sources["/hostile"].last_error
    assert sources["/hostile"].error_count == 1
    assert all(stored(f"/fine-{number}") for number in range(4))
    assert not stored("/hostile")
    assert multiprocessing.active_children() == []
