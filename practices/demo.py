"""Demo practice library: 32 case studies (16 practices, each as two partnerships tell it)
spread across every topic, outcome area, stage and many states and years."""

from django.utils.text import slugify

from network.models import PartnershipPage
from taxonomy.models import Outcome, Topic
from website.demo import home_section_put, navigation_link_put, upsert_page

from .models import CaseStudyIndexPage, CaseStudyPage, CaseStudyPartnership, EvidenceLevel

TOPIC_NAMES = {
    "data-use": "Data use and continuous improvement",
    "equity": "Equity",
    "policy-advocacy": "Policy and advocacy",
    "community-engagement": "Community engagement",
    "capacity-budgets": "Capacity and budgets",
    "early-childhood": "Early childhood",
    "k12": "K-12 partnerships",
    "postsecondary": "Postsecondary",
    "workforce": "Workforce and careers",
}

# title (with {city}), summary, two paragraphs, results, topics, outcomes
PRACTICES = [
    (
        "Kindergarten readiness screening in every {city} pre-K classroom",
        "Teachers in {city} used one short readiness screener in every public and community pre-K classroom, "
        "then met monthly to act on the results.",
        [
            "Before the partnership, each provider used its own checklist and nobody could say how many four-year-olds "
            "were on track. Providers agreed on a single fifteen-minute screener given each autumn and spring.",
            "A shared coaching team turned the autumn results into classroom plans for language, early math and "
            "social-emotional skills. Families received a one-page summary with activities to try at home.",
        ],
        [
            ("+11 points", "children assessed as kindergarten ready", "State kindergarten entry assessment"),
            ("94%", "of pre-K classrooms using the common screener", "Partnership records"),
        ],
        ["early-childhood", "data-use"],
        ["kindergarten-readiness"],
    ),
    (
        "Summer reading that closed the third-grade gap in {city}",
        "A six-week summer literacy programme run with the public library kept rising third graders reading over "
        "the summer instead of sliding back.",
        [
            "The partnership's data showed most of the reading gap opened during summer holidays. The library, the "
            "district and two community centres ran a free literacy camp with certified teachers and daily book choice.",
            "Attendance was tracked weekly and coaches called families after two missed days. Every child went home "
            "with ten books chosen by the child.",
        ],
        [
            ("-40%", "summer reading loss among participants", "District benchmark assessments"),
            ("1,850", "students enrolled over three summers", "Programme attendance data"),
        ],
        ["k12", "community-engagement"],
        ["early-grade-reading"],
    ),
    (
        "A data-sharing agreement between schools and agencies in {city}",
        "The school district, county human services and the housing authority signed one data-sharing agreement so "
        "caseworkers and counsellors could see the same picture of a student.",
        [
            "Legal teams had blocked shared data for years. The partnership drafted a single memorandum of understanding "
            "with a privacy officer, a data governance board and a clear list of what each agency may see.",
            "Integrated records now flag students who change schools because of housing moves, so support follows them. "
            "The agreement template has since been reused by three other counties.",
        ],
        [
            ("3", "agencies sharing student-level data under one agreement", "Data governance board"),
            (
                "2 weeks",
                "to connect a newly housed family with school supports, down from 3 months",
                "County human services",
            ),
        ],
        ["data-use", "policy-advocacy"],
        ["high-school-graduation"],
    ),
    (
        "Middle-grade math acceleration instead of remediation in {city}",
        "{city} schools replaced pull-out remedial math with grade-level acceleration and double-dose tutoring for "
        "sixth and seventh graders.",
        [
            "Students placed in remedial math rarely caught up. Teachers switched to teaching grade-level content to all "
            "students with a second daily period of small-group tutoring for those who needed it.",
            "Tutors were trained college students paid through a work-study agreement, and the partnership's data team "
            "reported progress every six weeks.",
        ],
        [
            ("+18%", "students proficient in eighth-grade math", "State assessment"),
            ("2x", "algebra enrolment in eighth grade among Black and Latino students", "District course records"),
        ],
        ["k12", "equity"],
        ["middle-grade-math"],
    ),
    (
        "An early-warning system that kept {city} ninth graders on track",
        "Weekly attendance, behaviour and course-failure data gave ninth-grade teams an early warning of students "
        "drifting off track to graduate.",
        [
            "Ninth grade is where most dropouts begin. Each high school formed a freshman success team that met weekly "
            "with a simple dashboard of absences, failing grades and suspensions.",
            "Every flagged student was matched with an adult mentor within a week. The partnership trained teams in "
            "continuous improvement cycles to test what worked.",
        ],
        [
            ("+9 points", "ninth graders on track to graduate", "District on-track indicator"),
            ("86%", "four-year graduation rate, up from 77%", "State graduation data"),
        ],
        ["data-use", "k12"],
        ["high-school-graduation"],
    ),
    (
        "Free FAFSA completion nights that lifted college enrolment in {city}",
        "Counsellors, college volunteers and banks ran evening FAFSA completion events in every high school, with "
        "interpreters and child care.",
        [
            "Many families missed out on financial aid because the form was confusing. The partnership set a shared "
            "FAFSA completion goal and published school-by-school completion rates weekly.",
            "Events were held in the evening with Spanish and Somali interpreters, food and child care. Seniors who "
            "completed the form were entered into a scholarship draw.",
        ],
        [
            ("+14 points", "FAFSA completion among seniors", "Federal Student Aid data"),
            ("+6 points", "immediate college enrolment", "National Student Clearinghouse"),
        ],
        ["postsecondary", "community-engagement"],
        ["postsecondary-enrolment"],
    ),
    (
        "Completion coaches for first-generation students from {city}",
        "Near-peer coaches stayed with first-generation students through their first two years at the local "
        "community college and university.",
        [
            "Enrolment had risen but too many students left college in the first year. The partnership funded completion "
            "coaches who had themselves been first-generation students.",
            "Coaches met students monthly, helped with financial holds and course registration, and referred them to "
            "emergency grants when a car repair or rent increase threatened to end their studies.",
        ],
        [
            ("+12 points", "second-year persistence for coached students", "College institutional research"),
            ("$310,000", "in emergency grants that kept students enrolled", "Partnership fund records"),
        ],
        ["postsecondary", "equity"],
        ["postsecondary-completion"],
    ),
    (
        "Paid internships and career pathways with {city} employers",
        "Forty employers committed to paid summer internships tied to high-school career pathways in health care, "
        "manufacturing and technology.",
        [
            "Employers said they could not find local talent while young people could not find their first job. The "
            "chamber of commerce recruited employers to a shared internship pledge.",
            "Schools aligned career pathway courses with industry credentials, and every intern had a workplace mentor "
            "and a wage of at least fifteen dollars an hour.",
        ],
        [
            ("620", "paid internships in the first two years", "Chamber of commerce"),
            ("71%", "of interns employed or enrolled a year later", "Partnership follow-up survey"),
        ],
        ["workforce", "postsecondary"],
        ["employment"],
    ),
    (
        "Changing state policy on pre-K funding: the {city} campaign",
        "The partnership used local outcome data and parent testimony to win a state funding formula for high-quality "
        "pre-K.",
        [
            "Local pre-K results were strong but funding came from one-year grants. The partnership built a coalition of "
            "parents, business leaders and school boards to make the case to legislators.",
            "Its policy brief compared kindergarten readiness for children with and without pre-K and priced a "
            "statewide programme. Parents testified at every committee hearing.",
        ],
        [
            ("$42 million", "in new recurring state pre-K funding", "State budget"),
            ("3,400", "additional pre-K seats statewide", "State education department"),
        ],
        ["policy-advocacy", "early-childhood"],
        ["kindergarten-readiness"],
    ),
    (
        "Community listening sessions that reshaped {city}'s priorities",
        "Before setting new goals, the partnership held listening sessions with parents and students in every "
        "neighbourhood and changed its plan because of what it heard.",
        [
            "The partnership's first plan had been written by institutional leaders. This time it paid parent "
            "ambassadors to host listening sessions in homes, churches and barbershops.",
            "Families named transport and mental health as barriers the plan had missed. Both became action network "
            "priorities with parents as co-chairs.",
        ],
        [
            ("1,200", "residents heard in 48 listening sessions", "Partnership records"),
            ("50%", "of action network co-chairs are parents or students", "Partnership governance"),
        ],
        ["community-engagement", "equity"],
        ["high-school-graduation", "early-grade-reading"],
    ),
    (
        "Braiding public and private funds to sustain {city}'s backbone",
        "The partnership moved from one foundation grant to a braided budget of public, private and philanthropic "
        "funding for its backbone staff.",
        [
            "When the founding grant ended, the partnership risked losing its data and facilitation staff. Leaders built "
            "a budget in which the city, the county, the district and employers each paid a share.",
            "Each funder's contribution was tied to an outcome it cared about, reported in an annual community report "
            "card.",
        ],
        [
            ("6", "funders sharing the backbone budget", "Partnership financial statements"),
            ("3 years", "of secured operating funding", "Partnership board"),
        ],
        ["capacity-budgets", "policy-advocacy"],
        ["employment"],
    ),
    (
        "Chronic absence cut in half with family outreach in {city}",
        "Schools and community partners cut chronic absence with home visits, text reminders and a walking school bus.",
        [
            "One in four elementary students missed more than ten percent of the school year. Attendance teams looked "
            "at the reasons family by family instead of sending warning letters.",
            "Community health workers made home visits, a walking school bus covered the busiest routes and families "
            "received friendly text reminders.",
        ],
        [
            ("-50%", "chronic absence in participating elementary schools", "District attendance data"),
            ("+7 points", "third-grade reading proficiency in those schools", "State assessment"),
        ],
        ["community-engagement", "k12"],
        ["early-grade-reading"],
    ),
    (
        "Equity audit of advanced coursework in {city} high schools",
        "An equity audit showed who was left out of advanced courses; automatic enrolment closed most of the gap.",
        [
            "Students of colour and low-income students were under-represented in Advanced Placement and dual-enrolment "
            "courses even when their grades qualified them.",
            "Schools switched to automatic enrolment for every qualified student with an opt-out, and added summer "
            "bridge courses and tutoring.",
        ],
        [
            ("+65%", "enrolment of low-income students in advanced courses", "District course records"),
            ("+8 points", "dual-enrolment credit earned before graduation", "Community college records"),
        ],
        ["equity", "k12"],
        ["high-school-graduation", "postsecondary-enrolment"],
    ),
    (
        "Continuous improvement networks for early literacy in {city}",
        "Teams of teachers ran short plan-do-study-act cycles on phonics instruction and spread what worked across "
        "schools.",
        [
            "Early reading scores had been flat for years despite new curricula. The partnership organised a networked "
            "improvement community of kindergarten to second-grade teachers.",
            "Each team tested one change at a time, measured it every two weeks with a short reading check and shared "
            "results at monthly network meetings.",
        ],
        [
            ("+13 points", "second graders reading on grade level", "Reading screener data"),
            ("22", "schools in the improvement network", "Partnership records"),
        ],
        ["data-use", "early-childhood"],
        ["early-grade-reading"],
    ),
    (
        "Adult education and child care together: a two-generation approach in {city}",
        "Parents earned credentials while their young children attended high-quality child care on the same campus.",
        [
            "Parents said they could not go back to school without child care. The community college and a child care "
            "centre built a two-generation programme on one campus.",
            "Parents took short certificate courses in health care and logistics while their children attended an "
            "accredited early learning centre.",
        ],
        [
            ("78%", "of parents completed a credential", "Community college records"),
            ("+22%", "average parent wage one year later", "State wage records"),
        ],
        ["workforce", "early-childhood"],
        ["employment", "kindergarten-readiness"],
    ),
    (
        "Building a community report card that people actually read in {city}",
        "The partnership redesigned its annual community report card around ten indicators, plain language and "
        "neighbourhood maps.",
        [
            "The old report card was a sixty-page document few people opened. Staff chose ten indicators with partners "
            "and showed each by neighbourhood and race.",
            "A public launch event and a text-message version brought the report card to families, and partners now "
            "cite it in grant applications and board meetings.",
        ],
        [
            ("10", "shared indicators from birth to career", "Community report card"),
            ("8,000", "report card readers in the first month", "Website analytics"),
        ],
        ["data-use", "capacity-budgets"],
        ["postsecondary-completion", "kindergarten-readiness"],
    ),
]
YEARS = list(range(2016, 2026))


# Most practices are emerging or promising; a few are proven.
EVIDENCE_LEVELS = [
    EvidenceLevel.PROMISING,
    EvidenceLevel.EMERGING,
    EvidenceLevel.PROVEN,
    EvidenceLevel.EMERGING,
    EvidenceLevel.PROMISING,
]


def load(*, home_page, stdout):
    library = upsert_page(
        parent=home_page,
        page_class=CaseStudyIndexPage,
        slug="practices",
        title="Practice library",
        introduction="Case studies from member partnerships: what they did, with what results, and how to "
        "adapt it in your community.",
        listing_summary="Search what worked, where: case studies from across the network.",
    )
    partnerships = list(PartnershipPage.objects.live().order_by("pk"))
    outcomes = {outcome.slug: outcome for outcome in Outcome.objects.all()}
    topics = {
        slug: Topic.objects.get_or_create(slug=slug, defaults={"name": name, "sort_order": order})[0]
        for order, (slug, name) in enumerate(TOPIC_NAMES.items())
    }
    created = []
    for number in range(len(PRACTICES) * 2):
        title, summary, paragraphs, results, topic_slugs, outcome_slugs = PRACTICES[number % len(PRACTICES)]
        partnership = partnerships[(number * 7) % len(partnerships)]
        city = partnership.city
        page_title = title.format(city=city)
        case_study = upsert_page(
            parent=library,
            page_class=CaseStudyPage,
            slug=slugify(page_title)[:80],
            title=page_title,
            summary=summary.format(city=city),
            state=partnership.state,
            stage=partnership.stage,
            evidence_level=EVIDENCE_LEVELS[number % len(EVIDENCE_LEVELS)],
            year=YEARS[number % len(YEARS)],
            results=[
                ("result", {"figure": figure, "label": label, "source": source}) for figure, label, source in results
            ],
            body=[("paragraph", f"<p>{paragraph.format(city=city)}</p>") for paragraph in paragraphs]
            + [
                ("heading", {"text": "What others can adapt", "level": "h2"}),
                (
                    "paragraph",
                    f"<p>{partnership.title} shares its tools and templates with any member "
                    f"partnership: write to {partnership.contact_email}.</p>",
                ),
            ],
            outcomes=[outcomes[slug] for slug in outcome_slugs],
            topics=[topics[slug] for slug in topic_slugs],
            partnership_links=[CaseStudyPartnership(partnership=partnership)],
        )
        created.append(case_study)
    home_section_put(
        home_page=home_page,
        block_type="featured_pages",
        value={
            "heading": "Featured practices",
            "intro": "How member partnerships moved their outcomes, in their own words.",
            "pages": created[:3],
            "more_link": {"label": "Search the practice library", "page": library, "url": ""},
        },
    )
    navigation_link_put(home_page=home_page, page=library, position=1)
    stdout.write(f"  practices: library with {len(created)} case studies")
