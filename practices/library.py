"""Reads for the practice library: faceted case-study search on Elasticsearch, with the
database as the embedded default and the fallback when the node fails."""

import html
import logging
import re
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import BooleanField, CharField, ExpressionWrapper, F, Q
from django.db.models.functions import Cast
from django.utils.safestring import mark_safe
from elasticsearch import ApiError, TransportError

from taxonomy.geography import STATES
from taxonomy.models import Stage
from website.elasticsearch import (
    VISITOR_TIMEOUT_SECONDS,
    elasticsearch_available_for_visitors,
    elasticsearch_client,
    elasticsearch_outage_record,
)
from website.query_text import query_text_clean
from website.selectors import in_list, page_public_q

from .documents import CaseStudyDocument
from .faceted import SUGGESTIONS, case_study_search_body, case_study_suggestions_elasticsearch
from .models import CaseStudyPage, CaseStudyPartnership, EvidenceLevel
from .selectors import case_study_visible, case_study_with_cards

logger = logging.getLogger(__name__)

CASE_STUDIES_PER_PAGE = 10
MAX_RESULT_WINDOW = 10_000
FACETS = ("state", "stage", "evidence", "outcome", "topic", "partnership", "year")
SEARCH_FAILURES = (ApiError, TransportError)


@dataclass
class CaseStudyHit:
    pk: int
    title: str
    url: str
    summary: str
    state: str
    stage: str
    year: int
    evidence_level: str = EvidenceLevel.EMERGING
    partnerships: list = field(default_factory=list)
    title_html: str = ""
    summary_html: str = ""
    snippet_html: str = ""

    @property
    def state_name(self):
        return STATES.get(self.state, self.state)

    @property
    def stage_label(self):
        return Stage(self.stage).label if self.stage in Stage.values else self.stage

    @property
    def evidence_label(self):
        return EvidenceLevel(self.evidence_level).label if self.evidence_level in EvidenceLevel.values else ""


@dataclass
class CaseStudyResults:
    page: Page
    facets: dict  # facet name -> {value: count}, each counted with the other filters applied
    backend: str  # "elasticsearch" or "database"


class _Counted:
    """What a Paginator needs to number pages of `count` results it does not hold."""

    def __init__(self, count):
        self._count = count

    def count(self):
        return self._count


def _page_of(hits, *, total, number):
    paginator = Paginator(_Counted(min(total, MAX_RESULT_WINDOW)), CASE_STUDIES_PER_PAGE)
    return Page(hits, number, paginator)


def _page_number(value, *, total=MAX_RESULT_WINDOW):
    """The page asked for, clamped to the pages there can be (no error for a hand-edited URL)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 1
    last = max(1, -(-min(total, MAX_RESULT_WINDOW) // CASE_STUDIES_PER_PAGE))
    return min(max(number, 1), last)


def case_study_search(*, filters, page_number=1):
    """One page of case studies for `filters`, with facet counts.

    On Elasticsearch when it is configured and answering; on the database otherwise,
    with the failure logged and the visitor none the wiser.
    """
    if elasticsearch_available_for_visitors():
        try:
            return _search_elasticsearch(filters, page_number)
        except SEARCH_FAILURES as error:
            elasticsearch_outage_record(error)
    return _search_database(filters, page_number)


def case_study_suggestions(*, prefix):
    """Up to SUGGESTIONS case studies ({title, url}) for what a visitor has typed so far."""
    prefix = query_text_clean(prefix, max_length=100)
    if len(prefix) < 2:
        return []
    if elasticsearch_available_for_visitors():
        try:
            return case_study_suggestions_elasticsearch(
                client=elasticsearch_client(timeout=VISITOR_TIMEOUT_SECONDS), prefix=prefix
            )
        except SEARCH_FAILURES as error:
            elasticsearch_outage_record(error)
    words = Q()
    for word in prefix.split():
        words &= Q(title__icontains=word)
    return [
        {"title": page.title, "url": page.url}
        for page in case_study_visible().filter(words).order_by("title")[:SUGGESTIONS]
    ]


# --- Elasticsearch ------------------------------------------------------------


def _search_elasticsearch(filters, page_number):
    facet_filters = {name: filters[name] for name in FACETS if name != "year" and filters[name]}
    if filters["year_from"] is not None or filters["year_to"] is not None:
        facet_filters["year"] = [(filters["year_from"], filters["year_to"])]
    sort = ["-year", "-first_published_at"] if _sorted_by_date(filters) else []
    number = _page_number(page_number)
    body = case_study_search_body(
        query=filters["q"],
        filters=facet_filters,
        sort=sort,
        start=(number - 1) * CASE_STUDIES_PER_PAGE,
        size=CASE_STUDIES_PER_PAGE,
    )
    client = elasticsearch_client(timeout=VISITOR_TIMEOUT_SECONDS)
    # The plain answer, read here: elasticsearch-dsl's Response wraps every value of it
    # (hits, buckets) in objects, which cost more than the rest of the Python side.
    # request_cache: the node keeps the query phase of a request it has answered (the
    # ranked ids, the total, the facet counts) until the index next changes, so a repeated
    # search skips the fuzzy rewrite; the hits' fields and highlights are read every time.
    response = client.search(index=CaseStudyDocument.alias_name(), body=body, request_cache=True)
    total = response["hits"]["total"]["value"]
    documents = response["hits"]["hits"]
    if total and not documents and number > 1:
        return _search_elasticsearch(filters, _page_number(number, total=total))
    hits = [_hit_from_document(document) for document in documents]
    aggregations = response.get("aggregations", {})
    facets = {
        name: {bucket["key"]: bucket["doc_count"] for bucket in aggregations[f"_filter_{name}"][name]["buckets"]}
        for name in FACETS
    }
    return CaseStudyResults(page=_page_of(hits, total=total, number=number), facets=facets, backend="elasticsearch")


def _hit_from_document(document):
    source = document["_source"]
    fragments = document.get("highlight", {})
    partnerships = source.get("partnership_names") or []
    return CaseStudyHit(
        pk=int(document["_id"]),
        title=source["title"],
        url=source["url"],
        summary=source["summary"],
        state=source["state"],
        stage=source["stage"],
        year=source["year"],
        # A document indexed before evidence levels existed has none: the page's default.
        evidence_level=source.get("evidence_level") or EvidenceLevel.EMERGING,
        partnerships=[partnerships] if isinstance(partnerships, str) else list(partnerships),
        # Elasticsearch escaped the text (encoder "html") and added only <mark> tags.
        title_html=mark_safe(fragments["title"][0]) if "title" in fragments else "",
        summary_html=mark_safe(fragments["summary"][0]) if "summary" in fragments else "",
        snippet_html=mark_safe(fragments["body"][0]) if "body" in fragments else "",
    )


def _sorted_by_date(filters):
    return filters["sort"] == "newest" or not filters["q"]


# --- Database -------------------------------------------------------------------


def _database_filters(filters):
    """{facet: Q} for each filter given; each many-valued one is a subquery, so no join
    repeats a page. The page is filtered by all of them, each facet counted by the others."""
    given = {}
    if filters["state"]:
        given["state"] = Q(state__in=filters["state"])
    if filters["stage"]:
        given["stage"] = Q(stage__in=filters["stage"])
    if filters["evidence"]:
        given["evidence"] = Q(evidence_level__in=filters["evidence"])
    if filters["outcome"]:
        outcomes = CaseStudyPage.outcomes.through.objects.filter(outcome__slug__in=filters["outcome"])
        given["outcome"] = Q(pk__in=outcomes.values("casestudypage_id"))
    if filters["topic"]:
        topics = CaseStudyPage.topics.through.objects.filter(topic__slug__in=filters["topic"])
        given["topic"] = Q(pk__in=topics.values("casestudypage_id"))
    if filters["partnership"]:
        links = CaseStudyPartnership.objects.filter(partnership__slug__in=filters["partnership"])
        given["partnership"] = Q(pk__in=links.values("page_id"))
    years = Q()
    if filters["year_from"] is not None:
        years &= Q(year__gte=filters["year_from"])
    if filters["year_to"] is not None:
        years &= Q(year__lte=filters["year_to"])
    if years:
        given["year"] = years
    return given


def _search_database(filters, page_number):
    """The text match runs once, for the ids of every matching case study in the page's
    order; the filters, the facet counts and the page are read over those ids (the match
    as a subquery of each grouped count was 70-85% of a search's SQL)."""
    ranked = _ranked_sqlite(filters["q"]) if filters["q"] else None
    if ranked is not None:
        matching = case_study_visible().filter(in_list("pk", ranked))
    else:
        matching = _ranked(filters["q"]).filter(page_public_q()) if filters["q"] else case_study_visible()
    if _sorted_by_date(filters):
        matching_ids = list(matching.order_by("-year", "-first_published_at", "pk").values_list("pk", flat=True))
    elif ranked is not None:
        visible = set(matching.values_list("pk", flat=True))
        matching_ids = [pk for pk in ranked if pk in visible]
    else:
        matching_ids = list(matching.values_list("pk", flat=True))
    given = _database_filters(filters)
    listed, facets = _database_filtered(matching_ids, given)
    if given:
        matching_ids = [pk for pk in matching_ids if pk in listed]
    page = Paginator(matching_ids, CASE_STUDIES_PER_PAGE).get_page(page_number)
    ids = list(page.object_list)
    pages = case_study_with_cards(CaseStudyPage.objects.filter(pk__in=ids)).in_bulk()
    terms = _highlight_terms(filters["q"])
    page.object_list = [_hit_from_page(pages[pk], terms) for pk in ids]
    return CaseStudyResults(page=page, facets=facets, backend="database")


def _ranked(query):
    """The live case studies matching `query`, best first, as the search backend's own
    queryset: filtered, counted and sliced further in the database (its results would
    bring every matching page, bodies and all, and its search vector into Python). The
    backend takes field lookups only; filters added to this queryset are past its checks."""
    return CaseStudyPage.objects.live().search(query).get_queryset()


def _ranked_sqlite(query):
    """The ids of the case studies matching `query` in the SQLite full-text backend's order
    (its score, best first, then the higher id), from one full-text match; None on any
    other backend. The backend's own queryset orders by a subquery that runs the match
    again for every matching row, and filters by one that SQLite drives from the content
    type, matching each of its rows: 4 s for the 1,881 matches of "reading" among 10,000
    case studies. Sorted by score, the match reads the full-text index first: 6 ms. The
    match and the score are the backend's own expressions, built by its query compiler."""
    if connections[CaseStudyPage.objects.db].vendor != "sqlite":
        return None
    results = CaseStudyPage.objects.search(query)
    compiler = results.query_compiler
    if type(compiler).__module__ != "modelsearch.backends.database.sqlite.sqlite":
        return None  # a SQLite without FTS5: the backend's plain fallback (its module needs FTS5)
    from modelsearch.backends.database.sqlite.query import MatchExpression, normalize
    from modelsearch.backends.database.sqlite.sqlite import SQLiteFTSIndexEntry
    from modelsearch.utils import get_descendants_content_types_pks

    config = compiler.get_config(results.backend)
    match = MatchExpression(compiler.FTS_TABLE_FIELDS, compiler.build_search_query(normalize(compiler.query), config))
    scored = (
        SQLiteFTSIndexEntry.objects.filter(match)
        .filter(index_entry__content_type__in=get_descendants_content_types_pks(CaseStudyPage))
        .annotate(score=compiler._build_rank_expression(compiler.get_search_vectors(), config))
        .order_by("score")
        .values_list("index_entry__object_id", "score")
    )
    return [-negative_pk for _, negative_pk in sorted((score, -int(pk)) for pk, score in scored)]


LISTED = "listed"  # the rows of the ids listed, beside the facets' rows (not a facet name)

# The facets whose values are the case study's own columns, and those read through a
# link table: (model, its column naming the case study, the value's field).
DATABASE_FACET_COLUMNS = {"state": "state", "stage": "stage", "evidence": "evidence_level", "year": "year"}
DATABASE_FACET_LINKS = {
    "outcome": (CaseStudyPage.outcomes.through, "casestudypage_id", "outcome__slug"),
    "topic": (CaseStudyPage.topics.through, "casestudypage_id", "topic__slug"),
    "partnership": (CaseStudyPartnership, "page_id", "partnership__slug"),
}


def _database_filtered(matching_ids, given):
    """(the ids among `matching_ids` that pass every filter of `given` ({facet: Q}), their
    facet counts {facet: {value: count}}, each facet counted with the other filters), in
    one statement.

    The matching case studies are read once, into a materialised CTE holding their own
    facet values and one flag per filter given; each facet then groups the CTE's rows
    whose other flags are all true, joining a link table for the many-valued ones, and the
    rows whose flags are all true are the ids listed. (Seven grouped counts over the ids,
    and the filtered ids in a query of their own, probed the primary key once per id in
    each of them.)"""
    matching = (
        CaseStudyPage.objects.filter(in_list("pk", matching_ids))
        .order_by()
        .values(
            case_study_id=F("pk"),
            **{f"{facet}_value": Cast(column, CharField()) for facet, column in DATABASE_FACET_COLUMNS.items()},
            **{f"matches_{facet}": ExpressionWrapper(q, output_field=BooleanField()) for facet, q in given.items()},
        )
    )
    connection = connections[matching.db]
    sql, params = matching.query.get_compiler(connection=connection).as_sql()
    branches = []
    for facet in FACETS:
        where = _all_true(f"matches_{other}" for other in given if other != facet)
        if facet in DATABASE_FACET_COLUMNS:
            branches.append(f"SELECT '{facet}', {facet}_value, COUNT(*) FROM matching{where} GROUP BY {facet}_value")
            continue
        model, case_study_column, value_field = DATABASE_FACET_LINKS[facet]
        links = model.objects.order_by().values(case_study_id=F(case_study_column), value=F(value_field))
        links_sql, links_params = links.query.get_compiler(connection=connection).as_sql()
        branches.append(
            f"SELECT '{facet}', links.value, COUNT(DISTINCT matching.case_study_id)"
            f" FROM matching JOIN ({links_sql}) links ON links.case_study_id = matching.case_study_id"
            f"{where} GROUP BY links.value"
        )
        params += links_params
    if given:
        where = _all_true(f"matches_{facet}" for facet in given)
        branches.append(f"SELECT '{LISTED}', CAST(case_study_id AS text), 1 FROM matching{where}")
    listed, counts = set(), {facet: {} for facet in FACETS}
    with connection.cursor() as cursor:
        cursor.execute(f"WITH matching AS {_materialized(connection)}({sql})\n" + "\nUNION ALL ".join(branches), params)
        for facet, value, count in cursor.fetchall():
            if facet == LISTED:
                listed.add(int(value))
            else:
                counts[facet][int(value) if facet == "year" else value] = count
    return listed, counts


def _all_true(flags):
    """A WHERE clause requiring every one of `flags`, or none when there are none."""
    flags = list(flags)
    return f" WHERE {' AND '.join(flags)}" if flags else ""


def _materialized(connection):
    """The hint that the CTE is computed once and read as a table: PostgreSQL takes it,
    SQLite since 3.35; an older SQLite reads a plain CTE."""
    if connection.vendor == "sqlite" and connection.Database.sqlite_version_info < (3, 35):
        return ""
    return "MATERIALIZED "


def _highlight_terms(query):
    words = [re.escape(html.escape(word)) for word in re.findall(r"\w{3,}", query or "")]
    return re.compile(r"\b(" + "|".join(words) + r")\w*", re.IGNORECASE) if words else None


def _highlight(text, terms):
    escaped = html.escape(text)
    return mark_safe(terms.sub(r"<mark>\g<0></mark>", escaped) if terms else escaped)


def _hit_from_page(page, terms):
    return CaseStudyHit(
        pk=page.pk,
        title=page.title,
        url=page.url,
        summary=page.summary,
        state=page.state,
        stage=page.stage,
        year=page.year,
        evidence_level=page.evidence_level,
        partnerships=[link.partnership.title for link in page.partnership_links.all()],
        title_html=_highlight(page.title, terms) if terms else "",
        summary_html=_highlight(page.summary, terms) if terms else "",
    )
