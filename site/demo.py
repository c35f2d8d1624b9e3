"""Demo content for the site-wide pages, and the helpers every app's demo loader uses.

Each app that brings demo content has a `demo.py` with `load(*, home_page, stdout)`;
`manage.py load_demo_data` runs them in INSTALLED_APPS order. Loaders must be
idempotent: they find content by slug or title and update it in place.
"""

import io
import random

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw

from .models import CustomImage, FooterSettings, NavigationSettings, StandardPage

PALETTES = [
    ("#0b5d6b", "#e6f1f3", "#c2410c"),
    ("#1d4ed8", "#eef2ff", "#f59e0b"),
    ("#166534", "#ecfdf5", "#b91c1c"),
    ("#6d28d9", "#f5f3ff", "#0e7490"),
    ("#9a3412", "#fff7ed", "#1e3a8a"),
]


def upsert_page(*, parent, page_class, slug, tags=None, **fields):
    """Create `slug` under `parent`, or update it in place, and publish it (with `tags`, in
    the same revision)."""
    page = page_class.objects.child_of(parent).filter(slug=slug).first()
    if page is None:
        page = page_class(slug=slug, **fields)
        parent.add_child(instance=page)
    else:
        for name, value in fields.items():
            setattr(page, name, value)
    if tags is not None:
        page.tags.set(tags)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def home_section_put(*, home_page, block_type, value, position=None):
    """Put a section on the demo home page, replacing one with the same heading."""
    sections = [
        (block.block_type, block.value)
        for block in home_page.body
        if not (block.block_type == block_type and block.value.get("heading") == value["heading"])
    ]
    sections.insert(len(sections) if position is None else position, (block_type, value))
    home_page.body = sections
    home_page.save_revision().publish()


def navigation_link_put(*, home_page, page, position):
    """Put a link to `page` in the demo site's main navigation, once."""
    navigation = NavigationSettings.for_site(home_page.get_site())
    links = [
        (block.block_type, block.value)
        for block in navigation.primary_links
        if not (block.value.get("page") and block.value["page"].pk == page.pk)
    ]
    links.insert(position, ("link", {"label": page.title, "page": page, "url": ""}))
    navigation.primary_links = links
    navigation.save()


def demo_image(*, title, seed, description="", size=(1600, 900)):
    """A generated illustration (a network of linked circles), created once per title."""
    image = CustomImage.objects.filter(title=title).first()
    if image:
        return image
    rng = random.Random(seed)
    ink, wash, accent = PALETTES[seed % len(PALETTES)]
    width, height = size
    canvas = PILImage.new("RGB", (width, height), wash)
    draw = ImageDraw.Draw(canvas)
    margin = min(width, height) // 10
    nodes = [(rng.randint(margin, width - margin), rng.randint(margin, height - margin)) for _ in range(14)]
    for index, (x, y) in enumerate(nodes):
        for other in rng.sample(nodes, 2):
            draw.line([(x, y), other], fill=ink, width=4)
        radius = rng.randint(margin // 4, margin * 3 // 4)
        draw.ellipse([x - radius, y - radius, x + radius, y + radius], fill=accent if index % 4 == 0 else ink)
    buffer = io.BytesIO()
    canvas.save(buffer, format="PNG")
    filename = f"demo-{seed}.png"
    return CustomImage.objects.create(title=title, description=description, file=ImageFile(buffer, name=filename))


ABOUT_BODY = [
    (
        "paragraph",
        "<p>Network Commons connects community partnerships that share one idea: every child "
        "should be supported from cradle to career, and no single program can do that alone. Each member "
        "partnership brings together school districts, colleges, employers, funders, service providers "
        "and families around a shared set of outcomes, and uses local data to decide what to do next.</p>",
    ),
    ("heading", {"text": "The outcomes we track together", "level": "h2"}),
    (
        "paragraph",
        "<ul><li>Kindergarten readiness</li><li>Early-grade reading (3rd grade)</li>"
        "<li>Middle-grade math (8th grade)</li><li>High-school graduation</li>"
        "<li>Postsecondary enrolment and completion</li><li>Employment</li></ul>",
    ),
    (
        "statistics",
        {
            "heading": "The network at a glance",
            "items": [
                {"figure": "6", "label": "shared cradle-to-career outcome areas", "source": ""},
                {"figure": "5", "label": "stages on the Theory of Action, from Exploring to Proof Point", "source": ""},
                {"figure": "Weekly", "label": "digest of member news and new practices", "source": ""},
            ],
        },
    ),
    ("heading", {"text": "How partnerships grow", "level": "h2"}),
    (
        "paragraph",
        "<p>The network's Theory of Action describes the stages a partnership moves through: "
        "<b>Exploring</b>, <b>Emerging</b>, <b>Sustaining</b>, <b>Systems Change</b> and <b>Proof Point</b>. "
        "Partnerships at every stage learn from each other's case studies, which is why this site exists.</p>",
    ),
    (
        "quote",
        {
            "quote": "The breakthrough was not a new program. It was agreeing on five numbers and "
            "looking at them together every quarter.",
            "attribution": "A founding partnership director",
            "role": "Cradle-to-career partnership",
        },
    ),
]

JOIN_BODY = [
    (
        "paragraph",
        "<p>Membership is open to place-based partnerships in the United States that commit to "
        "shared community-level outcomes, to disaggregating their data by race, ethnicity and income, and to "
        "learning in public with their peers.</p>",
    ),
    ("heading", {"text": "What members get", "level": "h2"}),
    (
        "paragraph",
        "<ul><li>A profile in the network directory, kept current by your own staff</li>"
        "<li>Your news in the weekly digest, drawn straight from your own site's feed</li>"
        "<li>The full library of practice case studies, and a place to publish your own</li>"
        "<li>Peer learning with partnerships a stage or two ahead of you</li></ul>",
    ),
    ("heading", {"text": "How to apply", "level": "h2"}),
    (
        "paragraph",
        "<p>Tell us about your partnership: the community you serve, your anchor organisation, "
        "the outcomes you have agreed on and how far along you are. A network staff member will set up a "
        "call within two weeks.</p>",
    ),
]

CONTACT_BODY = [
    (
        "paragraph",
        "<p>Questions about membership, the case-study library or the weekly digest? Write to "
        '<a href="mailto:hello@network-commons.example">hello@network-commons.example</a>. We answer within '
        "two working days.</p>",
    ),
    (
        "paragraph",
        "<p>Journalists can reach the communications team at "
        '<a href="mailto:press@network-commons.example">press@network-commons.example</a>.</p>',
    ),
]

DIGEST_BODY = [
    (
        "paragraph",
        "<p>Every Friday the network sends one short email: the week's posts from the network "
        "team, the best of our members' own news, and newly published practice case studies. It takes two "
        "minutes to read, and leaving takes one click.</p>",
    ),
]


def load(*, home_page, stdout):
    about = upsert_page(
        parent=home_page,
        page_class=StandardPage,
        slug="about",
        title="About the network",
        introduction="A national network of community partnerships working from cradle to career.",
        listing_summary="Who we are, the outcomes we track together and how partnerships grow.",
        listing_image=demo_image(title="Partners around one table", seed=11),
        body=ABOUT_BODY,
    )
    join = upsert_page(
        parent=home_page,
        page_class=StandardPage,
        slug="join",
        title="Join the network",
        introduction="For partnerships ready to commit to shared outcomes and shared data.",
        listing_summary="What membership asks of a partnership, what it offers and how to apply.",
        listing_image=demo_image(title="A community map", seed=12),
        body=JOIN_BODY,
    )
    contact = upsert_page(
        parent=home_page,
        page_class=StandardPage,
        slug="contact",
        title="Contact",
        introduction="How to reach the network team.",
        listing_summary="Membership, the case-study library, the digest and press enquiries.",
        body=CONTACT_BODY,
    )
    digest = upsert_page(
        parent=home_page,
        page_class=StandardPage,
        slug="digest",
        title="The weekly digest",
        introduction="The network's week in one email.",
        listing_summary="Posts, member news and new practices, every Friday.",
        listing_image=demo_image(title="Weekly digest", seed=13),
        body=DIGEST_BODY,
    )

    home_page.hero_image = demo_image(title="The network, linked", seed=10)
    home_page.hero_links = [
        ("link", {"label": "About the network", "page": about, "url": ""}),
        ("link", {"label": "Join the network", "page": join, "url": ""}),
    ]
    home_page.body = [
        (
            "statistics",
            {
                "heading": "One network, shared outcomes",
                "items": [
                    {"figure": "Cradle", "label": "to career: kindergarten readiness through employment", "source": ""},
                    {
                        "figure": "Data",
                        "label": "disaggregated by race, ethnicity and income, shared in public",
                        "source": "",
                    },
                    {"figure": "Peers", "label": "partnerships learning from each other's practice", "source": ""},
                ],
            },
        ),
        (
            "featured_pages",
            {"heading": "Get to know the network", "intro": "", "pages": [about, join, digest], "more_link": {}},
        ),
        (
            "call_to_action",
            {
                "heading": "Is your community working cradle to career?",
                "text": "Partnerships at every stage join the network to learn from peers a step or two ahead.",
                "link": {"label": "How to join", "page": join, "url": ""},
            },
        ),
    ]
    home_page.save_revision().publish()

    site = home_page.get_site()
    navigation = NavigationSettings.for_site(site)
    navigation.primary_links = [
        ("link", {"label": page.title, "page": page, "url": ""}) for page in (about, join, contact)
    ]
    navigation.save()
    footer = FooterSettings.for_site(site)
    footer.about = "<p>A national network of cradle-to-career community partnerships.</p>"
    footer.links = [("link", {"label": page.title, "page": page, "url": ""}) for page in (about, join, digest, contact)]
    footer.contact_email = "hello@network-commons.example"
    footer.postal_address = "100 Main Street\nCincinnati, OH 45202"
    footer.save()
    stdout.write("  site: home, about, join, contact and digest pages; navigation and footer")
