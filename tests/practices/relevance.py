"""The practice-search relevance set: what a visitor types, and the case study (by the
start of its title, whichever partnership tells it) that must rank in the top 3.

Elasticsearch must meet every case. The database fallback has no typo tolerance and no
English stemming on SQLite, so it is held to the cases marked "database".
"""

CASES = [
    # query, expected title start, also on the database
    ("kindergarten readiness", "Kindergarten readiness screening", True),
    ("data sharing agreement", "A data-sharing agreement", True),
    ("FAFSA", "Free FAFSA completion nights", True),
    ("chronic absence", "Chronic absence cut in half", True),
    ("first-generation college students", "Completion coaches for first-generation", True),
    ("paid internships employers", "Paid internships and career pathways", True),
    ("state pre-K funding", "Changing state policy on pre-K funding", True),
    ("listening sessions with parents", "Community listening sessions", True),
    ("backbone budget funders", "Braiding public and private funds", True),
    ("advanced coursework equity audit", "Equity audit of advanced coursework", True),
    ("improvement cycles phonics", "Continuous improvement networks", True),
    ("two-generation child care", "Adult education and child care together", True),
    ("community report card", "Building a community report card", True),
    ("ninth graders on track", "An early-warning system", True),
    ("algebra tutoring", "Middle-grade math acceleration", True),
    ("summer reading", "Summer reading that closed", True),
    # typos
    ("kindergarden readyness", "Kindergarten readiness screening", False),
    ("intership employers", "Paid internships and career pathways", False),
    ("comunity report crad", "Building a community report card", False),
    ("chronic absense", "Chronic absence cut in half", False),
    # other forms of the words than the text uses
    ("internship", "Paid internships and career pathways", False),
    ("coach first generation student", "Completion coaches for first-generation", False),
    ("warning systems", "An early-warning system", False),
]
