from django.core.paginator import Paginator
from django.utils import timezone

from .calendar import calendar_response
from .selectors import event_past, event_upcoming, event_visible

PAST_EVENTS_PER_PAGE = 12


def event_listing(request, *, index_page):
    """Upcoming events (on the first page only), then past ones, paginated."""
    now = timezone.now()
    past = Paginator(event_past(now=now), PAST_EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    upcoming = event_upcoming(now=now) if past.number == 1 else []
    return index_page.render(request, context_overrides={"upcoming_events": upcoming, "past_events": past})


def event_calendar_feed(request, *, index_page):
    """Every event as one iCalendar feed, for calendar apps to subscribe to."""
    events = event_visible().order_by("starts_at", "pk")
    return calendar_response(events=events, filename="events.ics", name=index_page.title)


def event_calendar_file(request, *, event):
    """One event as an .ics file to add to a calendar."""
    return calendar_response(events=[event], filename=f"{event.slug}.ics", name=event.title)
