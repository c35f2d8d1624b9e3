"""The practice library's facet counts against a plain count in Python over the same
corpus: each facet counted with every other facet's filter applied, on the database
(SQLite, and PostgreSQL under the services) and, for filters without text, on Elasticsearch."""

from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from practices.library import FACETS, case_study_search
from practices.models import CaseStudyPage
from practices.selectors import case_study_visible
from tests.practices.test_practice_search_elasticsearch import filters

FILTER_SETS = [
    {},
    {"q": "reading"},
    {"q": "data", "topic": ["data-use"], "state": ["OH", "WI"]},
    {"stage": ["sustaining", "systems-change"], "outcome": ["early-grade-reading", "employment"]},
    {"evidence": ["proven", "promising"], "year_from": 2019},
    {"partnership": ["milwaukee-promise", "tulsa-promise"], "topic": ["equity", "k12"]},
    {"q": "students", "year_from": 2016, "year_to": 2022, "outcome": ["postsecondary-completion"]},
    {"topic": ["data-use"], "stage": ["proof-point"], "state": ["OH"], "evidence": ["emerging"]},
]


def _values(page):
    return {
        "state": {page.state},
        "stage": {page.stage},
        "evidence": {page.evidence_level},
        "outcome": {outcome.slug for outcome in page.outcomes.all()},
        "topic": {topic.slug for topic in page.topics.all()},
        "partnership": {link.partnership.slug for link in page.partnership_links.all()},
        "year": {page.year},
    }


def _passes(values, chosen, facet):
    if facet == "year":
        (year,) = values["year"]
        return (chosen["year_from"] is None or year >= chosen["year_from"]) and (
            chosen["year_to"] is None or year <= chosen["year_to"]
        )
    return not chosen[facet] or bool(values[facet] & set(chosen[facet]))


def reference_counts(chosen):
    """(facet counts, how many the page lists) by reading every visible case study."""
    pages = case_study_visible().prefetch_related("outcomes", "topics", "partnership_links__partnership")
    if chosen["q"]:
        text_matches = {page.pk for page in CaseStudyPage.objects.live().search(chosen["q"])}
        pages = [page for page in pages if page.pk in text_matches]
    counts = {facet: Counter() for facet in FACETS}
    listed = 0
    for page in pages:
        values = _values(page)
        for facet in FACETS:
            if all(_passes(values, chosen, other) for other in FACETS if other != facet):
                counts[facet].update(values[facet])
        listed += all(_passes(values, chosen, facet) for facet in FACETS)
    return {facet: dict(counter) for facet, counter in counts.items()}, listed


def assert_counts_match_the_reference(chosen, *, backend):
    results = case_study_search(filters=chosen)
    counts, listed = reference_counts(chosen)
    assert results.backend == backend
    assert results.facets == counts
    assert results.page.paginator.count == listed


@pytest.mark.parametrize("given", FILTER_SETS)
def test_database_facet_counts_match_a_count_in_python(without_elasticsearch, corpus, given):
    assert_counts_match_the_reference(filters(**given), backend="database")


@pytest.mark.parametrize("given", [given for given in FILTER_SETS if "q" not in given])
def test_elasticsearch_facet_counts_match_a_count_in_python(indexed_corpus, given):
    assert_counts_match_the_reference(filters(**given), backend="elasticsearch")


def test_a_database_search_with_text_and_two_facets_runs_the_text_match_once(without_elasticsearch, corpus):
    chosen = filters(q="reading", topic=["k12"], state=["OH", "WI"])
    case_study_search(filters=chosen)  # the site and its root page, read once per process
    with CaptureQueriesContext(connection) as queries:
        results = case_study_search(filters=chosen)
    assert results.page.object_list
    # The ranked ids, the filtered ids with the facet counts, the page's case studies and
    # their partnerships and topics.
    assert len(queries) == 5, [query["sql"] for query in queries]
