"""Evidence levels: published criteria, a facet of the practice library on both search
backends (Elasticsearch in test_practice_search_elasticsearch), a badge on cards and pages."""

import re

import pytest

from practices.library import case_study_search
from practices.models import EVIDENCE_CRITERIA, EvidenceLevel
from tests.practices.test_practice_search_elasticsearch import filters


def test_the_criteria_page_says_what_each_level_requires(client, library):
    response = client.get("/practices/evidence/")
    assert response.status_code == 200
    html = response.content.decode()
    headings = re.findall(r'<h2 id="(\w+)-heading">', html)
    assert headings == ["emerging", "promising", "proven"]
    for _summary, requirements in EVIDENCE_CRITERIA.values():
        for requirement in requirements:
            assert requirement.replace("'", "&#x27;") in html
    assert 'href="/practices/?evidence=proven"' in html
    assert 'href="/practices/evidence/"' in client.get("/practices/").content.decode()


@pytest.fixture
def three_levels(make_case_study):
    return [
        make_case_study(title="Reading tutors", evidence_level=EvidenceLevel.PROVEN),
        make_case_study(title="Reading camps", evidence_level=EvidenceLevel.PROMISING),
        make_case_study(title="Reading buddies", evidence_level=EvidenceLevel.PROMISING),
        make_case_study(title="Reading at the barbershop"),
    ]


def test_the_database_search_filters_and_counts_by_evidence_level(without_elasticsearch, three_levels):
    everything = case_study_search(filters=filters())
    assert everything.backend == "database"
    assert everything.facets["evidence"] == {"proven": 1, "promising": 2, "emerging": 1}

    promising = case_study_search(filters=filters(evidence=["promising"], q="reading"))
    assert sorted(hit.title for hit in promising.page.object_list) == ["Reading buddies", "Reading camps"]
    assert promising.facets["evidence"]["proven"] == 1, "a facet's own counts ignore its own selection"
    assert {hit.evidence_label for hit in promising.page.object_list} == {"Promising"}


def test_the_library_offers_the_facet_and_shows_a_badge_on_each_result(without_elasticsearch, client, three_levels):
    html = client.get("/practices/", {"evidence": "proven"}).content.decode()
    assert "Evidence level" in html and 'name="evidence" value="proven" checked' in html
    assert 'Promising <span class="facet__count">(2)</span>' in html
    assert "1 case study" in html
    assert '<span class="evidence-badge evidence-badge--proven">Proven evidence</span>' in html
    assert 'aria-label="Remove filter: Proven"' in html


def test_a_case_study_page_shows_its_badge_and_links_to_the_criteria(client, three_levels):
    html = client.get(three_levels[0].url).content.decode()
    assert '<span class="evidence-badge evidence-badge--proven">Proven evidence</span>' in html
    assert 'href="/practices/evidence/#proven"' in html
    emerging = client.get(three_levels[3].url).content.decode()
    assert "evidence-badge--emerging" in emerging, "a case study nobody rated is emerging, not unrated"
