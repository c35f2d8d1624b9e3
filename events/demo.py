"""Demo convenings: some coming up (two within the next fortnight, so the digest has
them), some past, in person, online and both, in several time zones. Times are set
relative to today, so the demo never runs out of upcoming events."""

import datetime
import zoneinfo

from django.utils import timezone
from django.utils.text import slugify

from network.models import PartnershipPage
from taxonomy.models import Outcome
from website.demo import navigation_link_put, upsert_page

from .models import EventIndexPage, EventPage, EventPartnership

# title, summary, days from today, local start hour, hours, zone, format, venue, address, outcomes
EVENTS = [
    (
        "Data walk: reading the kindergarten readiness results together",
        "Partnership data leads walk through this autumn's readiness screening results and agree what to act on "
        "before spring.",
        5,
        13,
        1.5,
        "America/Chicago",
        EventPage.Format.ONLINE,
        "",
        "",
        ["kindergarten-readiness"],
    ),
    (
        "Regional convening: summer learning that lasts",
        "Two days with the library systems, districts and community centres that ran summer literacy camps: what "
        "kept attendance up and what the benchmark data show.",
        12,
        9,
        31,
        "America/Phoenix",
        EventPage.Format.HYBRID,
        "Burton Barr Central Library",
        "1221 N Central Ave, Phoenix, AZ 85004",
        ["early-grade-reading"],
    ),
    (
        "FAFSA completion night planning clinic",
        "Counsellors and college-access partners plan the spring completion nights: scripts, staffing, and the "
        "weekly completion data from the state.",
        40,
        16,
        1,
        "America/New_York",
        EventPage.Format.ONLINE,
        "",
        "",
        ["postsecondary-enrolment"],
    ),
    (
        "Network annual convening",
        "Three days of workshops, site visits and the network's awards, with every member partnership.",
        -30,
        8,
        56,
        "America/New_York",
        EventPage.Format.IN_PERSON,
        "Duke Energy Convention Center",
        "525 Elm St, Cincinnati, OH 45202",
        ["high-school-graduation", "postsecondary-completion"],
    ),
    (
        "Middle-grade math: what the tutoring pilots found",
        "Three partnerships share results from high-dosage tutoring pilots in grades six to eight.",
        -60,
        12,
        1,
        "America/Los_Angeles",
        EventPage.Format.ONLINE,
        "",
        "",
        ["middle-grade-math"],
    ),
    (
        "Employer roundtable on paid internships",
        "Employers and partnership staff on making paid internships reach students who need them most.",
        -90,
        10,
        2.5,
        "America/Chicago",
        EventPage.Format.IN_PERSON,
        "Milwaukee Public Library, Centennial Hall",
        "733 N 8th St, Milwaukee, WI 53233",
        ["employment"],
    ),
]


def load(*, home_page, stdout):
    index = upsert_page(
        parent=home_page,
        page_class=EventIndexPage,
        slug="events",
        title="Events",
        introduction="Convenings, data walks and webinars across the network: come and learn with other members.",
        listing_summary="Convenings and webinars across the network.",
    )
    partnerships = list(PartnershipPage.objects.live().order_by("pk"))
    outcomes = {outcome.slug: outcome for outcome in Outcome.objects.all()}
    today = timezone.localdate()
    for number, (title, summary, days, hour, hours, zone, format, venue, address, outcome_slugs) in enumerate(EVENTS):
        day = today + datetime.timedelta(days=days)
        starts_at = datetime.datetime(day.year, day.month, day.day, hour, tzinfo=zoneinfo.ZoneInfo(zone))
        upsert_page(
            parent=index,
            page_class=EventPage,
            slug=slugify(title)[:80],
            title=title,
            summary=summary,
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=hours),
            time_zone=zone,
            format=format,
            venue=venue,
            address=address,
            online_details=""
            if format == EventPage.Format.IN_PERSON
            else "Zoom: the link comes with your registration.",
            registration_url=f"https://events.example.org/register/demo-event-{number + 1}",
            body=[("paragraph", f"<p>{summary}</p>")],
            outcomes=[outcomes[slug] for slug in outcome_slugs if slug in outcomes],
            partnership_links=[
                EventPartnership(partnership=partnerships[(number * 5 + offset) % len(partnerships)])
                for offset in range(2)
            ]
            if partnerships
            else [],
        )
    navigation_link_put(home_page=home_page, page=index, position=4)
    stdout.write(f"  events: {len(EVENTS)} events")
