"""Events as iCalendar (RFC 5545), for calendar apps: one file per event and a feed of all.

Times go out in the event's own zone (DTSTART;TZID=...) with the VTIMEZONE that defines
it, so a calendar shows 9:00 in Phoenix as 9:00 in Phoenix whatever the reader's zone.
The `icalendar` package writes the text: escaping, CRLF line ends and 75-octet folding.
"""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event

PRODUCT_ID = "-//Network Commons//Events//EN"
ZONE_MARGIN = datetime.timedelta(days=366)


def event_uid(event):
    """Stable across edits and renames (the page id), unique to this site (its host)."""
    return f"event-{event.pk}@{urlsplit(settings.BASE_URL).hostname}"


def _location(event):
    parts = [part for part in (event.venue, event.address) if part]
    if event.is_online:
        parts.append(event.online_details or "Online")
    return ", ".join(parts)


def _description(event):
    lines = [event.summary]
    if event.registration_url:
        lines.append(f"Register: {event.registration_url}")
    lines.append(event.full_url)
    return "\n\n".join(line for line in lines if line)


def calendar_build(*, events, name):
    """The VCALENDAR text (bytes) of `events`."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now()
    days = []
    for event in events:
        days += [event.local_start.date(), event.local_end.date()]
        entry = Event()
        entry.add("uid", event_uid(event))
        entry.add("dtstamp", stamp)
        entry.add("dtstart", event.local_start)
        entry.add("dtend", event.local_end)
        entry.add("summary", event.title)
        entry.add("description", _description(event))
        if location := _location(event):
            entry.add("location", location)
        entry.add("url", event.full_url)
        if event.last_published_at:
            entry.add("last-modified", event.last_published_at)
        entry.add("status", "CONFIRMED")
        calendar.add_component(entry)
    if days:
        # Each zone's rules around the events only (a year either side, so both offsets of
        # a zone with daylight saving are described), not every transition since 1970.
        calendar.add_missing_timezones(first_date=min(days) - ZONE_MARGIN, last_date=max(days) + ZONE_MARGIN)
    return calendar.to_ical()


def calendar_response(*, events, filename, name):
    response = HttpResponse(calendar_build(events=events, name=name), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
