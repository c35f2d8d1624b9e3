from django.utils import timezone
from wagtail import hooks

from .selectors import event_for_partnership


@hooks.register("partnership_page_sections")
def partnership_upcoming_events(*, partnership, request, limit):
    """The partnership page lists the events the partnership takes part in that are still to come."""
    return {"upcoming_events": event_for_partnership(partnership=partnership, now=timezone.now(), limit=limit)}
