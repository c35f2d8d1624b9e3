"""Demo blog: 26 posts, two series ("Network in the News", "Practice Spotlight"), four authors."""

import datetime

from django.utils import timezone
from django.utils.text import slugify

from network.models import PartnershipPage
from news.models import NewsItem
from website.demo import demo_image, home_section_put, navigation_link_put, upsert_page

from .models import BlogCategory, BlogIndexPage, BlogPage, BlogPagePartnership, Person, Series

PEOPLE = [
    (
        "Renee Walker",
        "Director of communications",
        "Network Commons",
        "<p>Renee edits the network's blog and the weekly digest.</p>",
    ),
    (
        "Marcus Ortega",
        "Data and continuous improvement lead",
        "Network Commons",
        "<p>Marcus supports partnerships in building and using shared data systems.</p>",
    ),
    (
        "Priya Natarajan",
        "Early learning program officer",
        "Network Commons",
        "<p>Priya works with partnerships on kindergarten readiness and early-grade reading.</p>",
    ),
    (
        "Jordan Ellis",
        "Partnership director (guest author)",
        "Dayton Kids First",
        "<p>Jordan leads a partnership in its second decade of shared work.</p>",
    ),
]
CATEGORIES = ["Latest", "Data use", "Early learning", "Postsecondary", "Policy"]

NEWS_HEADLINES = [
    ("{city} partners report gains in kindergarten readiness", "kindergarten-readiness"),
    ("Third-grade reading rises for a third straight year in {city}", "early-grade-reading"),
    ("{city} graduation rate reaches a ten-year high", "high-school-graduation"),
    ("College enrolment campaign in {city} signs up its first cohort", "postsecondary-enrolment"),
    ("Employers in {city} join the partnership's apprenticeship table", "employment"),
    ("{city} publishes its annual community report card", None),
]

SPOTLIGHTS = [
    (
        "How one partnership built a data-sharing agreement in six months",
        "Data use",
        "Three school districts, a community college and the county agreed on what to share and how to protect it.",
        ("6 months", "from first meeting to a signed agreement among five institutions"),
        "We stopped arguing about the template and started with the three questions we wanted answered.",
    ),
    (
        "Summer reading that families actually use",
        "Early learning",
        "Library cards, text reminders and books that children chose themselves doubled participation.",
        ("2x", "summer reading participation compared with the year before"),
        "The books came home in the children's own backpacks, picked by them. That was the whole trick.",
    ),
    (
        "Closing the FAFSA gap, one school at a time",
        "Postsecondary",
        "Counsellors tracked completion weekly and turned it into a friendly competition between high schools.",
        ("+14 pts", "FAFSA completion among seniors in one year"),
        "A weekly leaderboard did more than any assembly. Nobody wanted to be last on the list.",
    ),
    (
        "Turning a community report card into a policy agenda",
        "Policy",
        "When the numbers went public, the school board asked for a plan, and the partnership had one ready.",
        ("3", "board policies changed within a year of the report card"),
        "Publishing the numbers was the easy part. Having the next step written down was what mattered.",
    ),
    (
        "Continuous improvement cycles for early-grade math",
        "Data use",
        "Teachers ran two-week tests of small changes, and kept the ones the data supported.",
        ("11%", "more first graders meeting the number-sense benchmark"),
        "We changed one thing at a time and looked at the results every two weeks, together.",
    ),
    (
        "Pre-K enrolment outreach through pediatric clinics",
        "Early learning",
        "Clinics became the front door for pre-kindergarten sign-ups in neighbourhoods schools had not reached.",
        ("420", "pre-K applications started in clinic waiting rooms"),
        "Parents trust their child's nurse. Asking at the four-year check-up just made sense.",
    ),
    (
        "Aligning funders behind a shared outcome",
        "Policy",
        "Five funders agreed to report against the same three indicators, and their grants followed.",
        ("5", "funders reporting on the same three indicators"),
        "Our grantees used to fill in five different forms. Now they fill in one, and we read the same numbers.",
    ),
    (
        "Bridging the summer between high school and college",
        "Postsecondary",
        "Text-message nudges and near-peer mentors kept admitted students from 'melting' before fall.",
        ("91%", "of admitted seniors enrolled in the fall"),
        "A text from someone two years older who had done it last summer beat any letter from the college.",
    ),
]

# (title, category, summary, body paragraphs)
STANDALONE = [
    (
        "What we learned from a year of peer visits",
        "Latest",
        "Twenty-two partnerships hosted each other this year. The visits that changed practice had one thing in common.",
        [
            "Peer visits are the network's oldest habit: a team from one partnership spends two days with another, "
            "sits in on its action networks and goes home with one thing to try.",
            "This year we asked every visiting team what they tried afterwards. The visits that led somewhere all "
            "paired people with the same job: data lead with data lead, principal with principal.",
        ],
    ),
    (
        "Five questions to ask before you disaggregate your data",
        "Data use",
        "Breaking results down by race, income or neighbourhood shows gaps, but only if the groups are big enough to mean something.",
        [
            "Who is in each group, and how many? Below thirty students, a single year's swing is mostly noise.",
            "Who will see the numbers first? Share the breakdown with the schools and families it describes before it goes public.",
            "What will you do differently when a gap appears? If the answer is nothing yet, start there.",
        ],
    ),
    (
        "Welcoming new members to the network",
        "Latest",
        "Four partnerships joined this autumn, from a rural county in Kentucky to a coastal city in Texas.",
        [
            "Each new member starts in the Exploring stage with a peer partnership a step or two ahead, "
            "which hosts its first visit and answers the questions nobody likes to ask in a plenary.",
            "You will find them in the directory, and their news will appear on the network news page as their feeds come online.",
        ],
    ),
    (
        "Why early-grade reading is still our bellwether",
        "Early learning",
        "Third-grade reading predicts so much of what follows that it remains the first number we look at.",
        [
            "Students who read well by the end of third grade are far more likely to graduate on time, and the gap "
            "is widest for children growing up in poverty.",
            "That is why most member partnerships track it, and why a third of the practice library is about what happens before age nine.",
        ],
    ),
    (
        "Reading the new state accountability rules",
        "Policy",
        "Several states rewrote how they rate schools this year. Here is what changes for partnerships that use the same data.",
        [
            "Chronic absence now counts toward school ratings in most of the states where our members work, "
            "which makes attendance data easier to get and harder to ignore.",
            "Growth measures replace some proficiency targets, a change that rewards the improvement work many partnerships already do.",
        ],
    ),
    (
        "A practical guide to community data walks",
        "Data use",
        "Put the charts on the wall, invite the people they describe, and listen before you explain.",
        [
            "A data walk is a gallery of a few large charts that residents, parents and staff walk through in small "
            "groups, writing what they notice and what surprises them.",
            "Keep it to six charts, translate them, and have someone from the neighbourhood lead each group. "
            "The questions people write down are your agenda for the next action network.",
        ],
    ),
    (
        "Apprenticeships as a postsecondary pathway",
        "Postsecondary",
        "Paid apprenticeships count as postsecondary success, and more partnerships now track them alongside college enrolment.",
        [
            "When a partnership counts only college enrolment, graduates who start an apprenticeship look like a failure in the data.",
            "Three members changed their definition this year and found that apprenticeships closed a fifth of their postsecondary gap.",
        ],
    ),
    (
        "Notes from the network's annual convening",
        "Latest",
        "Four hundred people, sixty sessions and one recurring question: how do we keep families at the table?",
        [
            "The convening's best-attended session was not about data systems or funding: it was a panel of parents "
            "who sit on their partnership's leadership table.",
            "Their advice: pay people for their time, meet in the evening, and send the agenda in advance in every language spoken in the room.",
        ],
    ),
]

# One line per week of "Network in the News": what the week's round-up leads with.
IN_THE_NEWS_INTROS = [
    "Graduation records, a new apprenticeship class and a state budget win for community schools.",
    "Kindergarten screening goes district-wide, and a hospital system pledges summer internships.",
    "A neighbourhood data dashboard, library cards for every kindergartner and a FAFSA record.",
    "Ninth graders on track, community college fees waived and parents presenting to the school board.",
    "Summer bridge results, early math coaching at scale and employers agreeing on one credential.",
    "Family resource centres open, chronic absence falls and middle schoolers take algebra early.",
    "A data-sharing agreement with the housing authority, reading buddies and graduation coaches.",
    "Pre-K and kindergarten teachers plan together, and a youth council takes its priorities to city hall.",
    "Child-care providers join the early learning table, and dual-enrolment credits double.",
    "A family survey on what keeps children from school, and funders agreeing on three indicators.",
]


def load(*, home_page, stdout):
    people = []
    for index, (name, role, organisation, bio) in enumerate(PEOPLE):
        person, _ = Person.objects.update_or_create(
            slug=slugify(name),
            defaults={
                "name": name,
                "role": role,
                "organisation": organisation,
                "bio": bio,
                "photo": demo_image(title=f"Portrait of {name}", seed=300 + index, size=(300, 300)),
            },
        )
        people.append(person)
    categories = {
        name: BlogCategory.objects.update_or_create(slug=slugify(name), defaults={"name": name})[0]
        for name in CATEGORIES
    }
    in_the_news, _ = Series.objects.update_or_create(
        slug="network-in-the-news",
        defaults={
            "name": "Network in the News",
            "description": "Each week, what member partnerships and their communities made news for.",
        },
    )
    spotlight, _ = Series.objects.update_or_create(
        slug="practice-spotlight",
        defaults={
            "name": "Practice Spotlight",
            "description": "One practice a member partnership changed, what it took and what moved.",
        },
    )

    blog = upsert_page(
        parent=home_page,
        page_class=BlogIndexPage,
        slug="blog",
        title="Network blog",
        introduction="Stories, series and practice notes from the network team and our members.",
        listing_summary="Stories, series and practice notes from across the network.",
        listing_image=demo_image(title="Network blog", seed=30),
    )
    partnerships = list(PartnershipPage.objects.live().order_by("title"))
    # Dated from the loading day, so "Latest" is recent whenever the demo runs; slugs stay
    # the same, so loading again updates the same posts.
    latest_date = timezone.localdate() - datetime.timedelta(days=3)
    count = 0

    for week in range(10):
        date = latest_date - datetime.timedelta(weeks=week)
        featured = (
            [partnerships[(week * 3 + offset) % len(partnerships)] for offset in range(3)] if partnerships else []
        )
        news_items = list(
            NewsItem.objects.filter(source__partnership__in=featured, is_hidden=False)
            .select_related("source__partnership")
            .order_by("-published_at")[:4]
        )
        if news_items:
            roundup = ("member_news", {"heading": "From the members", "items": news_items})
        else:  # the demo's member news not loaded: the same round-up, typed
            roundup = (
                "paragraph",
                "<ul>"
                + "".join(
                    f'<li><a href="{partnership.url}">{partnership.title}</a>: '
                    f"{NEWS_HEADLINES[(week + offset) % len(NEWS_HEADLINES)][0].format(city=partnership.city)}.</li>"
                    for offset, partnership in enumerate(featured)
                )
                + "</ul>",
            )
        _post(
            parent=blog,
            slug=f"network-in-the-news-{10 - week}",
            title=f"Network in the News: {date:%B} {date.day}, {date.year}",
            date=date,
            summary=IN_THE_NEWS_INTROS[week],
            series=in_the_news,
            authors=[people[0]],
            categories=[categories["Latest"]],
            tags=["news"],
            partnerships=featured,
            image_seed=400 + week,
            body=[
                (
                    "paragraph",
                    f"<p>{IN_THE_NEWS_INTROS[week]} Here is what "
                    + ", ".join(partnership.title for partnership in featured)
                    + " published this week.</p>",
                ),
                roundup,
            ],
        )
        count += 1

    for number, (title, category, summary, (figure, label), quote) in enumerate(SPOTLIGHTS):
        date = latest_date - datetime.timedelta(weeks=number * 2, days=2)
        featured = [partnerships[(number * 5) % len(partnerships)]] if partnerships else []
        _post(
            parent=blog,
            title=title,
            date=date,
            summary=summary,
            series=spotlight,
            authors=[people[1 + number % 3]],
            categories=[categories[category]],
            tags=["practice", slugify(category)],
            partnerships=featured,
            image_seed=500 + number,
            body=[
                ("paragraph", f"<p>{summary}</p>"),
                (
                    "statistics",
                    {
                        "heading": "What moved",
                        "items": [{"figure": figure, "label": label, "source": "Partnership data"}],
                    },
                ),
                (
                    "quote",
                    {
                        "quote": quote,
                        "attribution": "Partnership staff member",
                        "role": featured[0].title if featured else "",
                    },
                ),
            ],
        )
        count += 1

    for number, (title, category, summary, paragraphs) in enumerate(STANDALONE):
        date = latest_date - datetime.timedelta(weeks=number * 3, days=4)
        _post(
            parent=blog,
            title=title,
            date=date,
            series=None,
            authors=[people[number % len(people)]],
            summary=summary,
            categories=[categories[category]],
            tags=[slugify(category)],
            partnerships=[],
            image_seed=600 + number,
            body=[("paragraph", "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs))],
        )
        count += 1

    home_section_put(
        home_page=home_page,
        block_type="latest_pages",
        position=1,
        value={
            "heading": "Latest from the network",
            "index_page": blog,
            "count": 3,
        },
    )
    navigation_link_put(home_page=home_page, page=blog, position=1)
    stdout.write(f"  blog: {count} posts in 2 series by {len(people)} authors")


def _post(
    *, parent, title, date, slug=None, summary, series, authors, categories, tags, partnerships, image_seed, body
):
    post = upsert_page(
        parent=parent,
        page_class=BlogPage,
        slug=slug or slugify(title)[:80],
        title=title,
        date=date,
        summary=summary,
        series=series,
        body=body,
        authors=authors,
        categories=categories,
        partnership_links=[BlogPagePartnership(partnership=partnership) for partnership in partnerships],
        listing_image=demo_image(title=f"Illustration: {title}", seed=image_seed, size=(960, 540)),
        tags=tags,
    )
    return post
