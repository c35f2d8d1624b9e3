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
        body["query"] = _text_query(query, fuzzy_fields=FIELDS)
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
    body |= {"track_total_hits": True, "from": start, "size": size, "_source": CARD_FIELDS}
    body["highlight"] = dict(HIGHLIGHT)
    if query:
        # The highlighter builds a Levenshtein automaton for every fuzzy clause, field by
        # field, for every hit: the ranking query's six-field fuzzy clause was most of a
        # search's time. Highlighting asks for the same words, so the same clause on one
        # field marks the same fragments (checked on the bench and relevance queries).
        body["highlight"]["highlight_query"] = _text_query(query, fuzzy_fields=FIELDS[:1])
        body["highlight"]["fields"] = _highlight_fields(query)
    return body


def _highlight_fields(query):
    """The highlighted fields, title and summary with a highlight query of their own.

    With `require_field_match` off, the `all_text` fuzzy clause and the title's fuzzy
    clause give the highlighter the same automata (same analyzer, same fuzziness), built
    again for every field. A field highlighted whole (one passage, no fragments to rank)
    gets the same marks from either, so title and summary drop the title's copy. The body
    keeps both: its fragment is chosen by a score that counts each copy.
    """
    once = _text_query(query, fuzzy_fields=FIELDS[:1])
    once["bool"]["should"] = once["bool"]["should"][1:]
    return {
        name: options | ({"highlight_query": once} if options.get("number_of_fragments") == 0 else {})
        for name, options in HIGHLIGHT["fields"].items()
    }


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


def _text_query(query, *, fuzzy_fields):
    """Every word must match somewhere (allowing typos, up to a fifth of the words may be
    missing in long queries); title, phrase and unstemmed matches rank higher."""
    return {
        "bool": {
            "must": [
                {
                    "match": {
                        "all_text": {
                            "query": query,
                            "fuzziness": "AUTO",
                            "prefix_length": 1,
                            "minimum_should_match": "3<80%",
                        }
                    }
                }
            ],
            "should": [
                {"multi_match": {"query": query, "fields": fuzzy_fields, "fuzziness": "AUTO", "prefix_length": 1}},
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
