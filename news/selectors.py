"""Reads of member news: the one definition of a visible item, and story de-duplication."""

from django.db.models import Min, Q

from .models import NewsItem


def news_item_visible():
    """Items a visitor may see: not hidden by staff, from a source still attached to the site."""
    return NewsItem.objects.filter(is_hidden=False)


def news_item_listing(*, partnership_ids=None, states=None, outcomes=None):
    """One item per story (the first one posted), pinned first then newest, filtered."""
    items = news_item_visible()
    if partnership_ids:
        items = items.filter(source__partnership_id__in=partnership_ids)
    if states:
        items = items.filter(source__partnership__state__in=states)
    if outcomes:
        items = items.filter(source__partnership__outcomes__slug__in=outcomes)
    first_of_story = news_item_visible().values("story_key").annotate(first=Min("pk")).values("first")
    return (
        news_item_visible()
        .filter(pk__in=items.values("pk"))
        .filter(pk__in=first_of_story)
        .select_related("source", "source__partnership")
        .order_by("-is_pinned", "-published_at", "-pk")
    )


def news_item_also_from(*, items):
    """{item pk: [other sources' names]} for the same story posted by several feeds."""
    items = list(items)
    by_story = {item.story_key: item for item in items}
    others = {item.pk: [] for item in items}
    rows = (
        news_item_visible().filter(story_key__in=by_story).exclude(pk__in=[item.pk for item in items])
        .select_related("source", "source__partnership").order_by("published_at")
    )
    for row in rows:
        first = by_story[row.story_key]
        name = row.source.partnership.title if row.source.partnership_id else row.source.name
        if name not in others[first.pk]:
            others[first.pk].append(name)
    return others


def news_item_for_partnership(*, partnership, limit=5):
    return list(
        news_item_visible().filter(Q(source__partnership=partnership))
        .select_related("source").order_by("-is_pinned", "-published_at", "-pk")[:limit]
    )
