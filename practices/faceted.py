"""Practice search on Elasticsearch: relevance, facets, highlights and suggestions."""

from elasticsearch_dsl import FacetedSearch, Q, TermsFacet
from elasticsearch_dsl.query import Range

from .documents import CaseStudyDocument

SUGGESTIONS = 8
# What a result card shows: all a search fetches of each hit.
CARD_FIELDS = ["title", "url", "summary", "state", "stage", "year", "evidence_level", "partnership_names"]


class YearRangeFacet(TermsFacet):
    """Counts per year; filtered by one (from, to) range, either end open."""

    def add_filter(self, filter_values):
        if not filter_values:
            return None
        start, end = filter_values[0]
        bounds = {key: value for key, value in (("gte", start), ("lte", end)) if value is not None}
        return Range(year=bounds) if bounds else None

    def is_filtered(self, key, filter_values):
        return False


class CaseStudySearch(FacetedSearch):
    doc_types = [CaseStudyDocument]
    fields = ["title^4", "summary^2", "body", "partnership_names^2", "topic_names^2", "outcome_names"]
    facets = {
        "state": TermsFacet(field="state", size=60),
        "stage": TermsFacet(field="stage", size=10),
        "evidence": TermsFacet(field="evidence_level", size=5),
        "outcome": TermsFacet(field="outcomes", size=50),
        "topic": TermsFacet(field="topics", size=50),
        "partnership": TermsFacet(field="partnerships", size=500),
        "year": YearRangeFacet(field="year", size=100),
    }

    def __init__(self, *, using, **kwargs):
        self.using = using
        self.index = CaseStudyDocument.alias_name()
        super().__init__(**kwargs)

    def search(self):
        return super().search().source(CARD_FIELDS).extra(track_total_hits=True)

    def query(self, search, query):
        """Every word must match somewhere (allowing typos, up to a fifth of the words may be
        missing in long queries); title, phrase and unstemmed matches rank higher."""
        if not query:
            return search
        return search.query(_text_query(query, fuzzy_fields=self.fields))

    def highlight(self, search):
        options = {"encoder": "html", "pre_tags": ["<mark>"], "post_tags": ["</mark>"], "require_field_match": False}
        if self._query:
            # The highlighter builds a Levenshtein automaton for every fuzzy clause, field by
            # field, for every hit: the ranking query's six-field fuzzy clause was most of a
            # search's time. Highlighting asks for the same words, so the same clause on one
            # field marks the same fragments (checked on the bench and relevance queries).
            options["highlight_query"] = _text_query(self._query, fuzzy_fields=self.fields[:1]).to_dict()
        return (
            search.highlight_options(**options)
            .highlight("title", number_of_fragments=0)
            .highlight("summary", number_of_fragments=0)
            .highlight("body", fragment_size=180, number_of_fragments=1)
        )


def _text_query(query, *, fuzzy_fields):
    return Q(
        "bool",
        must=[
            Q(
                "match",
                all_text={
                    "query": query,
                    "fuzziness": "AUTO",
                    "prefix_length": 1,
                    "minimum_should_match": "3<80%",
                },
            )
        ],
        should=[
            Q("multi_match", query=query, fields=fuzzy_fields, fuzziness="AUTO", prefix_length=1),
            Q(
                "multi_match",
                query=query,
                type="phrase",
                slop=1,
                boost=3,
                fields=["title^3", "summary^2", "body"],
            ),
            Q("multi_match", query=query, fields=["title.exact^2", "summary.exact", "body.exact"]),
        ],
    )


def case_study_suggestions_elasticsearch(*, client, prefix):
    """Case studies whose title (from any word) or partnership starts with `prefix`, typos allowed."""
    completion = {"field": "suggest", "skip_duplicates": True, "size": SUGGESTIONS}
    if len(prefix) >= 4:
        completion["fuzzy"] = {"fuzziness": "AUTO", "prefix_length": 2}
    search = (
        CaseStudyDocument.search(using=client, index=CaseStudyDocument.alias_name())
        .source(["title", "url"])
        .suggest("case_studies", prefix, completion=completion)
    )
    options = search.execute().suggest.case_studies[0].options
    return [{"title": option._source.title, "url": option._source.url} for option in options]
