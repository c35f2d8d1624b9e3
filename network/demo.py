"""Demo network: a directory of 40 partnerships across 28 states and every stage."""

from decimal import Decimal

from django.utils.text import slugify

from taxonomy.models import Outcome
from website.demo import demo_image, home_section_put, navigation_link_put, upsert_page

from .models import DirectoryPage, PartnershipPage
from .services import partnership_editors_group_ensure

OUTCOME_NAMES = {
    "kindergarten-readiness": "Kindergarten readiness",
    "early-grade-reading": "Early-grade reading",
    "middle-grade-math": "Middle-grade math",
    "high-school-graduation": "High-school graduation",
    "postsecondary-enrolment": "Postsecondary enrolment",
    "postsecondary-completion": "Postsecondary completion",
    "employment": "Employment",
}
K, R, M, H, PE, PC, E = OUTCOME_NAMES

# name, city, state, latitude, longitude, stage, outcomes, anchor organisation, year joined
# fmt: off
PARTNERSHIPS = [
    ("Milwaukee Learns Together", "Milwaukee", "WI", "43.0389", "-87.9065", "systems-change", [K, R, H], "Greater Milwaukee Foundation", 2013),
    ("Phoenix Cradle to Career", "Phoenix", "AZ", "33.4484", "-112.0740", "sustaining", [K, R, PE], "Valley of the Sun United Way", 2014),
    ("Cincinnati Learning Partnership", "Cincinnati", "OH", "39.1031", "-84.5120", "proof-point", [K, R, M, H, PE, PC], "Community Learning Council", 2011),
    ("Albany Promise Partners", "Albany", "NY", "42.6526", "-73.7562", "systems-change", [K, R, PC], "University at Albany", 2013),
    ("Dayton Kids First", "Dayton", "OH", "39.7589", "-84.1916", "sustaining", [K, R], "Montgomery County Learning Council", 2012),
    ("Northern Kentucky Education Alliance", "Covington", "KY", "39.0837", "-84.5086", "sustaining", [K, M, H], "Northern Kentucky Chamber", 2012),
    ("Portland Metro Graduation Network", "Portland", "OR", "45.5152", "-122.6784", "systems-change", [H, PE, E], "Multnomah County Schools Council", 2012),
    ("Seattle South King Partnership", "Tukwila", "WA", "47.4740", "-122.2610", "sustaining", [K, R, PE], "Community Center for Education Results", 2013),
    ("Spokane Cradle to Career", "Spokane", "WA", "47.6588", "-117.4260", "emerging", [K, H], "Spokane Education Foundation", 2018),
    ("Salt Lake Promise", "Salt Lake City", "UT", "40.7608", "-111.8910", "sustaining", [K, R, M, PC], "United Way of Salt Lake", 2014),
    ("Tucson Learns", "Tucson", "AZ", "32.2226", "-110.9747", "emerging", [R, H], "Pima County Education Council", 2017),
    ("San Antonio Family Learning Network", "San Antonio", "TX", "29.4241", "-98.4936", "systems-change", [K, R, PE, PC], "San Antonio Area Foundation", 2013),
    ("Austin Area Success Partnership", "Austin", "TX", "30.2672", "-97.7431", "sustaining", [PE, PC, E], "Central Texas Education Council", 2014),
    ("Houston Gulf Coast Pathways", "Houston", "TX", "29.7604", "-95.3698", "emerging", [PE, PC, E], "Gulf Coast Workforce Alliance", 2019),
    ("Tulsa Early Learning Partnership", "Tulsa", "OK", "36.1540", "-95.9928", "sustaining", [K, R], "Tulsa Community Foundation", 2015),
    ("Memphis Shelby Graduation Alliance", "Memphis", "TN", "35.1495", "-90.0490", "emerging", [R, H, PE], "Shelby County Learning Council", 2018),
    ("Knoxville Ready by Five", "Knoxville", "TN", "35.9606", "-83.9207", "exploring", [K], "East Tennessee Children's Fund", 2023),
    ("Atlanta Learning Commons", "Atlanta", "GA", "33.7490", "-84.3880", "emerging", [K, R, M], "Metro Atlanta Education Partners", 2018),
    ("Jacksonville Cradle to Career", "Jacksonville", "FL", "30.3322", "-81.6557", "exploring", [R, H], "Northeast Florida Education Fund", 2022),
    ("Miami-Dade Pathways", "Miami", "FL", "25.7617", "-80.1918", "emerging", [PE, PC, E], "Miami College Access Network", 2019),
    ("Charlotte Mecklenburg Opportunity Partners", "Charlotte", "NC", "35.2271", "-80.8431", "sustaining", [K, R, PE, E], "Foundation for the Carolinas", 2015),
    ("Richmond Promise Network", "Richmond", "VA", "37.5407", "-77.4360", "emerging", [K, H], "Richmond Regional Education Council", 2019),
    ("Baltimore Reads", "Baltimore", "MD", "39.2904", "-76.6122", "exploring", [R], "Baltimore Community Partnership", 2024),
    ("Newark Education Compact", "Newark", "NJ", "40.7357", "-74.1724", "emerging", [H, PE], "Newark Trust for Education", 2020),
    ("Hartford Children's Cabinet", "Hartford", "CT", "41.7658", "-72.6734", "exploring", [K, R], "Hartford Foundation for Public Giving", 2022),
    ("Boston Area Success Network", "Boston", "MA", "42.3601", "-71.0589", "sustaining", [PE, PC], "Boston Opportunity Council", 2016),
    ("Buffalo Cradle to Career", "Buffalo", "NY", "42.8864", "-78.8784", "systems-change", [K, R, H, PE], "Say Yes Buffalo Council", 2013),
    ("Rochester Learning Alliance", "Rochester", "NY", "43.1566", "-77.6088", "sustaining", [K, R, M], "Rochester Area Community Foundation", 2014),
    ("Detroit Children's Network", "Detroit", "MI", "42.3314", "-83.0458", "emerging", [K, R, H], "Detroit Regional Education Alliance", 2019),
    ("Grand Rapids Kent Partnership", "Grand Rapids", "MI", "42.9634", "-85.6681", "exploring", [M, H], "Kent County Schools Council", 2023),
    ("Minneapolis Northside Achievement Zone", "Minneapolis", "MN", "44.9778", "-93.2650", "proof-point", [K, R, M, H], "Northside Family Council", 2012),
    ("St. Louis Graduates Network", "St. Louis", "MO", "38.6270", "-90.1994", "sustaining", [H, PE, PC], "St. Louis Regional Education Council", 2015),
    ("Kansas City Early Learning Partnership", "Kansas City", "MO", "39.0997", "-94.5786", "emerging", [K, R], "Kansas City Civic Council", 2020),
    ("Omaha Learning Community", "Omaha", "NE", "41.2565", "-95.9345", "exploring", [K, M], "Omaha Education Collaborative", 2024),
    ("Denver Metro Cradle to Career", "Denver", "CO", "39.7392", "-104.9903", "sustaining", [K, R, PE], "Mile High Education Council", 2015),
    ("Albuquerque Kids Count Partnership", "Albuquerque", "NM", "35.0844", "-106.6504", "exploring", [K, H], "Bernalillo County Education Partners", 2023),
    ("Oakland Learning Partnership", "Oakland", "CA", "37.8044", "-122.2712", "emerging", [R, H, PE], "East Bay Education Council", 2018),
    ("San Diego Pathways Partnership", "San Diego", "CA", "32.7157", "-117.1611", "sustaining", [PE, PC, E], "San Diego Education Council", 2016),
    ("Honolulu Keiki Partnership", "Honolulu", "HI", "21.3069", "-157.8583", "exploring", [K, R], "Hawaii Community Learning Fund", 2024),
    ("Anchorage Learns", "Anchorage", "AK", "61.2181", "-149.9003", "exploring", [K, H], "Anchorage Education Alliance", 2024),
]
# fmt: on

STAGE_SENTENCES = {
    "exploring": "The partnership is building its table of partners and agreeing on the outcomes it will share.",
    "emerging": "Partners have agreed on shared outcomes and publish a first community report card.",
    "sustaining": "Partners meet on the data every quarter and have aligned funding to what the data shows.",
    "systems-change": "Practices that worked are now policy across the district and its partners.",
    "proof-point": "Most shared outcomes have improved for several years, and gaps between groups are narrowing.",
}


def load(*, home_page, stdout):
    outcomes = {}
    for order, (slug, name) in enumerate(OUTCOME_NAMES.items()):
        outcomes[slug], _ = Outcome.objects.get_or_create(slug=slug, defaults={"name": name, "sort_order": order})

    directory = upsert_page(
        parent=home_page,
        page_class=DirectoryPage,
        slug="network",
        title="Network directory",
        introduction="Every member partnership of the network: where it works, how far along it is and "
        "which outcomes it is moving. Filter by state, region, stage or outcome.",
        listing_summary="Find a member partnership by place, stage or outcome.",
        listing_image=demo_image(title="The network directory", seed=20),
    )
    for index, (name, city, state, lat, lng, stage, outcome_slugs, anchor, year) in enumerate(PARTNERSHIPS):
        slug = slugify(name)
        names = [OUTCOME_NAMES[outcome].lower() for outcome in outcome_slugs]
        outcome_list = " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
        partnership = upsert_page(
            parent=directory,
            page_class=PartnershipPage,
            slug=slug,
            title=name,
            city=city,
            state=state,
            latitude=Decimal(lat),
            longitude=Decimal(lng),
            stage=stage,
            anchor_organisation=anchor,
            year_joined=year,
            website=f"https://{slug}.example.org/",
            feed_url="",
            contact_name="Partnership director",
            contact_email=f"director@{slug}.example.org",
            summary=f"A cradle-to-career partnership in {city} focused on {outcome_list}. {STAGE_SENTENCES[stage]}",
            logo=demo_image(title=f"{name} logo", seed=100 + index, size=(400, 400)),
            outcomes=[outcomes[outcome] for outcome in outcome_slugs],
            body=[
                (
                    "paragraph",
                    f"<p>{name} brings together schools, early-learning providers, colleges, "
                    f"employers and families in {city}. Its anchor organisation, {anchor}, convenes the "
                    f"partners and keeps the shared data.</p>",
                )
            ],
        )
        partnership_editors_group_ensure(partnership=partnership)
    featured = PartnershipPage.objects.child_of(directory).filter(stage__in=["proof-point", "systems-change"])[:3]
    home_section_put(
        home_page=home_page,
        block_type="featured_pages",
        position=1,
        value={
            "heading": "Featured partnerships",
            "intro": "Partnerships whose shared outcomes have moved, and what they changed to get there.",
            "pages": list(featured),
            "more_link": {"label": "Browse the whole network", "page": directory, "url": ""},
        },
    )
    navigation_link_put(home_page=home_page, page=directory, position=0)
    stdout.write(f"  network: directory with {len(PARTNERSHIPS)} partnerships")
