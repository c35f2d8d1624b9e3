"""Reads for the network directory."""

from collections import Counter

from django.db.models import F, Prefetch, Q
from wagtail import hooks
from wagtail.permission_policies.pages import PagePermissionPolicy

from taxonomy.geography import REGION_OF_STATE, REGIONS
from taxonomy.models import Outcome, Stage
from website.selectors import facet_counts, page_public_q

from .models import PartnershipPage

LOGO_FILTER = "max-160x80"
SORT_ORDER = {
    "name": ["title"],
    "state": ["state", "title"],
    "newest": ["-year_joined", "title"],
    "oldest": ["year_joined", "title"],
}
FACETS = ("state", "region", "stage", "outcome")


def partnership_visible():
    """Partnerships a visitor may see: the one definition of a published partnership."""
    return PartnershipPage.objects.live().filter(page_public_q())


def _filter_q(filters, *, leave_out=None):
    """The Q for `filters`, without the facet `leave_out` (so its own counts stay useful)."""
    q = Q()
    if filters["q"]:
        text = filters["q"]
        q &= Q(title__icontains=text) | Q(city__icontains=text) | Q(anchor_organisation__icontains=text)
    if filters["state"] and leave_out != "state":
        q &= Q(state__in=filters["state"])
    if filters["region"] and leave_out != "region":
        states = set().union(*(REGIONS[region][1] for region in filters["region"]))
        q &= Q(state__in=states)
    if filters["stage"] and leave_out != "stage":
        q &= Q(stage__in=filters["stage"])
    if filters["outcome"] and leave_out != "outcome":
        # Any of the chosen outcomes: subqueries keep one row per partnership.
        outcome_q = Q()
        for links in _outcome_links():
            outcome_q |= Q(pk__in=links.filter(outcome_slug__in=filters["outcome"]).values("partnership_id"))
        q &= outcome_q
    return q


def _outcome_links():
    """Querysets of (partnership_id, outcome_slug) rows: the outcome areas partnerships list,
    and those apps above report for them through the `partnership_outcome_links` hook
    (report-card indicators), so the outcome filter finds both."""
    listed = PartnershipPage.outcomes.through.objects.values(
        partnership_id=F("partnershippage_id"), outcome_slug=F("outcome__slug")
    )
    return [listed] + [links() for links in hooks.get_hooks("partnership_outcome_links")]


def _outcome_counts(filters):
    """How many partnerships each outcome would show, counting every source of links once."""
    matching = partnership_visible().filter(_filter_q(filters, leave_out="outcome")).values("pk")
    pairs = set()
    for links in _outcome_links():
        pairs.update(links.filter(partnership_id__in=matching).values_list("partnership_id", "outcome_slug"))
    return Counter(slug for _, slug in pairs)


def partnership_editable_by(*, user):
    """The partnerships whose page `user` may edit (their editors group, or staff with edit
    rights above them): apps above use it to let a partnership's editors manage its data."""
    pages = PagePermissionPolicy().instances_user_has_permission_for(user, "change")
    return PartnershipPage.objects.filter(pk__in=pages.type(PartnershipPage).values("pk"))


def partnership_directory(*, filters):
    """The partnerships matching `filters`, sorted, with what their cards show loaded."""
    return (
        partnership_visible()
        .filter(_filter_q(filters))
        .order_by(*SORT_ORDER[filters["sort"]])
        .select_related("logo")
        .prefetch_related(Prefetch("outcomes", queryset=Outcome.objects.all()))
    )


def partnership_facet_counts(*, filters):
    """For each facet, how many partnerships each value would show, given the other filters.

    Returns {"state": {"OH": 3, ...}, "region": {...}, "stage": {...}, "outcome": {...}}
    in two queries (one more per app adding outcome links) whatever the number of partnerships.
    """
    counts = facet_counts(
        partnership_visible(),
        facets={
            facet: (field, _filter_q(filters, leave_out=facet))
            for facet, field in (
                ("state", "state"),
                ("region", "state"),
                ("stage", "stage"),
            )
        },
    )
    regions = dict.fromkeys(REGIONS, 0)
    for state, count in counts["region"].items():
        regions[REGION_OF_STATE[state]] += count
    return {
        "state": counts["state"],
        "region": regions,
        "stage": {stage: counts["stage"].get(stage, 0) for stage in Stage.values},
        "outcome": _outcome_counts(filters),
    }


# The columns of the CSV/JSON export, which import_partnerships reads back.
EXPORT_COLUMNS = [
    "name",
    "slug",
    "city",
    "state",
    "region",
    "latitude",
    "longitude",
    "stage",
    "outcomes",
    "anchor_organisation",
    "year_joined",
    "website",
    "feed_url",
    "contact_name",
    "contact_email",
    "summary",
    "url",
]


def partnership_export_rows(*, partnerships):
    """One dict per partnership with the EXPORT_COLUMNS (outcomes as `;`-separated slugs)."""
    for partnership in partnerships:
        yield {
            "name": partnership.title,
            "slug": partnership.slug,
            "city": partnership.city,
            "state": partnership.state,
            "region": partnership.region,
            "latitude": "" if partnership.latitude is None else str(partnership.latitude),
            "longitude": "" if partnership.longitude is None else str(partnership.longitude),
            "stage": partnership.stage,
            "outcomes": ";".join(outcome.slug for outcome in partnership.outcomes.all()),
            "anchor_organisation": partnership.anchor_organisation,
            "year_joined": "" if partnership.year_joined is None else str(partnership.year_joined),
            "website": partnership.website,
            "feed_url": partnership.feed_url,
            "contact_name": partnership.contact_name,
            "contact_email": partnership.contact_email,
            "summary": partnership.summary,
            "url": partnership.full_url,
        }
