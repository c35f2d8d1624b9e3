"""The practice search request, built as plain data, is the very request elasticsearch-dsl's
FacetedSearch builds for the same words, filters, order and page (it was built that way
until building it cost more than Elasticsearch took to answer)."""

from elasticsearch_dsl import FacetedSearch, Q, TermsFacet
from elasticsearch_dsl.query import Range
from hypothesis import given
from hypothesis import strategies as st

from practices.faceted import CARD_FIELDS, FACETS, FIELDS, _text_query, case_study_search_body


class YearRangeFacet(TermsFacet):
    def add_filter(self, filter_values):
        start, end = filter_values[0]
        bounds = {key: value for key, value in (("gte", start), ("lte", end)) if value is not None}
        return Range(year=bounds) if bounds else None


class ReferenceSearch(FacetedSearch):
    """The practice search as an elasticsearch-dsl FacetedSearch."""

    fields = FIELDS
    facets = {
        name: (YearRangeFacet if name == "year" else TermsFacet)(field=field, size=size)
        for name, (field, size) in FACETS.items()
    }

    def search(self):
        return super().search().source(CARD_FIELDS).extra(track_total_hits=True)

    def query(self, search, query):
        return search.query(Q(_text_query(query))) if query else search

    def highlight(self, search):
        options = {"encoder": "html", "pre_tags": ["<mark>"], "post_tags": ["</mark>"], "require_field_match": False}
        return (
            search.highlight_options(**options)
            .highlight("title", number_of_fragments=0)
            .highlight("summary", number_of_fragments=0)
            .highlight("body", fragment_size=180, number_of_fragments=1)
        )


VALUES = {
    "state": ["OH", "WI", "AZ"],
    "stage": ["sustaining", "proof-point"],
    "evidence": ["proven", "promising"],
    "outcome": ["early-grade-reading", "employment"],
    "topic": ["data-use", "equity"],
    "partnership": ["milwaukee-promise", "phoenix-promise"],
}
FILTERS = st.fixed_dictionaries(
    {},
    optional={
        **{name: st.lists(st.sampled_from(values), min_size=1, unique=True) for name, values in VALUES.items()},
        "year": st.tuples(st.sampled_from([None, 2018]), st.sampled_from([None, 2022])).map(lambda pair: [pair]),
    },
)


@given(
    query=st.sampled_from(["", "reading", "kindergarden readyness", 'data "sharing" (agreement']),
    filters=FILTERS,
    sort=st.sampled_from([[], ["-year", "-first_published_at"]]),
    start=st.sampled_from([0, 10, 9990]),
)
def test_the_request_is_the_one_faceted_search_builds(query, filters, sort, start):
    reference = ReferenceSearch(query=query or None, filters=filters, sort=sort).build_search()
    expected = reference[start : start + 10].to_dict()
    assert case_study_search_body(query=query, filters=filters, sort=sort, start=start, size=10) == expected
