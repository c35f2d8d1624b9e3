"""Reads shared by the whole site: the one place that decides what "published" means."""

from wagtail.models import Page


def page_live_public():
    """Pages a visitor may see: live, and not behind a privacy restriction."""
    return Page.objects.live().public()


def page_latest_children(*, parent, limit):
    """The newest published children of `parent`, newest first by first publication."""
    if parent is None:
        return []
    return list(
        page_live_public()
        .child_of(parent)
        .order_by("-first_published_at", "-pk")
        .specific()[:limit]
    )
