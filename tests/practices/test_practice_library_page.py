"""The practice library page and case-study pages as a visitor gets them (database search:
the embedded default; the Elasticsearch path is in test_practice_search_elasticsearch)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import DirectoryPageFactory, PartnershipPageFactory


@pytest.fixture
def partnership(home_page):
    return PartnershipPageFactory(
        parent=DirectoryPageFactory(parent=home_page), title="Tulsa Promise", city="Tulsa", state="OK"
    )


def test_the_library_lists_filters_and_counts(without_elasticsearch, client, make_case_study, partnership):
    make_case_study(
        title="Kindergarten readiness screening",
        topics=["early-childhood"],
        state="OK",
        partnerships=[partnership],
        year=2021,
    )
    make_case_study(title="Summer reading camp", topics=["k12"], state="OH", year=2023)
    make_case_study(title="Reading tutors in every school", topics=["k12", "equity"], state="OH", year=2025)

    response = client.get("/practices/", {"q": "reading", "topic": "k12"})
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, follow"
    assert b'<meta name="robots" content="noindex, follow">' in response.content
    html = response.content.decode()
    assert "2 case studies" in html
    assert "<mark>reading</mark>" in html.lower()
    assert 'value="k12" checked' in html
    assert 'Equity <span class="facet__count">(1)</span>' in html
    assert 'aria-label="Remove filter: K-12 partnerships"' in html

    by_partnership = client.get("/practices/", {"partnership": "tulsa-promise"}).content.decode()
    assert "1 case study" in by_partnership and "Kindergarten readiness screening" in by_partnership

    years = client.get("/practices/", {"year_from": "2022", "year_to": "2025"}).content.decode()
    assert "2 case studies" in years and "2022 to 2025" in years


def test_no_results_says_what_to_remove(without_elasticsearch, client, make_case_study):
    make_case_study(title="Summer reading camp", state="OH", topics=["k12"])
    html = client.get("/practices/", {"q": "reading", "state": "OH", "topic": "equity"}).content.decode()
    assert "No case studies for “reading” in Ohio, Equity." in html
    assert 'href="?q=reading&amp;state=OH">Remove the filter “Equity”' in html


def test_hand_edited_urls_get_a_page_not_an_error(without_elasticsearch, client, make_case_study):
    make_case_study()
    for query in (
        {"year_from": "abc"},
        {"state": "ZZ"},
        {"page": "999"},
        {"page": "-1"},
        {"sort": "evil"},
        {"q": "x" * 5000},
        {"q": "<script>alert(1)</script>"},
        {"year_from": "2030", "year_to": "1999"},
    ):
        response = client.get("/practices/", query)
        assert response.status_code == 200, query
        assert b"<script>alert(1)" not in response.content


def test_a_search_stores_nothing(without_elasticsearch, client, make_case_study):
    make_case_study(title="Summer reading camp")
    client.get("/practices/")  # site settings are created on the first visit
    with CaptureQueriesContext(connection) as queries:
        client.get("/practices/", {"q": "reading", "topic": "k12"})
        client.get("/practices/suggest/", {"q": "read"})
    writes = [
        query["sql"] for query in queries if query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []


def test_suggestions_on_the_database(without_elasticsearch, client, make_case_study):
    make_case_study(title="Summer reading camp")
    make_case_study(title="Kindergarten readiness screening")
    response = client.get("/practices/suggest/", {"q": "read"})
    assert response["X-Robots-Tag"] == "noindex, follow"
    assert [suggestion["title"] for suggestion in response.json()["suggestions"]] == [
        "Kindergarten readiness screening",
        "Summer reading camp",
    ]
    assert client.get("/practices/suggest/", {"q": "r"}).json() == {"suggestions": []}


@pytest.mark.parametrize("count", [4, 24])
def test_library_queries_do_not_grow_with_results(
    without_elasticsearch, client, make_case_study, partnership, django_assert_num_queries, count
):
    for number in range(count):
        make_case_study(title=f"Reading practice {number}", partnerships=[partnership], topics=["k12", "equity"])
    client.get("/practices/")  # site settings are created on the first visit
    with django_assert_num_queries(13):
        assert client.get("/practices/", {"q": "reading", "topic": "k12"}).status_code == 200


def test_case_study_page_shows_results_partnerships_and_related(
    client, make_case_study, partnership, django_assert_max_num_queries
):
    page = make_case_study(
        title="Summer reading camp",
        partnerships=[partnership],
        topics=["k12"],
        outcomes=["early-grade-reading"],
        results=[("result", {"figure": "-40%", "label": "summer reading loss", "source": "District data"})],
    )
    make_case_study(title="Reading tutors", topics=["k12"])
    make_case_study(title="Unrelated budget work", topics=["capacity-budgets"])
    client.get(page.url)  # the first view makes renditions and keeps the navigation and routes
    with django_assert_max_num_queries(15):
        html = client.get(page.url).content.decode()
    assert "-40%" in html and "summer reading loss" in html
    assert f'href="{partnership.url}">Tulsa Promise</a>' in html
    assert "Reading tutors" in html and "Unrelated budget work" not in html
    assert 'href="/practices/?topic=k12"' in html

    partnership_html = client.get(partnership.url).content.decode()
    assert "Case studies" in partnership_html and page.url in partnership_html
