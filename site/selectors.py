"""Reads shared by the whole site: the one place that decides what "published" means."""

from wagtail.models import Page

from .models import CustomImage

CARD_IMAGE_FILTER = "fill-640x360"


def page_live_public():
    """Pages a visitor may see: live, and not behind a privacy restriction."""
    return Page.objects.live().public()


def page_latest_children(*, parent, limit):
    """The newest published children of `parent`, newest first, ready to show as cards."""
    if parent is None:
        return []
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
