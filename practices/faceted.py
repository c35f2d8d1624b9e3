"""Practice search on Elasticsearch: relevance, facets, highlights and suggestions."""

from .documents import CaseStudyDocument

SUGGESTIONS = 8
# What a result card shows: all a search fetches of each hit.
CARD_FIELDS = ["title", "url", "summary", "state", "stage", "year", "evidence_level", "partnership_names"]


FIELDS = ["title^4", "summary^2", "body", "partnership_names^2", "topic_names^2", "outcome_names"]
# facet -> (keyword field, most buckets counted); the year facet is filtered by a range.
FACETS = {
    "state": ("state", 60),
    "stage": ("stage", 10),
    "evidence": ("evidence_level", 5),
    "outcome": ("outcomes", 50),
    "topic": ("topics", 50),
    "partnership": ("partnerships", 500),
    "year": ("year", 100),
}
HIGHLIGHT = {
    "fields": {
        "title": {"number_of_fragments": 0},
        "summary": {"number_of_fragments": 0},
        "body": {"fragment_size": 180, "number_of_fragments": 1},
    },
    "encoder": "html",
    "pre_tags": ["<mark>"],
    "post_tags": ["</mark>"],
    "require_field_match": False,
}
# Typos forgiven: one from three letters, two from six, the first letter as typed. Not
# Algolia's two from eight: words are stemmed first and a stem is shorter than the word
# ("coaching" is indexed as "coach"), so "coachin" is two typos from what the index holds.
TYPOS = {"fuzziness": "AUTO", "prefix_length": 1}


def case_study_search_body(*, query, filters, sort, start, size):
    """The search request for one page of case studies, as plain data.

    `filters` maps a facet to its values (the year to one (from, to) pair, either end
    open). The shape is elasticsearch-dsl's FacetedSearch's: the text query ranks, the
    filters all apply as a post filter, and each facet is counted under every filter but
    its own. Built by hand because building it through elasticsearch-dsl's objects cost
    more than Elasticsearch took to answer it (tests pin the two to the same request).
    """
    clauses = {name: _facet_filter(name, values) for name, values in filters.items()}
    clauses = {name: clause for name, clause in clauses.items() if clause is not None}
    body = {}
    if query:
        body["query"] = _text_query(query)
    if clauses:
        body["post_filter"] = _all_of(list(clauses.values()))
    body["aggs"] = {
        f"_filter_{name}": {
            "filter": _all_of([clause for other, clause in clauses.items() if other != name]),
            "aggs": {name: {"terms": {"field": field, "size": buckets}}},
        }
        for name, (field, buckets) in FACETS.items()
    }
    if sort:
        body["sort"] = [{field.lstrip("-"): {"order": "desc" if field.startswith("-") else "asc"}} for field in sort]
    body |= {"track_total_hits": True, "from": start, "size": size, "_source": CARD_FIELDS, "highlight": HIGHLIGHT}
    return body


def _facet_filter(name, values):
    if not values:
        return None
    if name == "year":
        start, end = values[0]
        bounds = {key: value for key, value in (("gte", start), ("lte", end)) if value is not None}
        return {"range": {"year": bounds}} if bounds else None
    return {"terms": {FACETS[name][0]: list(values)}}


def _all_of(clauses):
    if not clauses:
        return {"match_all": {}}
    return clauses[0] if len(clauses) == 1 else {"bool": {"must": clauses}}


def _text_query(query):
    """Every word must match somewhere, allowing typos (up to a fifth of the words may be
    missing in long queries); words as typed rank by field (title first), phrases and
    unstemmed matches higher still.

    Only the clause that finds matches forgives typos. As in Algolia's ranking, a word
    spelled as typed outranks a near spelling: a typo counts once, through `all_text`.
    Each fuzzy clause costs Elasticsearch a Levenshtein automaton per word and per field,
    in the search and again in the highlighter, for every hit; forgiving typos in the
    six ranking fields too made seven a word and most of a search's time (README,
    Benchmarks).
    """
    return {
        "bool": {
            "must": [{"match": {"all_text": {"query": query, **TYPOS, "minimum_should_match": "3<80%"}}}],
            "should": [
                {"multi_match": {"query": query, "fields": FIELDS}},
                {
                    "multi_match": {
                        "query": query,
                        "fields": ["title^3", "summary^2", "body"],
                        "slop": 1,
                        "type": "phrase",
                        "boost": 3,
                    }
                },
                {"multi_match": {"query": query, "fields": ["title.exact^2", "summary.exact", "body.exact"]}},
            ],
        }
    }


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
