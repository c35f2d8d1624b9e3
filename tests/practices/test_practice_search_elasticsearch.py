"""Practice search on the real Elasticsearch node: the index follows the pages, facets,
typos, highlights, suggestions, rebuilds behind an alias, and the database fallback."""

import logging

import pytest
from django.core.management import call_command
from wagtail.models import PageViewRestriction

from practices import services
from practices.documents import CaseStudyDocument
from practices.library import case_study_search, case_study_suggestions
from practices.models import CaseStudyPage
from tests.factories import PartnershipPageFactory

pytestmark = pytest.mark.services


def filters(**given):
    base = {
        "q": "",
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
    return base | given


def titles(results):
    return [hit.title for hit in results.page.object_list]


def indexed_ids(client):
    client.indices.refresh(index=CaseStudyDocument.alias_name())
    response = client.search(index=CaseStudyDocument.alias_name(), query={"match_all": {}}, size=100, _source=False)
    return {int(hit["_id"]) for hit in response["hits"]["hits"]}


def test_publish_unpublish_and_delete_keep_the_index_in_step(
    elasticsearch, make_case_study, django_capture_on_commit_callbacks
):
    kept = make_case_study(title="Kindergarten readiness screening")
    gone = make_case_study(title="Summer reading camp")
    assert indexed_ids(elasticsearch) == {kept.pk, gone.pk}

    with django_capture_on_commit_callbacks(execute=True):
        gone.unpublish()
    assert indexed_ids(elasticsearch) == {kept.pk}

    with django_capture_on_commit_callbacks(execute=True):
        gone.save_revision().publish()
    assert indexed_ids(elasticsearch) == {kept.pk, gone.pk}

    with django_capture_on_commit_callbacks(execute=True):
        gone.delete()
    assert indexed_ids(elasticsearch) == {kept.pk}


def test_edits_moves_and_privacy_reach_the_index(
    elasticsearch, make_case_study, library, home_page, django_capture_on_commit_callbacks
):
    page = make_case_study(title="Chronic absence outreach")
    page.title = "Chronic absence cut in half"
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    assert titles(case_study_search(filters=filters(q="cut in half"))) == ["Chronic absence cut in half"]

    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(page=library, restriction_type=PageViewRestriction.LOGIN)
    assert indexed_ids(elasticsearch) == set()
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.filter(page=library).delete()
    assert indexed_ids(elasticsearch) == {page.pk}

    with django_capture_on_commit_callbacks(execute=True):
        library.slug = "library"
        library.save_revision().publish()
        library.move(home_page, pos="last-child")
    document = CaseStudyDocument.get(id=page.pk, using=elasticsearch, index=CaseStudyDocument.alias_name())
    assert document.url == page.specific.__class__.objects.get(pk=page.pk).url


def test_a_partnership_renamed_is_renamed_in_its_case_studies(
    elasticsearch, make_case_study, home_page, django_capture_on_commit_callbacks
):
    from tests.factories import DirectoryPageFactory

    partnership = PartnershipPageFactory(parent=DirectoryPageFactory(parent=home_page), title="Tulsa Promise")
    make_case_study(title="Data sharing agreement", partnerships=[partnership])
    partnership.title = "Tulsa Learning Alliance"
    with django_capture_on_commit_callbacks(execute=True):
        partnership.save_revision().publish()
    hit = case_study_search(filters=filters(q="data sharing")).page.object_list[0]
    assert hit.partnerships == ["Tulsa Learning Alliance"]


@pytest.mark.parametrize(
    "facet, value, in_the_database",
    [
        ("state", ["OH"], {"state": "OH"}),
        ("stage", ["sustaining"], {"stage": "sustaining"}),
        ("evidence", ["proven"], {"evidence_level": "proven"}),
        ("outcome", ["employment"], {"outcomes__slug": "employment"}),
        ("topic", ["equity"], {"topics__slug": "equity"}),
        ("partnership", ["milwaukee-promise"], {"partnership_links__partnership__slug": "milwaukee-promise"}),
        ("year_from", 2024, {"year__gte": 2024}),
    ],
)
def test_every_facet_filters_and_counts_what_the_database_holds(
    elasticsearch, indexed_corpus, facet, value, in_the_database
):
    expected = CaseStudyPage.objects.filter(**in_the_database).distinct().count()
    assert 0 < expected < 32
    results = case_study_search(filters=filters(**{facet: value}))
    assert results.backend == "elasticsearch"
    assert results.page.paginator.count == expected
    unfiltered = case_study_search(filters=filters())
    if facet != "year_from":
        assert unfiltered.facets[facet][value[0]] == expected


def test_facets_combine_with_text_and_count_with_the_other_filters(elasticsearch, indexed_corpus):
    everything = case_study_search(filters=filters())
    assert everything.page.paginator.count == 32
    assert sum(everything.facets["topic"].values()) >= 32

    text = case_study_search(filters=filters(q="reading"))
    narrowed = case_study_search(filters=filters(q="reading", topic=["k12"], outcome=["early-grade-reading"]))
    assert 0 < narrowed.page.paginator.count < text.page.paginator.count
    assert all("<mark>" in hit.title_html + hit.summary_html + hit.snippet_html for hit in narrowed.page.object_list)
    # A facet's own counts ignore its own selection, so the visitor can widen it again...
    assert narrowed.facets["topic"]["community-engagement"] > 0
    # ...and the other facets count only what the current selection shows.
    assert sum(count for count in narrowed.facets["state"].values()) == narrowed.page.paginator.count

    partnership = indexed_corpus.get(city="Milwaukee")
    by_partnership = case_study_search(filters=filters(partnership=[partnership.slug]))
    assert by_partnership.page.paginator.count == 4
    assert {hit.partnerships[0] for hit in by_partnership.page.object_list} == {"Milwaukee Promise"}

    years = case_study_search(filters=filters(year_from=2018, year_to=2019, topic=["data-use"]))
    assert all(2018 <= hit.year <= 2019 for hit in years.page.object_list)
    assert set(years.facets["year"]) > {2018, 2019}, "the year counts ignore the year range itself"


def test_typos_are_forgiven_and_matches_highlighted(elasticsearch, indexed_corpus):
    results = case_study_search(filters=filters(q="kindergarden readyness"))
    assert titles(results)[0].startswith("Kindergarten readiness screening")
    hit = results.page.object_list[0]
    assert "<mark>Kindergarten</mark> <mark>readiness</mark>" in hit.title_html
    assert "<mark>" in hit.summary_html or "<mark>" in hit.snippet_html


def test_a_word_as_typed_outranks_a_near_spelling_even_in_a_title(elasticsearch, make_case_study):
    """Typos find case studies, but only words as typed rank by where they are: a typo
    in the query, or a near spelling in a title, counts once (as in Algolia's ranking)."""
    make_case_study(title="Couch talks", summary="Couch visits at home.")
    filler = "Teams met weekly with families and counsellors to plan the next term together. " * 20
    make_case_study(
        title="Attendance teams",
        summary="Counsellors call home.",
        body=[("paragraph", f"<p>{filler}Coaching helped.</p>")],
    )
    assert titles(case_study_search(filters=filters(q="coaching"))) == ["Attendance teams", "Couch talks"]
    assert titles(case_study_search(filters=filters(q="coachin"))) == ["Attendance teams"]


def test_a_repeated_search_is_answered_from_the_nodes_request_cache(elasticsearch, indexed_corpus):
    def request_cache():
        stats = elasticsearch.indices.stats(index=CaseStudyDocument.alias_name(), metric="request_cache")
        return stats["_all"]["primaries"]["request_cache"]

    first = case_study_search(filters=filters(q="reading", topic=["k12"]))
    cached = request_cache()
    again = case_study_search(filters=filters(q="reading", topic=["k12"]))
    assert request_cache()["hit_count"] == cached["hit_count"] + 1
    assert again.page.object_list == first.page.object_list and again.facets == first.facets


def test_stemming_finds_other_forms_of_a_word(elasticsearch, indexed_corpus):
    # "internship" is indexed from "internships", "legislators" from "legislators" only.
    assert titles(case_study_search(filters=filters(q="internship")))[0].startswith("Paid internships")
    assert any(
        title.startswith("Free FAFSA") for title in titles(case_study_search(filters=filters(q="completing forms")))
    )


def test_highlights_escape_the_text_around_them(elasticsearch, make_case_study):
    make_case_study(title="Reading <script>alert(1)</script> camp", summary="A <b>bold</b> reading plan")
    hit = case_study_search(filters=filters(q="reading")).page.object_list[0]
    assert "<script>" not in hit.title_html and "&lt;script&gt;" in hit.title_html
    assert "<b>" not in hit.summary_html


def test_suggestions_complete_from_any_word_of_a_title(elasticsearch, indexed_corpus):
    suggestions = [suggestion["title"] for suggestion in case_study_suggestions(prefix="readin")]
    assert any(title.startswith("Kindergarten readiness") for title in suggestions)
    assert any(title.startswith("Summer reading") for title in suggestions)
    assert all(suggestion["url"].startswith("/practices/") for suggestion in case_study_suggestions(prefix="fafs"))
    assert case_study_suggestions(prefix="intenrsh")  # a typo in what is typed so far


def test_rebuild_swaps_the_alias_and_search_answers_throughout(elasticsearch, indexed_corpus, monkeypatch):
    alias = CaseStudyDocument.alias_name()
    before = set(elasticsearch.indices.get_alias(name=alias))
    monkeypatch.setattr(services, "BULK_CHUNK", 5)
    answers = []

    def search_meanwhile(done, total):
        results = case_study_search(filters=filters(q="kindergarten readiness"))
        answers.append((done, results.backend, results.page.paginator.count))

    report = services.case_study_index_rebuild(on_progress=search_meanwhile)
    assert report.indexed == 32 and len(answers) == 7
    assert all(backend == "elasticsearch" and count > 0 for _, backend, count in answers)
    after = set(elasticsearch.indices.get_alias(name=alias))
    assert after == {report.index} and after != before
    assert not elasticsearch.indices.exists(index=",".join(before), allow_no_indices=False, ignore_unavailable=False)
    assert case_study_search(filters=filters()).page.paginator.count == 32


def test_rebuild_leaves_the_new_index_in_one_segment(elasticsearch, corpus, monkeypatch):
    monkeypatch.setattr(services, "BULK_CHUNK", 5)

    def refresh_each_chunk(done, total):
        elasticsearch.indices.refresh(index=f"{CaseStudyDocument.alias_name()}-*")  # a segment per chunk

    report = services.case_study_index_rebuild(on_progress=refresh_each_chunk)
    segments = elasticsearch.indices.segments(index=report.index)["indices"][report.index]["shards"]["0"][0]
    assert report.indexed == 32 and segments["num_search_segments"] == 1


def test_rebuild_keeps_what_editors_did_while_it_ran(
    elasticsearch, indexed_corpus, make_case_study, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "BULK_CHUNK", 10)
    published = []

    def editor_publishes(done, total):
        if not published:
            published.append(make_case_study(title="Published during the rebuild"))

    services.case_study_index_rebuild(on_progress=editor_publishes)
    assert "Published during the rebuild" in titles(case_study_search(filters=filters(q="during the rebuild")))


def test_search_index_command_checks_and_reports_drift(elasticsearch, indexed_corpus, capsys):
    call_command("search_index", "check")
    out = capsys.readouterr().out
    assert "32 documents" in out and "stemming: " in out and "In step" in out

    elasticsearch.delete(index=CaseStudyDocument.alias_name(), id=CaseStudyPage.objects.first().pk, refresh=True)
    with pytest.raises(Exception, match="drifted"):
        call_command("search_index", "check")
    call_command("search_index", "rebuild")
    call_command("search_index", "check")


def test_the_page_falls_back_to_the_database_when_the_node_goes_down(
    elasticsearch_behind_proxy, indexed_corpus, client, caplog
):
    assert case_study_search(filters=filters(q="fafsa")).backend == "elasticsearch"

    elasticsearch_behind_proxy.stop()
    with caplog.at_level(logging.WARNING, logger="website.elasticsearch"):
        results = case_study_search(filters=filters(q="fafsa", topic=["postsecondary"]))
    assert results.backend == "database"
    assert titles(results) and all("FAFSA" in title for title in titles(results))
    assert "Elasticsearch unavailable" in caplog.text

    response = client.get("/practices/?q=fafsa&topic=postsecondary")
    assert response.status_code == 200
    assert b"/practices/free-fafsa-completion-nights" in response.content
    assert client.get("/practices/suggest/?q=fafs").json()["suggestions"]


def test_an_editor_can_publish_while_the_node_is_down(elasticsearch_behind_proxy, make_case_study):
    elasticsearch_behind_proxy.stop()
    page = make_case_study(title="Published during an outage")
    page.refresh_from_db()
    assert page.live
    assert case_study_search(filters=filters(q="outage")).backend == "database"
