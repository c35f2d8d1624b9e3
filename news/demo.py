"""Demo member news: sample feeds written to media storage (served by the demo site itself,
so `refresh_feeds` works offline) and loaded straight from those files."""

import datetime
from email.utils import format_datetime
from xml.sax.saxutils import escape

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.text import slugify

from network.models import PartnershipPage
from website.demo import navigation_link_put, upsert_page

from .models import FeedSource, NewsIndexPage
from .parsing import parse_feed
from .services import items_store

FEEDS = 14
# What member partnerships post on their own sites: (headline, summary). Each partnership
# gets its own stories; a few state or federal stories are carried by several partnerships,
# each linking its own write-up, so the news page shows them once with "also from".
STORIES = [
    (
        "Every elementary school now screens incoming kindergartners in the first month",
        "Teachers get each child's early literacy and numeracy picture by October instead of January, "
        "and families get a one-page summary in their home language.",
    ),
    (
        "Tutoring corps logs 10,000 hours before winter break",
        "Retired teachers and college students worked with 640 second and third graders twice a week; "
        "reading fluency checks come back in January.",
    ),
    (
        "Neighbourhood dashboard puts attendance and reading data on one map",
        "Principals, librarians and parent leaders can now see chronic absence and reading scores block by block.",
    ),
    (
        "College signing day fills the arena for first-generation students",
        "More than 1,100 seniors announced where they are headed next fall, 58 percent of them the first in "
        "their family to go to college.",
    ),
    (
        "Hospital system and utility pledge 120 paid internships for seniors",
        "Students will work six weeks next summer at a living wage, with a mentor and a guaranteed interview afterwards.",
    ),
    (
        "Annual community report card shows graduation up, math flat",
        "The partnership's seventh report card tracks all six outcomes; eighth-grade math is the one that did not move.",
    ),
    (
        "Pediatric clinics become the front door for pre-K enrolment",
        "Nurses now hand families a pre-K application at the four-year check-up and help fill it in on the spot.",
    ),
    (
        "Library cards for every kindergartner, delivered to the classroom",
        "The public library issued 3,400 cards in September and saw children's checkouts rise by a third.",
    ),
    (
        "Ninth-grade on-track rate reaches 84 percent",
        "Weekly early-warning meetings in every high school flagged students missing two classes or more, "
        "and counsellors called home the same day.",
    ),
    (
        "Community college waives application fees for local graduates",
        "The board's vote removes a $35 hurdle that staff say stopped hundreds of students each spring.",
    ),
    (
        "Parents trained as data coaches present findings to the school board",
        "Twelve parents spent the fall reading district data with staff and chose chronic absence as their first issue.",
    ),
    (
        "Summer bridge programme keeps admitted students from melting away",
        "Text reminders and near-peer mentors helped 91 percent of admitted seniors show up for fall classes.",
    ),
    (
        "Early-grade math coaches expand to twenty schools",
        "A two-year pilot in six schools closed half the gap in first-grade number sense; the district is scaling it.",
    ),
    (
        "Employers' table agrees on one job-readiness credential",
        "Forty employers will recognise the same certificate, so students no longer collect a different one for each.",
    ),
    (
        "Family resource centres open in three elementary schools",
        "Each centre offers food, clothing, benefits help and a quiet room for parent meetings, staffed by local nonprofits.",
    ),
    (
        "FAFSA completion nights draw record turnout",
        "Volunteers from banks and the university helped 780 families finish the form in October alone.",
    ),
    (
        "Attendance campaign cuts chronic absence by a fifth in its first year",
        "Home visits, a morning bus on the longest routes and a school-by-school competition did most of the work.",
    ),
    (
        "Middle-school students take algebra a year early under new policy",
        "Placement now follows test scores rather than teacher recommendation, and enrolment in eighth-grade algebra doubled.",
    ),
    (
        "Apprenticeship signing ceremony welcomes its largest class",
        "Sixty-two graduates start paid apprenticeships in advanced manufacturing, health care and IT this month.",
    ),
    (
        "School district and housing authority sign data-sharing agreement",
        "Caseworkers and counsellors will see the same attendance picture for students in public housing, with parents' consent.",
    ),
    (
        "Reading buddies pair fifth graders with kindergartners",
        "Teachers say the older students' own reading confidence grew as much as the younger ones' skills.",
    ),
    (
        "Graduation coaches follow seniors through their first college year",
        "Twenty coaches each carry a caseload of sixty students, checking in weekly through the first two semesters.",
    ),
    (
        "Pre-K teachers and kindergarten teachers meet for the first time",
        "A joint planning day aligned what children learn in the spring before school with what teachers expect in the fall.",
    ),
    (
        "Youth council presents its priorities to city hall",
        "Twenty high-school students asked for later bus service, more paid summer jobs and a say in the next report card.",
    ),
    (
        "Child-care providers join the partnership's early learning table",
        "Home-based providers, who care for a third of the county's infants and toddlers, now have two seats at the table.",
    ),
    (
        "Dual-enrolment credits double in two years",
        "High-school students earned 9,800 college credits last year, saving families an estimated $2.1 million in tuition.",
    ),
    (
        "Community survey asks families what gets in the way of school",
        "Transport, unstable housing and illness topped more than 4,000 answers; the results go to every principal.",
    ),
    (
        "Funders agree to report on the same three indicators",
        "Five local foundations will ask grantees for kindergarten readiness, attendance and credit accumulation, nothing else.",
    ),
    (
        "New welcome centre helps immigrant families enrol their children",
        "Interpreters in nine languages and same-day placement testing cut enrolment time from two weeks to one day.",
    ),
    (
        "Summer jobs programme places a thousand teenagers",
        "Employers, the city and the partnership shared wages for six-week placements in parks, clinics and offices.",
    ),
    (
        "Math night brings games home for families of first graders",
        "Each family left with a bag of board games and cards that practise counting, and a list of five-minute activities.",
    ),
    (
        "Transfer pathway lets college students move to the university without losing credits",
        "The two institutions agreed on twelve programme maps, so every course taken counts toward a bachelor's degree.",
    ),
    (
        "Backbone team publishes its first data-use playbook",
        "Thirty pages on how the partnership's action networks run improvement cycles, written with the people who run them.",
    ),
    (
        "Career exploration week brings 200 employers into middle schools",
        "Seventh graders tried welding simulators, triage drills and code, and wrote down three jobs they had never heard of.",
    ),
    (
        "Kindergarten readiness rises for the third year running",
        "Fifty-six percent of incoming kindergartners met all readiness benchmarks, up from 47 percent three years ago.",
    ),
    (
        "High schools add evening credit recovery for working students",
        "Classes from 5 to 8 pm let students who work afternoon shifts make up the credits they need to graduate on time.",
    ),
]
SHARED_STORIES = [
    (
        "State expands funding for community schools in next year's budget",
        "The legislature added $40 million for schools that partner with health, housing and family services; "
        "member partnerships in the state helped write the criteria.",
    ),
    (
        "Federal grant backs summer learning in twelve communities across the network",
        "The three-year grant pays for reading and math programmes next summer, and for an evaluation the whole network will share.",
    ),
]
# Which partnerships (by position in the feed list) carry each shared story.
SHARED_CARRIERS = {0: [0, 1, 2], 1: [5, 6, 7]}


def _feed_items(number, partnership, *, latest):
    """(guid, link, title, summary, published) for one partnership's sample feed."""
    shared = [story for story, carriers in SHARED_CARRIERS.items() if number in carriers]
    own_count = 3 - len(shared)
    first_own = sum(3 - sum(n in carriers for carriers in SHARED_CARRIERS.values()) for n in range(number))
    entries = []
    for offset, (title, summary) in enumerate(STORIES[first_own : first_own + own_count]):
        slug = slugify(title)[:60]
        link = f"https://{partnership.slug}.example.org/news/{slug}/"
        entries.append((link, link, title, summary, latest - datetime.timedelta(days=number % 5 + offset * 4)))
    for story in shared:
        title, summary = SHARED_STORIES[story]
        link = f"https://{partnership.slug}.example.org/news/{slugify(title)[:40]}/"
        entries.append((link, link, title, summary, latest - datetime.timedelta(days=1 + story, hours=number)))
    return entries


def _feed_xml(partnership, *, index, latest):
    items = [
        f"<item><guid>{escape(guid)}</guid><link>{escape(link)}</link><title>{escape(title)}</title>"
        f"<description>{escape(f'<p>{summary}</p>')}</description>"
        f"<pubDate>{format_datetime(published)}</pubDate></item>"
        for guid, link, title, summary, published in _feed_items(index, partnership, latest=latest)
    ]
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{escape(partnership.title)} news</title><link>https://{partnership.slug}.example.org/</link>"
        f"<description>News from {escape(partnership.title)}</description>{''.join(items)}</channel></rss>"
    ).encode()


def load(*, home_page, stdout):
    index = upsert_page(
        parent=home_page,
        page_class=NewsIndexPage,
        slug="news",
        title="Network news",
        introduction="What member partnerships are publishing on their own sites, gathered in one place.",
        listing_summary="The latest news from every member partnership.",
    )
    navigation_link_put(home_page=home_page, page=index, position=1)
    items = 0
    # Dated from the day before loading, so the demo's news is this week's news whenever it runs.
    latest = timezone.now().replace(minute=0, second=0, microsecond=0) - datetime.timedelta(days=1)
    for number, partnership in enumerate(PartnershipPage.objects.live().order_by("title")[:FEEDS]):
        path = f"demo-feeds/{partnership.slug}.xml"
        body = _feed_xml(partnership, index=number, latest=latest)
        if default_storage.exists(path):
            default_storage.delete(path)
        default_storage.save(path, ContentFile(body))
        url = f"{settings.BASE_URL}{settings.MEDIA_URL}{path}"
        source, _ = FeedSource.objects.update_or_create(
            partnership=partnership, defaults={"name": f"{partnership.title} news", "url": url}
        )
        if partnership.feed_url != url:
            partnership.feed_url = url
            partnership.save_revision().publish()
        new, _ = items_store(source=source, entries=parse_feed(body, url=url, content_type="application/rss+xml"))
        source.save()
        items += new
    stdout.write(f"  news: {FEEDS} member feeds, {items} new items")
