"""Reads shared by the whole site: the one place that decides what "published" means."""

from django.db.models import Count
from wagtail.models import Page

from .models import CustomImage

CARD_IMAGE_FILTER = "fill-640x360"


def page_live_public():
    """Pages a visitor may see: live, and not behind a privacy restriction."""
    return Page.objects.live().public()


def page_latest_children(*, parent, limit):
    """The newest published children of `parent`, newest first, ready to show as cards.
    The parent's page type says what "newest" means (see BasePage.get_latest_children),
    so this block needs to know nothing of the apps above it."""
    if parent is None:
        return []
    parent = parent.specific
    if hasattr(parent, "get_latest_children"):
        pages = parent.get_latest_children()[:limit]
    else:
        pages = page_live_public().child_of(parent).order_by("-first_published_at", "-pk")[:limit]
    return page_cards(pages=pages)


def page_cards(*, pages):
    """The visible pages among `pages`, in their order, as specific pages with their
    listing image and its card rendition loaded in bulk (a constant number of queries)."""
    wanted = [page.pk for page in pages]
    by_pk = page_live_public().filter(pk__in=wanted).specific().in_bulk()
    cards = [by_pk[pk] for pk in wanted if pk in by_pk]
    image_ids = {getattr(card, "listing_image_id", None) for card in cards} - {None}
    images = CustomImage.objects.prefetch_renditions(CARD_IMAGE_FILTER).in_bulk(image_ids)
    for card in cards:
        if getattr(card, "listing_image_id", None):
            card.listing_image = images.get(card.listing_image_id)
    return cards


def facet_counts(queryset, *, field, filter_q):
    """{value: how many of `queryset` match `filter_q` and have that `field` value}.

    Faceted listings (the directory, the practice library) ask this once per facet with
    the Q of every filter but the facet's own, so each count says what ticking that value
    would give. One query; rows whose value is None (no related row) are left out.
    """
    rows = queryset.filter(filter_q).values(field).annotate(count=Count("pk", distinct=True)).order_by()
    return {row[field]: row["count"] for row in rows if row[field] is not None}
