"""The practice library's views: served by CaseStudyIndexPage's routes."""

from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from network.selectors import partnership_visible
from taxonomy.geography import STATES
from taxonomy.models import Outcome, Stage, Topic
from website.responses import noindex

from .forms import SORT_CHOICES, CaseStudySearchForm
from .library import case_study_search, case_study_suggestions
from .models import EVIDENCE_CRITERIA, EvidenceLevel

FILTER_NAMES = ("state", "stage", "evidence", "outcome", "topic", "partnership")


def case_study_library(request, *, index_page):
    """The practice library: search box, facets with counts, highlighted results."""
    outcomes = list(Outcome.objects.all())
    topics = list(Topic.objects.all())
    partnerships = list(partnership_visible().order_by("title").values_list("slug", "title"))
    form = CaseStudySearchForm(request.GET, outcomes=outcomes, topics=topics, partnerships=partnerships)
    filters = form.filters()
    results = case_study_search(filters=filters, page_number=request.GET.get("page"))
    counts = results.facets

    def options(name, choices):
        chosen = filters[name]
        return [
            {"value": value, "label": label, "count": counts[name].get(value, 0), "selected": value in chosen}
            for value, label in choices
            if counts[name].get(value) or value in chosen
        ]

    facets = [
        ("topic", "Practice topic", options("topic", [(topic.slug, topic.name) for topic in topics])),
        ("outcome", "Outcome area", options("outcome", [(outcome.slug, outcome.name) for outcome in outcomes])),
        ("evidence", "Evidence level", options("evidence", EvidenceLevel.choices)),
        ("stage", "Theory of Action stage", options("stage", Stage.choices)),
        ("state", "State", options("state", sorted(STATES.items(), key=lambda item: item[1]))),
        ("partnership", "Partnership", options("partnership", partnerships)),
    ]
    labels = {name: {option["value"]: option["label"] for option in values} for name, _, values in facets}
    active = [
        {"label": labels[name].get(value, value), "remove_url": _without(request, name, value)}
        for name in FILTER_NAMES
        for value in filters[name]
    ]
    if filters["year_from"] is not None or filters["year_to"] is not None:
        active.append({"label": _year_label(filters), "remove_url": _without(request, "year_from", "year_to")})
    context = index_page.get_context(request)
    context.update(
        {
            "filters": filters,
            "facets": facets,
            "years": sorted(counts["year"].items()),
            "active_filters": active,
            "results": results,
            "sort_choices": SORT_CHOICES,
        }
    )
    return noindex(TemplateResponse(request, index_page.get_template(request), context))


def _without(request, name, *values):
    """This page's query string without one filter value (or, for the years, both ends)."""
    query = request.GET.copy()
    query.pop("page", None)
    if name == "year_from":
        query.pop("year_from", None)
        query.pop("year_to", None)
    else:
        query.setlist(name, [value for value in query.getlist(name) if value not in values])
    return f"?{query.urlencode()}" if query else "?"


def _year_label(filters):
    start, end = filters["year_from"], filters["year_to"]
    if start is not None and end is not None:
        return f"{start} to {end}" if start != end else str(start)
    return f"from {start}" if start is not None else f"up to {end}"


@require_GET
def case_study_suggestions_view(request, *, index_page):
    suggestions = case_study_suggestions(prefix=request.GET.get("q", ""))
    return noindex(JsonResponse({"suggestions": suggestions}))


@require_GET
def evidence_levels(request, *, index_page):
    """What each evidence level requires: the criteria every case study's badge refers to."""
    levels = [
        {"value": level.value, "label": level.label, "summary": summary, "requirements": requirements}
        for level, (summary, requirements) in EVIDENCE_CRITERIA.items()
    ]
    # Its own address as the canonical one (page_meta reads listing_url), not the library's.
    listing_url = index_page.get_full_url(request) + index_page.reverse_subpage("evidence")
    return index_page.render(
        request,
        template="practices/evidence_levels.html",
        context_overrides={"levels": levels, "listing_url": listing_url},
    )
