"""Events: upcoming and past lists, the event's own time zone from entry to calendar file,
iCalendar files valid for the `icalendar` package and RFC 5545, and the digest's
events of the next two weeks."""

import datetime
import zoneinfo

import icalendar
import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from events.models import EventPage
from newsletter.models import IssueItem
from newsletter.rendering import IssueRenderer
from newsletter.services.issues import issue_build
from tests.factories import (
    BlogIndexPageFactory,
    BlogPageFactory,
    DirectoryPageFactory,
    EventIndexPageFactory,
    EventPageFactory,
    PartnershipPageFactory,
)

pytestmark = pytest.mark.django_db
PHOENIX = zoneinfo.ZoneInfo("America/Phoenix")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


@pytest.fixture
def events_index(home_page):
    return EventIndexPageFactory(parent=home_page)


def in_days(days, *, hour=9, zone=NEW_YORK):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=zone)


def test_the_index_lists_upcoming_events_soonest_first_and_past_ones_latest_first(client, events_index):
    EventPageFactory(parent=events_index, title="Next month", starts_at=in_days(30))
    EventPageFactory(parent=events_index, title="Next week", starts_at=in_days(7))
    EventPageFactory(parent=events_index, title="Last year", starts_at=in_days(-365))
    EventPageFactory(parent=events_index, title="Last week", starts_at=in_days(-7))
    under_way = EventPageFactory(
        parent=events_index, title="Under way", starts_at=timezone.now() - datetime.timedelta(hours=1)
    )
    under_way.ends_at = timezone.now() + datetime.timedelta(hours=1)
    under_way.save_revision().publish()

    response = client.get(events_index.url)
    assert response.status_code == 200
    assert [event.title for event in response.context["upcoming_events"]] == ["Under way", "Next week", "Next month"]
    assert [event.title for event in response.context["past_events"]] == ["Last week", "Last year"]
    html = response.content.decode()
    assert html.index("Next week") < html.index("Next month") < html.index("Past events") < html.index("Last week")


def test_an_event_page_shows_its_local_time_format_place_and_registration(client, events_index):
    event = EventPageFactory(
        parent=events_index,
        title="Summer learning convening",
        starts_at=datetime.datetime(2027, 3, 10, 9, tzinfo=PHOENIX),
        ends_at=datetime.datetime(2027, 3, 10, 16, 30, tzinfo=PHOENIX),
        time_zone="America/Phoenix",
        format=EventPage.Format.HYBRID,
        venue="Central Library",
        address="1221 N Central Ave, Phoenix, AZ",
        online_details="Zoom link on registration",
        registration_url="https://register.example.org/summer",
    )
    html = client.get(event.url).content.decode()
    assert "Wednesday 10 March 2027, 9:00 AM" in html and "4:30 PM" in html and "MST" in html
    assert "Central Library" in html and "Zoom link on registration" in html
    assert 'href="https://register.example.org/summer"' in html
    assert f'href="{event.url}calendar/"' in html


def test_an_editor_enters_times_in_the_events_zone_not_their_own(client, events_index, settings):
    """The admin runs in the site's zone (Chicago); 9:00 typed for a Phoenix event is 9:00 in Phoenix."""
    assert settings.TIME_ZONE == "America/Chicago"
    admin = get_user_model().objects.create_superuser("admin", "admin@example.org", "pw")
    client.force_login(admin)
    directory = DirectoryPageFactory(parent=events_index.get_parent())
    partnership = PartnershipPageFactory(parent=directory, title="Phoenix Reads")
    data = nested_form_data(
        {
            "title": "Data walk",
            "slug": "data-walk",
            "summary": "Reading the results together.",
            "starts_at": "2027-03-10 09:00",
            "ends_at": "2027-03-10 10:30",
            "time_zone": "America/Phoenix",
            "format": "online",
            "body": streamfield([]),
            "partnership_links": inline_formset([{"partnership": partnership.pk}]),
        }
    )
    data["action-publish"] = "publish"
    response = client.post(f"/admin/pages/add/events/eventpage/{events_index.pk}/", data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    event = EventPage.objects.get(slug="data-walk")
    assert event.starts_at == datetime.datetime(2027, 3, 10, 16, tzinfo=datetime.UTC)
    assert event.ends_at == datetime.datetime(2027, 3, 10, 17, 30, tzinfo=datetime.UTC)
    assert [link.partnership for link in event.partnership_links.all()] == [partnership]

    edit_form = client.get(f"/admin/pages/{event.pk}/edit/").context["form"]
    assert edit_form["starts_at"].value().strftime("%H:%M") == "09:00", "shown again as typed, in Phoenix time"


def test_an_event_cannot_end_before_it_starts(client, events_index):
    admin = get_user_model().objects.create_superuser("admin", "admin@example.org", "pw")
    client.force_login(admin)
    data = nested_form_data(
        {
            "title": "Backwards",
            "slug": "backwards",
            "summary": "Ends first.",
            "starts_at": "2027-03-10 09:00",
            "ends_at": "2027-03-10 08:00",
            "time_zone": "America/New_York",
            "format": "online",
            "body": streamfield([]),
            "partnership_links": inline_formset([]),
        }
    )
    response = client.post(f"/admin/pages/add/events/eventpage/{events_index.pk}/", data)
    assert response.status_code == 200
    assert "cannot end before it starts" in str(response.context["form"].errors["ends_at"])
    assert not EventPage.objects.filter(slug="backwards").exists()


def unfolded_lines(body):
    """RFC 5545 3.1: lines end in CRLF, fold at 75 octets, continuation lines start with a space."""
    assert body.endswith(b"\r\n") and b"\n" not in body.replace(b"\r\n", b"")
    raw_lines = body.split(b"\r\n")[:-1]
    assert all(len(line) <= 75 for line in raw_lines), [line for line in raw_lines if len(line) > 75]
    lines = []
    for line in raw_lines:
        if line.startswith(b" "):
            lines[-1] += line[1:]
        else:
            lines.append(line)
    return [line.decode() for line in lines]


def test_an_events_calendar_file_is_valid_and_keeps_its_time_zone(client, events_index):
    event = EventPageFactory(
        parent=events_index,
        title="Regional convening: summer learning that lasts, with the libraries and districts of the Valley",
        summary="Two days with the library systems, districts and community centres that ran summer literacy "
        "camps: what kept attendance up, and what the benchmark data show; bring your own numbers.",
        starts_at=datetime.datetime(2027, 3, 10, 9, tzinfo=PHOENIX),
        ends_at=datetime.datetime(2027, 3, 11, 16, tzinfo=PHOENIX),
        time_zone="America/Phoenix",
        format=EventPage.Format.IN_PERSON,
        venue="Central Library",
        address="1221 N Central Ave, Phoenix, AZ",
        registration_url="https://register.example.org/summer",
    )
    response = client.get(f"{event.url}calendar/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert f'filename="{event.slug}.ics"' in response["Content-Disposition"]

    lines = unfolded_lines(response.content)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and any(line.startswith("PRODID:") for line in lines)
    assert f"UID:event-{event.pk}@localhost" in lines
    assert any(line.startswith("DTSTAMP:") and line.endswith("Z") for line in lines), "DTSTAMP is in UTC"
    assert "DTSTART;TZID=America/Phoenix:20270310T090000" in lines
    assert "DTEND;TZID=America/Phoenix:20270311T160000" in lines
    assert "TZID:America/Phoenix" in lines and "BEGIN:VTIMEZONE" in lines

    calendar = icalendar.Calendar.from_ical(response.content)
    (vevent,) = calendar.walk("VEVENT")
    assert vevent.start == datetime.datetime(2027, 3, 10, 16, tzinfo=datetime.UTC)
    assert vevent.end == datetime.datetime(2027, 3, 11, 23, tzinfo=datetime.UTC)
    assert str(vevent["SUMMARY"]) == event.title
    assert str(vevent["LOCATION"]) == "Central Library, 1221 N Central Ave, Phoenix, AZ"
    assert "Register: https://register.example.org/summer" in str(vevent["DESCRIPTION"])
    assert [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")] == ["America/Phoenix"]


def test_the_calendar_feed_has_every_event_once_with_one_timezone_each(client, events_index):
    events = [
        EventPageFactory(parent=events_index, starts_at=in_days(3, zone=PHOENIX), time_zone="America/Phoenix"),
        EventPageFactory(parent=events_index, starts_at=in_days(10), time_zone="America/New_York"),
        EventPageFactory(parent=events_index, starts_at=in_days(-20), time_zone="America/New_York"),
    ]
    EventPageFactory(parent=events_index, title="Draft", starts_at=in_days(5)).unpublish()

    response = client.get(f"{events_index.url}calendar/")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    unfolded_lines(response.content)
    calendar = icalendar.Calendar.from_ical(response.content)
    uids = [str(vevent["UID"]) for vevent in calendar.walk("VEVENT")]
    assert uids == [f"event-{event.pk}@localhost" for event in sorted(events, key=lambda event: event.starts_at)]
    assert sorted(str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")) == ["America/New_York", "America/Phoenix"]
    (new_york,) = (zone for zone in calendar.walk("VTIMEZONE") if zone["TZID"] == "America/New_York")
    assert len(new_york.walk("DAYLIGHT")) == 1 and len(new_york.to_ical()) < 1000, (
        "the zone's transitions around the events (2.7 KB of dates since 1970 before)"
    )
    assert f'href="{events_index.url}calendar/"' in client.get(events_index.url).content.decode()


def test_a_partnership_page_lists_its_upcoming_events(client, events_index):
    directory = DirectoryPageFactory(parent=events_index.get_parent())
    partnership = PartnershipPageFactory(parent=directory, title="Akron Learns")
    other = PartnershipPageFactory(parent=directory, title="Tulsa Reads")
    EventPageFactory(parent=events_index, title="Akron data walk", starts_at=in_days(4), partnerships=[partnership])
    EventPageFactory(parent=events_index, title="Akron last spring", starts_at=in_days(-90), partnerships=[partnership])
    EventPageFactory(parent=events_index, title="Tulsa roundtable", starts_at=in_days(4), partnerships=[other])

    html = client.get(partnership.url).content.decode()
    assert "Upcoming events" in html and "Akron data walk" in html
    assert "Akron last spring" not in html and "Tulsa roundtable" not in html
    assert "Upcoming events" not in client.get(DirectoryPageFactory._meta.model.objects.get().url).content.decode()


def test_the_digest_announces_the_events_of_the_next_two_weeks(events_index):
    blog = BlogIndexPageFactory(parent=events_index.get_parent())
    BlogPageFactory(
        parent=blog, title="What we learned in Phoenix", date=timezone.localdate()
    ).save_revision().publish()
    EventPageFactory(parent=events_index, title="Later", starts_at=in_days(20))
    EventPageFactory(parent=events_index, title="Over", starts_at=in_days(-2))
    EventPageFactory(
        parent=events_index, title="Soon", starts_at=in_days(2, hour=13, zone=PHOENIX), time_zone="America/Phoenix"
    )
    EventPageFactory(parent=events_index, title="In ten days", starts_at=in_days(10))

    issue = issue_build(since=timezone.now() - datetime.timedelta(days=7))
    events = [item for item in issue.items.all() if item.section == IssueItem.Section.EVENTS]
    assert [item.title for item in events] == ["Soon", "In ten days"]
    assert events[0].source.endswith("1:00 PM MST · Online") and events[0].url.startswith("http")

    html, text = IssueRenderer(issue).template()
    assert "Coming up" in html and "COMING UP" in text and "Soon" in text
    assert text.index("FROM THE NETWORK") < text.index("COMING UP")


def test_events_alone_make_no_issue(events_index):
    EventPageFactory(parent=events_index, title="Soon", starts_at=in_days(2))
    assert issue_build() is None
