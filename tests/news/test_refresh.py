"""Refreshing feeds against a local server that misbehaves on purpose."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.search.backends import get_search_backend

from news import client as feed_client_module
from news.models import FeedSource, NewsItem
from news.services import FAILURES_BEFORE_PAUSE, feed_sources_refresh
from tests.news.conftest import Route, rss
from website.page_cache import page_cache_generation

pytestmark = pytest.mark.django_db

ITEMS = [
    {
        "guid": "a-1",
        "link": "https://member.example.org/a-1",
        "title": "Reading gains",
        "description": "Up again.",
        "pubDate": "Fri, 20 Nov 2026 10:00:00 GMT",
    },
    {
        "guid": "a-2",
        "link": "https://member.example.org/a-2",
        "title": "New partners",
        "description": "Welcome.",
        "pubDate": "Thu, 19 Nov 2026 10:00:00 GMT",
    },
]


def source_for(server, path, **fields):
    return FeedSource.objects.create(name=path, url=server.url(path), **fields)


def refresh(*sources):
    for source in sources:
        source.refresh_from_db()
    return feed_sources_refresh(sources=sources)


def test_items_are_stored_and_a_second_fetch_sends_conditional_headers(feed_server):
    feed_server.routes["/feed"] = Route(
        body=rss(*ITEMS), headers={"ETag": '"v1"', "Last-Modified": "Fri, 20 Nov 2026 10:00:00 GMT"}
    )
    source = source_for(feed_server, "/feed")

    assert refresh(source)["new items"] == 2
    feed_server.routes["/feed"] = Route(status=304, headers={"ETag": '"v1"'})
    totals = refresh(source)

    assert totals["not modified"] == 1 and totals["new items"] == 0
    headers = feed_server.requests[-1][1]
    assert headers["If-None-Match"] == '"v1"'
    assert headers["If-Modified-Since"] == "Fri, 20 Nov 2026 10:00:00 GMT"
    assert sorted(NewsItem.objects.values_list("title", flat=True)) == ["New partners", "Reading gains"]
    found = get_search_backend().search("reading", NewsItem)
    assert [item.title for item in found] == ["Reading gains"], "indexed in bulk"


def test_only_what_visitors_see_starts_a_new_page_cache_generation(feed_server, settings):
    settings.PAGE_CACHE_SECONDS = 300
    feed_server.routes["/feed"] = Route(body=rss(*ITEMS), headers={"ETag": '"v1"'})
    source = source_for(feed_server, "/feed")
    first = page_cache_generation()

    refresh(source)
    with_news = page_cache_generation()
    feed_server.routes["/feed"] = Route(status=304, headers={"ETag": '"v1"'})
    refresh(source)
    feed_server.routes["/feed"] = Route(status=500)
    refresh(source)

    assert with_news > first, "new items are on the news page"
    assert page_cache_generation() == with_news, "a 304 or a failed fetch changes nothing visitors see"
    source.name = "Akron Learns news"
    source.save()  # staff rename a source: its name is shown next to its items
    assert page_cache_generation() > with_news
    visible = {f.name for f in FeedSource._meta.concrete_fields} - set(FeedSource.FETCH_STATE_FIELDS)
    assert visible == {"id", "name", "partnership", "created_at"}, "a fetch saves every other field"


def test_an_edited_entry_is_updated_in_place(feed_server):
    feed_server.routes["/feed"] = Route(body=rss(*ITEMS))
    source = source_for(feed_server, "/feed")
    refresh(source)

    feed_server.routes["/feed"] = Route(body=rss({**ITEMS[0], "title": "Reading gains, corrected"}, ITEMS[1]))
    totals = refresh(source)

    assert (totals["new items"], totals["updated"]) == (0, 1)
    assert NewsItem.objects.filter(title="Reading gains, corrected").count() == 1
    assert NewsItem.objects.count() == 2


def test_repeated_guids_switch_the_feed_to_links(feed_server):
    feed_server.routes["/feed"] = Route(body=rss({**ITEMS[0], "guid": "same"}, {**ITEMS[1], "guid": "same"}))
    source = source_for(feed_server, "/feed")

    refresh(source)

    source.refresh_from_db()
    assert source.identity == FeedSource.Identity.LINK
    assert NewsItem.objects.count() == 2


def test_permanent_redirects_update_the_url_and_temporary_ones_do_not(feed_server):
    feed_server.routes["/old"] = Route(status=301, headers={"Location": "/new"})
    feed_server.routes["/new"] = Route(body=rss(*ITEMS))
    feed_server.routes["/temp"] = Route(status=302, headers={"Location": "/new"})
    moved, temporary = source_for(feed_server, "/old"), source_for(feed_server, "/temp")

    refresh(moved, temporary)

    moved.refresh_from_db()
    temporary.refresh_from_db()
    assert moved.url == feed_server.url("/new")
    assert temporary.url == feed_server.url("/temp")


def test_redirect_loops_stop(feed_server):
    feed_server.routes["/a"] = Route(status=302, headers={"Location": "/b"})
    feed_server.routes["/b"] = Route(status=302, headers={"Location": "/a"})
    source = source_for(feed_server, "/a")

    assert refresh(source)["failed"] == 1
    source.refresh_from_db()
    assert "redirect loop" in source.last_error


def test_a_redirect_to_a_refused_address_is_not_followed(feed_server):
    feed_server.routes["/feed"] = Route(status=302, headers={"Location": "http://169.254.169.254/latest/meta-data/"})
    source = source_for(feed_server, "/feed")

    refresh(source)

    source.refresh_from_db()
    assert source.last_error.startswith("refused")


def test_a_redirect_to_another_scheme_is_refused(feed_server):
    feed_server.routes["/feed"] = Route(status=302, headers={"Location": "file:///etc/passwd"})
    source = source_for(feed_server, "/feed")

    refresh(source)

    source.refresh_from_db()
    assert "only http and https" in source.last_error


def test_gone_feeds_are_retired(feed_server):
    feed_server.routes["/feed"] = Route(status=410)
    source = source_for(feed_server, "/feed")

    refresh(source)

    source.refresh_from_db()
    assert source.status == FeedSource.Status.RETIRED


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_is_honoured(feed_server, status):
    feed_server.routes["/feed"] = Route(status=status, headers={"Retry-After": "7200"})
    source = source_for(feed_server, "/feed")

    refresh(source)

    source.refresh_from_db()
    wait = source.next_fetch_at - timezone.now()
    assert datetime.timedelta(minutes=119) < wait <= datetime.timedelta(hours=2)


def test_failures_back_off_then_pause_and_success_resets(feed_server):
    feed_server.routes["/feed"] = Route(status=500)
    source = source_for(feed_server, "/feed")

    refresh(source)
    source.refresh_from_db()
    first_wait = source.next_fetch_at - timezone.now()
    refresh(source)
    source.refresh_from_db()
    assert source.next_fetch_at - timezone.now() > first_wait * 1.9

    feed_server.routes["/feed"] = Route(body=rss(*ITEMS))
    refresh(source)
    source.refresh_from_db()
    assert (source.error_count, source.failing_since) == (0, None)

    feed_server.routes["/feed"] = Route(status=500)
    for _ in range(FAILURES_BEFORE_PAUSE):
        refresh(source)
    source.refresh_from_db()
    assert source.status == FeedSource.Status.PAUSED


def test_a_slow_server_costs_at_most_the_deadline(feed_server, monkeypatch):
    monkeypatch.setattr(feed_client_module, "TOTAL_DEADLINE_SECONDS", 1)
    feed_server.routes["/slow"] = Route(body=rss(*ITEMS), delay=3)
    feed_server.routes["/fast"] = Route(body=rss(*ITEMS))
    slow, fast = source_for(feed_server, "/slow"), source_for(feed_server, "/fast")

    totals = refresh(slow, fast)

    assert (totals["failed"], totals["fetched"]) == (1, 1)
    slow.refresh_from_db()
    assert "within 1 s" in slow.last_error


def test_a_gzip_bomb_is_refused_without_inflating_it(feed_server):
    feed_server.routes["/bomb"] = Route(body=b"<rss>" + b" " * (50 * 1024 * 1024), gzip=True)
    source = source_for(feed_server, "/bomb")

    refresh(source)

    source.refresh_from_db()
    assert "larger than 5 MB" in source.last_error


def test_a_compressed_feed_is_read(feed_server):
    feed_server.routes["/feed"] = Route(body=rss(*ITEMS), gzip=True)

    assert refresh(source_for(feed_server, "/feed"))["new items"] == 2


def test_an_html_page_served_as_a_feed_is_detected(feed_server):
    feed_server.routes["/page"] = Route(
        body=b"<!DOCTYPE html><html><body><h1>Our news</h1></body></html>", headers={"Content-Type": "text/html"}
    )
    source = source_for(feed_server, "/page")

    refresh(source)

    source.refresh_from_db()
    assert source.last_error == "an HTML page, not a feed"


def test_a_wrong_content_type_is_refused(feed_server):
    feed_server.routes["/image"] = Route(body=b"\x89PNG", headers={"Content-Type": "image/png"})
    source = source_for(feed_server, "/image")

    refresh(source)

    source.refresh_from_db()
    assert "not a feed: content type image/png" in source.last_error


def test_entity_expansion_and_external_entities_cost_nothing(feed_server, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    lol = (
        '<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">'
        + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
        + f'<!ENTITY xxe SYSTEM "file://{secret}">]>'
    )
    body = (
        '<?xml version="1.0"?>' + lol + '<rss version="2.0"><channel><title>x</title>'
        "<item><guid>1</guid><title>&j;</title><description>&xxe;</description></item></channel></rss>"
    ).encode()
    feed_server.routes["/lol"] = Route(body=body)
    source = source_for(feed_server, "/lol")

    refresh(source)

    for item in NewsItem.objects.all():
        assert len(item.title) <= 500
        assert "TOP SECRET" not in item.summary + item.content_html


def test_malformed_xml_keeps_every_readable_item(feed_server):
    body = rss(*ITEMS).replace(b"</channel></rss>", b"<item><title>Broken & unescaped</title></item>")
    feed_server.routes["/feed"] = Route(body=body)

    refresh(source_for(feed_server, "/feed"))

    assert {"Reading gains", "New partners"} <= set(NewsItem.objects.values_list("title", flat=True))


def test_refresh_command_prints_a_summary(feed_server):
    feed_server.routes["/feed"] = Route(body=rss(*ITEMS))
    feed_server.routes["/gone"] = Route(status=410)
    source_for(feed_server, "/feed")
    source_for(feed_server, "/gone")
    out = io.StringIO()

    call_command("refresh_feeds", "--force", stdout=out)

    assert out.getvalue().strip() == "1 fetched, 0 not modified, 2 new items, 0 updated, 0 failed, 0 paused, 1 retired"


def test_the_periodic_task_runs_one_pass_through_the_tasks_framework(feed_server):
    feed_server.routes["/feed"] = Route(body=rss(*ITEMS))
    source_for(feed_server, "/feed")
    out = io.StringIO()

    call_command("refresh_feeds", "--enqueue", stdout=out)  # the immediate backend runs it at once

    assert out.getvalue().startswith("Queued feed refresh")
    assert NewsItem.objects.count() == 2


def test_items_another_worker_stored_meanwhile_are_skipped_not_fatal(feed_server):
    from news.services import _items_create

    source = source_for(feed_server, "/feed")
    taken = NewsItem.objects.create(
        source=source,
        identity_key="k1",
        title="Stored by another worker",
        published_at=timezone.now(),
        content_hash="h",
        story_key="s1",
    )
    duplicate = NewsItem(
        source=source,
        identity_key="k1",
        title="Same entry",
        published_at=taken.published_at,
        content_hash="h",
        story_key="s1",
    )
    other = NewsItem(
        source=source,
        identity_key="k2",
        title="Another entry",
        published_at=taken.published_at,
        content_hash="h2",
        story_key="s2",
    )

    assert _items_create([duplicate, other]) == 1
    assert sorted(NewsItem.objects.values_list("title", flat=True)) == ["Another entry", "Stored by another worker"]
