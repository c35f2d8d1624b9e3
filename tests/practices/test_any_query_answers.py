"""Whatever a visitor types into a search box or a filter's query string, every search and
filter answers with a page (or JSON), never a server error: on the database and on the
Elasticsearch backend, for named hostile inputs and for what Hypothesis generates."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from news.models import NewsIndexPage

pytestmark = pytest.mark.django_db

HOSTILE_QUERIES = [
    '"',
    '"reading',
    "'",
    "(",
    ")",
    "reading AND (tutoring",
    "NOT",
    "AND OR NOT",
    "-reading",
    "*",
    "read*",
    "~",
    "reading~2",
    "^3",
    "title:reading",
    ":",
    "\\",
    "reading\\",
    '\\"',
    "\x00",
    "reading\x00tutoring",
    "\x01\x07\x1b[31m\x7f",
    "\t\n\r",
    "\u200b\u202e\ufeff",
    "🎓📚 reading 👩‍👩‍👧",
    "\U0001f600" * 50,
    "x" * 10_000,
    "reading " * 1_250,
    "{}[]/<>!?&|=+%$#@",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
]
BAD_PAGES = ["-1", "0", "x", "", "1.5", "99999999999999999999999", "٣", "1e3", "\x00", "2" * 400]
NUMBERS = ["99999999999999999999999", "-1", "0", "٣", "²", "１２", "1.0", "", "\x00", "9" * 400]


@pytest.fixture
def searchable(corpus, home_page):
    """The practice library and the directory (the corpus), and the network news page."""
    news = NewsIndexPage(title="Network news", slug="news")
    home_page.add_child(instance=news)
    return corpus


def urls_for(query):
    """Every search and filter a visitor can reach with `query` typed in (or pasted in the URL)."""
    return [
        ("/search/", {"q": query}),
        ("/practices/", {"q": query}),
        ("/practices/", {"q": query, "sort": "newest", "topic": "data-use"}),
        ("/practices/suggest/", {"q": query}),
        ("/network/", {"q": query}),
        ("/network/", {"q": query, "sort": query, "state": [query, "WI"]}),
        ("/news/", {"partnership": query, "state": query, "outcome": query}),
        ("/practices/", {"topic": [query, query], "partnership": query, "year_from": query, "year_to": query}),
    ]


@pytest.fixture
def visitor(client):
    """A client that reports a server error as a 500 response (as a visitor gets it)."""
    client.raise_request_exception = False
    return client


def failures_of(client, requests):
    """The (path, params, status) of each request not answered with a 200."""
    found = []
    for path, params in requests:
        status = client.get(path, params).status_code
        if status != 200:
            found.append((path, params, status))
    return found


@pytest.fixture(params=["database", "elasticsearch"])
def backend(request, settings, corpus_snapshot):
    """Each test runs on the database backend and on the test command's Elasticsearch node
    (the corpus's snapshot is named here, since a session fixture first asked for inside
    a test would be taken in that test's transaction)."""
    if request.param == "database":
        settings.ELASTICSEARCH_URL = ""
        return request.getfixturevalue("searchable")
    request.getfixturevalue("elasticsearch")
    request.getfixturevalue("searchable")
    from practices.services import case_study_index_rebuild

    case_study_index_rebuild()
    return request.param


def test_hostile_query_text_gets_a_page(visitor, backend):
    assert failures_of(visitor, [request for query in HOSTILE_QUERIES for request in urls_for(query)]) == []


def test_bad_page_numbers_and_unknown_or_repeated_facets_get_a_page(visitor, backend):
    unknown = {"topic": ["no-such-topic", "data-use", "data-use"], "state": ["ZZ", "WI", "WI"], "stage": ["nope"]}
    requests = [
        *[
            (path, {"q": "reading", "page": page})
            for page in BAD_PAGES
            for path in ("/search/", "/practices/", "/network/", "/news/")
        ],
        *[("/news/", {"partnership": [number, number, "1"]}) for number in NUMBERS],
        *[("/practices/", {"year_from": number, "year_to": number}) for number in NUMBERS],
        ("/practices/", unknown),
        ("/network/", {**unknown, "region": ["midwest", "midwest", "atlantis"], "outcome": "x"}),
        ("/news/", {**unknown, "outcome": ["employment", "employment", "?"]}),
    ]
    assert failures_of(visitor, requests) == []


OPERATORS = st.sampled_from(['"', "'", "(", ")", "AND", "OR", "NOT", "-", "*", "~", "^", ":", "\\", "\x00", "🎓"])
WORDS = st.sampled_from(["reading", "tutoring", "Milwaukee", "data", "kindergarten", "mentor"])
QUERIES = st.one_of(
    st.text(max_size=60),
    st.lists(st.one_of(OPERATORS, WORDS, st.text(min_size=1, max_size=8)), max_size=12).map(" ".join),
    st.lists(st.one_of(OPERATORS, WORDS), max_size=30).map("".join),
)


@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=QUERIES, page=st.one_of(st.text(max_size=5), st.integers().map(str)))
def test_any_generated_query_gets_a_page(visitor, backend, query, page):
    assert failures_of(visitor, [(path, {**params, "page": page}) for path, params in urls_for(query)]) == []
