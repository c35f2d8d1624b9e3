import pytest

from practices.library import case_study_search

from .relevance import CASES


def top_three(query):
    results = case_study_search(
        filters={
            "q": query,
            "state": [],
            "stage": [],
            "evidence": [],
            "outcome": [],
            "topic": [],
            "partnership": [],
            "year_from": None,
            "year_to": None,
            "sort": "relevance",
        }
    )
    return results.backend, [hit.title for hit in results.page.object_list[:3]]


def misses(cases):
    found = []
    for query, expected, _ in cases:
        _, titles = top_three(query)
        if not any(title.startswith(expected) for title in titles):
            found.append((query, expected, titles))
    return found


@pytest.mark.services
def test_relevance_set_on_elasticsearch(indexed_corpus):
    assert top_three("fafsa")[0] == "elasticsearch"
    assert misses(CASES) == []


def test_relevance_set_on_the_database(without_elasticsearch, corpus):
    assert top_three("fafsa")[0] == "database"
    assert misses([case for case in CASES if case[2]]) == []
