import csv

from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.template.response import TemplateResponse

from taxonomy.geography import REGION_CHOICES, STATE_CHOICES, STATES, TILE_GRID
from taxonomy.models import Outcome, Stage
from website.sanitize import csv_cell_safe
from website.selectors import image_renditions_prefetch

from .forms import SORT_CHOICES, DirectoryFilterForm
from .selectors import (
    EXPORT_COLUMNS,
    LOGO_FILTER,
    partnership_directory,
    partnership_export_rows,
    partnership_facet_counts,
)

PER_PAGE = 24


def _filters(request):
    outcomes = list(Outcome.objects.all())
    form = DirectoryFilterForm(request.GET, outcomes=outcomes)
    return form, form.filters(), outcomes


def directory_listing(request, *, directory):
    form, filters, outcomes = _filters(request)
    partnerships = Paginator(partnership_directory(filters=filters), PER_PAGE).get_page(request.GET.get("page"))
    image_renditions_prefetch(images=[partnership.logo for partnership in partnerships], filter_spec=LOGO_FILTER)
    counts = partnership_facet_counts(filters=filters)
    facets = [
        ("stage", "Stage", [(value, label, counts["stage"].get(value, 0)) for value, label in Stage.choices]),
        ("outcome", "Outcome", [(o.slug, o.name, counts["outcome"].get(o.slug, 0)) for o in outcomes]),
        ("region", "Region", [(value, label, counts["region"].get(value, 0)) for value, label in REGION_CHOICES]),
        (
            "state",
            "State",
            [
                (value, label, counts["state"].get(value, 0))
                for value, label in STATE_CHOICES
                if counts["state"].get(value) or value in filters["state"]
            ],
        ),
    ]
    context = directory.get_context(request)
    context.update(
        {
            "form": form,
            "filters": filters,
            "facets": facets,
            "sort_choices": SORT_CHOICES,
            "partnerships": partnerships,
            "active_filter_count": sum(len(filters[name]) for name in ("state", "region", "stage", "outcome"))
            + bool(filters["q"]),
            "map_tiles": _map_tiles(counts["state"], selected=filters["state"]),
        }
    )
    return TemplateResponse(request, directory.get_template(request), context)


def _map_tiles(counts, *, selected):
    """The tile map: one square per state, shaded in five steps by its partnership count."""
    top = max(counts.values(), default=0)
    tiles = []
    for state, (row, column) in TILE_GRID.items():
        count = counts.get(state, 0)
        shade = 0 if not count else 1 + (4 * (count - 1)) // max(top, 1)
        tiles.append(
            {
                "state": state,
                "name": STATES[state],
                "count": count,
                "shade": min(shade, 4),
                "x": column * 44,
                "y": row * 44,
                "selected": state in selected,
            }
        )
    return tiles


def _export_rows(request):
    _, filters, _ = _filters(request)
    return partnership_export_rows(partnerships=partnership_directory(filters=filters))


def directory_csv(request, *, directory):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="partnerships.csv"'
    writer = csv.DictWriter(response, fieldnames=EXPORT_COLUMNS)
    writer.writeheader()
    for row in _export_rows(request):
        writer.writerow({column: csv_cell_safe(value) for column, value in row.items()})
    return response


def directory_json(request, *, directory):
    rows = list(_export_rows(request))
    return JsonResponse({"count": len(rows), "partnerships": rows})
