"""Reads for events."""

from django.db.models import Prefetch

from network.selectors import partnership_visible
from website.selectors import page_public_q

from .models import EventPage, EventPartnership


def event_visible():
    """Events a visitor may see: the one definition of a published event."""
    return EventPage.objects.live().filter(page_public_q())


def event_with_cards(queryset):
    """`queryset` with the partnerships its cards name, in a fixed number of queries."""
    return queryset.prefetch_related(
        Prefetch(
            "partnership_links",
            queryset=EventPartnership.objects.select_related("partnership").filter(
                partnership__in=partnership_visible()
            ),
        )
    )


def event_upcoming(*, now, limit=None):
    """Events not yet over (one under way counts), soonest first."""
    events = event_with_cards(event_visible().filter(ends_at__gte=now).order_by("starts_at", "pk"))
    return list(events[:limit] if limit else events)


def event_past(*, now):
    """Events that are over, the most recent first."""
    return event_with_cards(event_visible().filter(ends_at__lt=now).order_by("-starts_at", "-pk"))


def event_starting_between(*, start, end):
    """Events starting in [start, end), soonest first: what a digest announces."""
    return list(event_visible().filter(starts_at__gte=start, starts_at__lt=end).order_by("starts_at", "pk"))


def event_for_partnership(*, partnership, now, limit):
    """A partnership's upcoming events."""
    return list(
        event_visible()
        .filter(partnership_links__partnership=partnership, ends_at__gte=now)
        .order_by("starts_at")
        .distinct()[:limit]
    )
