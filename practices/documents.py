"""The case-study search document: its mapping, its analysis chain and how a page becomes one.

The analysis chain is chosen when an index is created, from what the node really has
(see README, "Search"): the built-in English stemmer where the node ships it, else the
core hunspell filter with an en_US dictionary, else no stemming at all. The choice is
recorded in the index's `_meta` and reported by `manage.py search_index check`.
"""

from elasticsearch import BadRequestError
from elasticsearch_dsl import Completion, Date, Document, Integer, Keyword, Text

from website.elasticsearch import elasticsearch_index_name

ALIAS = "case-studies"
STEMMERS = [
    ("english stemmer", {"type": "stemmer", "language": "english"}),
    ("hunspell en_US", {"type": "hunspell", "locale": "en_US", "dedup": True}),
]
TEXT_FIELDS = {"analyzer": "prose", "fields": {"exact": Text(analyzer="standard")}}


class CaseStudyDocument(Document):
    """One published case study, as practice search sees it (the id is the page's id)."""

    title = Text(**TEXT_FIELDS, copy_to="all_text")
    summary = Text(**TEXT_FIELDS, copy_to="all_text")
    body = Text(**TEXT_FIELDS, copy_to="all_text")
    partnership_names = Text(analyzer="prose", copy_to="all_text")
    topic_names = Text(analyzer="prose", copy_to="all_text")
    outcome_names = Text(analyzer="prose", copy_to="all_text")
    all_text = Text(analyzer="prose")
    suggest = Completion(analyzer="simple", preserve_separators=False)

    state = Keyword()
    stage = Keyword()
    evidence_level = Keyword()
    outcomes = Keyword()
    topics = Keyword()
    partnerships = Keyword()
    year = Integer()
    first_published_at = Date()
    url = Keyword(index=False)

    @classmethod
    def alias_name(cls):
        return elasticsearch_index_name(ALIAS)


def case_study_index_body(client):
    """Settings and mappings for a new case-study index, with the best stemmer this node has."""
    stemming, stemmer = "none", None
    for name, definition in STEMMERS:
        try:
            client.indices.analyze(tokenizer="standard", filter=[definition], text="partnerships")
        except BadRequestError:
            continue
        stemming, stemmer = name, definition
        break
    filters = ["lowercase", "english_stop"] + (["english_stems"] if stemmer else [])
    analysis = {
        "filter": {"english_stop": {"type": "stop", "stopwords": "_english_"}},
        "analyzer": {"prose": {"type": "custom", "tokenizer": "standard", "filter": filters}},
    }
    if stemmer:
        analysis["filter"]["english_stems"] = stemmer
    mappings = CaseStudyDocument._doc_type.mapping.to_dict()
    mappings["_meta"] = {"stemming": stemming}
    return {"settings": {"number_of_shards": 1, "number_of_replicas": 0, "analysis": analysis}, "mappings": mappings}


def case_study_document(page):
    """The document for a CaseStudyPage (its partnerships, outcomes and topics prefetched)."""
    partnerships = [link.partnership for link in page.partnership_links.all() if link.partnership.live]
    outcomes = list(page.outcomes.all())
    topics = list(page.topics.all())
    return CaseStudyDocument(
        meta={"id": page.pk},
        title=page.title,
        summary=page.summary,
        body=page.body_text(),
        partnership_names=[partnership.title for partnership in partnerships],
        topic_names=[topic.name for topic in topics],
        outcome_names=[outcome.name for outcome in outcomes],
        suggest={"input": _suggest_inputs(page.title, partnerships)},
        state=page.state,
        stage=page.stage,
        evidence_level=page.evidence_level,
        outcomes=[outcome.slug for outcome in outcomes],
        topics=[topic.slug for topic in topics],
        partnerships=[partnership.slug for partnership in partnerships],
        year=page.year,
        first_published_at=page.first_published_at,
        url=page.url,
    )


def _suggest_inputs(title, partnerships):
    """Completion inputs: the title from each of its words on (so "readiness" finds
    "Kindergarten readiness ..."), and the partnerships' names."""
    words = title.split()
    inputs = [" ".join(words[start:]) for start in range(min(len(words), 8))]
    inputs += [partnership.title for partnership in partnerships]
    return inputs
