"""Demo member news: sample feeds written to media storage (served by the demo site itself,
so `refresh_feeds` works offline) and loaded straight from those files."""

import datetime
from email.utils import format_datetime
from xml.sax.saxutils import escape

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from network.models import PartnershipPage
from website.demo import navigation_link_put, upsert_page

from .models import FeedSource, NewsIndexPage
from .parsing import parse_feed
from .services import items_store

FEEDS = 14
HEADLINES = [
    "Kindergarten readiness screening reaches every elementary school",
    "Volunteers log 10,000 tutoring hours this semester",
    "New data dashboard shows progress by neighbourhood",
    "College signing day celebrates first-generation students",
    "Employers pledge paid internships for graduating seniors",
    "Partnership releases its annual community report card",
]
SHARED_STORY = ("State expands funding for community schools", "https://news.state.example.gov/community-schools")


def _feed_xml(partnership, *, index):
    latest = datetime.datetime(2026, 11, 20, 15, tzinfo=datetime.UTC)
    items = []
    for number in range(4):
        title = HEADLINES[(index + number) % len(HEADLINES)]
        link = f"https://{partnership.slug}.example.org/news/{number + 1}"
        if number == 3 and index < 3:
            title, link = SHARED_STORY
        published = latest - datetime.timedelta(days=index + number * 3)
        items.append(
            f"<item><guid>{escape(link)}</guid><link>{escape(link)}</link><title>{escape(title)}</title>"
            f"<description>{escape(f'<p>{partnership.title} shares an update from {partnership.city}.</p>')}</description>"
            f"<pubDate>{format_datetime(published)}</pubDate></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{escape(partnership.title)} news</title><link>https://{partnership.slug}.example.org/</link>"
        f"<description>News from {escape(partnership.title)}</description>{''.join(items)}</channel></rss>"
    ).encode()


def load(*, home_page, stdout):
    index = upsert_page(
        parent=home_page,
        page_class=NewsIndexPage,
        slug="news",
        title="Network news",
        introduction="What member partnerships are publishing on their own sites, gathered in one place.",
        listing_summary="The latest news from every member partnership.",
    )
    navigation_link_put(home_page=home_page, page=index, position=1)
    items = 0
    for number, partnership in enumerate(PartnershipPage.objects.live().order_by("title")[:FEEDS]):
        path = f"demo-feeds/{partnership.slug}.xml"
        body = _feed_xml(partnership, index=number)
        if default_storage.exists(path):
            default_storage.delete(path)
        default_storage.save(path, ContentFile(body))
        url = f"{settings.BASE_URL}{settings.MEDIA_URL}{path}"
        source, _ = FeedSource.objects.update_or_create(
            partnership=partnership, defaults={"name": f"{partnership.title} news", "url": url}
        )
        if partnership.feed_url != url:
            partnership.feed_url = url
            partnership.save_revision().publish()
        new, _ = items_store(source=source, entries=parse_feed(body, url=url, content_type="application/rss+xml"))
        source.save()
        items += new
    stdout.write(f"  news: {FEEDS} member feeds, {items} new items")
