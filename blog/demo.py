"""Demo blog: 26 posts, two series ("Network in the News", "Practice Spotlight"), four authors."""

import datetime

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
    ),
    (
        "Summer reading that families actually use",
        "Early learning",
        "Library cards, text reminders and books that children chose themselves doubled participation.",
    ),
    (
        "Closing the FAFSA gap, one school at a time",
        "Postsecondary",
        "Counsellors tracked completion weekly and turned it into a friendly competition between high schools.",
    ),
    (
        "Turning a community report card into a policy agenda",
        "Policy",
        "When the numbers went public, the school board asked for a plan, and the partnership had one ready.",
    ),
    (
        "Continuous improvement cycles for early-grade math",
        "Data use",
        "Teachers ran two-week tests of small changes, and kept the ones the data supported.",
    ),
    (
        "Pre-K enrolment outreach through pediatric clinics",
        "Early learning",
        "Clinics became the front door for pre-kindergarten sign-ups in neighbourhoods schools had not reached.",
    ),
    (
        "Aligning funders behind a shared outcome",
        "Policy",
        "Five funders agreed to report against the same three indicators, and their grants followed.",
    ),
    (
        "Bridging the summer between high school and college",
        "Postsecondary",
        "Text-message nudges and near-peer mentors kept admitted students from 'melting' before fall.",
    ),
]

STANDALONE = [
    ("What we learned from a year of peer visits", "Latest"),
    ("Five questions to ask before you disaggregate your data", "Data use"),
    ("Welcoming new members to the network", "Latest"),
    ("Why early-grade reading is still our bellwether", "Early learning"),
    ("Reading the new state accountability rules", "Policy"),
    ("A practical guide to community data walks", "Data use"),
    ("Apprenticeships as a postsecondary pathway", "Postsecondary"),
    ("Notes from the network's annual convening", "Latest"),
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
    latest_date = datetime.date(2026, 11, 20)
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
            title=f"Network in the News: {date:%B} {date.day}, {date.year}",
            date=date,
            summary="This week's headlines from member partnerships, in their own words.",
            series=in_the_news,
            authors=[people[0]],
            categories=[categories["Latest"]],
            tags=["news"],
            partnerships=featured,
            image_seed=400 + week,
            body=[("paragraph", "<p>A round-up of the week's news from across the network.</p>"), roundup],
        )
        count += 1

    for number, (title, category, summary) in enumerate(SPOTLIGHTS):
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
                        "items": [
                            {
                                "figure": f"{12 + number}%",
                                "label": "improvement on the partnership's lead indicator",
                                "source": "Partnership data",
                            }
                        ],
                    },
                ),
                (
                    "quote",
                    {
                        "quote": "We changed one thing at a time and looked at the data every two weeks.",
                        "attribution": "Partnership staff member",
                        "role": featured[0].title if featured else "",
                    },
                ),
            ],
        )
        count += 1

    for number, (title, category) in enumerate(STANDALONE):
        date = latest_date - datetime.timedelta(weeks=number * 3, days=4)
        _post(
            parent=blog,
            title=title,
            date=date,
            series=None,
            authors=[people[number % len(people)]],
            summary=f"{title}: notes from the network team.",
            categories=[categories[category]],
            tags=[slugify(category)],
            partnerships=[],
            image_seed=600 + number,
            body=[
                (
                    "paragraph",
                    f"<p>{title}. The network team shares what we heard from members this season, "
                    "and what we will do differently next year.</p>",
                )
            ],
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


def _post(*, parent, title, date, summary, series, authors, categories, tags, partnerships, image_seed, body):
    post = upsert_page(
        parent=parent,
        page_class=BlogPage,
        slug=slugify(title)[:80],
        title=title,
        date=date,
        summary=summary,
        series=series,
        body=body,
        authors=authors,
        categories=categories,
        partnership_links=[BlogPagePartnership(partnership=partnership) for partnership in partnerships],
        listing_image=demo_image(title=f"Illustration: {title}", seed=image_seed, size=(960, 540)),
    )
    post.tags.set(tags)
    post.save_revision().publish()
    return post
