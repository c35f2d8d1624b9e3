"""Reads of member news: the one definition of a visible item, and story de-duplication."""

from django.db.models import Exists, OuterRef, Q
from wagtail.search.backends import get_search_backend

from website.selectors import page_public_q

from .models import FeedSource, NewsIndexPage, NewsItem


def feed_source_visible():
    """Sources whose items visitors see: staff's own, or a partnership's while its page is
    published (unpublishing a partnership takes its news down; republishing brings it back)."""
    return FeedSource.objects.filter(Q(partnership__isnull=True) | Q(partnership__live=True))


def news_item_visible():
    """Items a visitor may see: not hidden by staff, from a visible source."""
    return NewsItem.objects.filter(is_hidden=False, source__in=feed_source_visible())


def news_item_search(*, query):
    """Visible items matching `query`, best first (Wagtail's search backend)."""
    return get_search_backend().search(query, news_item_visible())


def news_item_listing(*, partnership_ids=None, states=None, outcomes=None):
    """One item per story (the first one posted: no visible item of the same story has a
    smaller pk), pinned first then newest, filtered. The ordering and the story test each
    have an index (see NewsItem.Meta), so a page is read without touching the whole table."""
    earlier_of_story = news_item_visible().filter(story_key=OuterRef("story_key"), pk__lt=OuterRef("pk"))
    items = news_item_visible().filter(~Exists(earlier_of_story))
    if partnership_ids:
        items = items.filter(source__partnership_id__in=partnership_ids)
    if states:
        items = items.filter(source__partnership__state__in=states)
    if outcomes:
        # A subquery, not a join: a partnership with two of the outcomes would repeat its items.
        items = items.filter(source__in=FeedSource.objects.filter(partnership__outcomes__slug__in=outcomes))
    return items.select_related("source", "source__partnership").order_by("-is_pinned", "-published_at", "-pk")


def news_item_also_from(*, items):
    """{item pk: [other sources' names]} for the same story posted by several feeds."""
    items = list(items)
    by_story = {item.story_key: item for item in items}
    others = {item.pk: [] for item in items}
    rows = (
        news_item_visible()
        .filter(story_key__in=by_story)
        .exclude(pk__in=[item.pk for item in items])
        .select_related("source", "source__partnership")
        .order_by("published_at")
    )
    for row in rows:
        first = by_story[row.story_key]
        name = row.source.partnership.title if row.source.partnership_id else row.source.name
        if name not in others[first.pk]:
            others[first.pk].append(name)
    return others


def news_index_visible():
    """The network news page (a site has at most one), if visitors can see it."""
    return NewsIndexPage.objects.live().filter(page_public_q()).first()


def news_item_for_partnership(*, partnership, limit=5):
    return list(
        news_item_visible()
        .filter(Q(source__partnership=partnership))
        .select_related("source", "source__partnership")
        .order_by("-is_pinned", "-published_at", "-pk")[:limit]
    )
