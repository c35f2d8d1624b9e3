import csv

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from network.selectors import partnership_visible
from website.sanitize import csv_cell_safe

from .charts import bar_chart
from .models import Indicator, PopulationGroup
from .selectors import (
    COMPARISON_SORTS,
    indicator_comparison,
    indicator_groups_reported,
    indicator_listing,
    report_card_for_partnership,
)

CSV_COLUMNS = ["partnership", "indicator", "outcome", "year", "group", "value", "unit", "suppressed", "source"]


@require_GET
def indicator_index(request):
    """Every indicator partnerships report, by outcome area."""
    return render(request, "indicators/indicator_index.html", {"indicators": indicator_listing()})


@require_GET
def indicator_detail(request, slug):
    """One indicator across the network: a sortable table and a bar chart of each
    partnership's latest figure, for all students or one subgroup."""
    indicator = get_object_or_404(Indicator.objects.select_related("outcome"), slug=slug)
    groups = indicator_groups_reported(indicator=indicator)
    if not groups:
        raise Http404("No partnership reports this indicator.")
    group = request.GET.get("group", PopulationGroup.ALL)
    if group not in dict(groups):
        group = groups[0][0]
    sort = request.GET.get("sort", "name")
    if sort.lstrip("-") not in COMPARISON_SORTS:
        sort = "name"
    rows = indicator_comparison(indicator=indicator, group=group, sort=sort)
    columns = [
        {"key": key, "label": label, "sort": "-" + key if sort == key else key, "current": sort.lstrip("-") == key}
        for key, label in (("name", "Partnership"), ("value", "Latest"), ("change", "Change since baseline"))
    ]
    for column in columns:
        column["direction"] = ("descending" if sort.startswith("-") else "ascending") if column["current"] else "none"
    context = {
        "indicator": indicator,
        "groups": groups,
        "group": group,
        "group_label": dict(groups)[group],
        "rows": rows,
        "columns": columns,
        "chart": bar_chart(indicator=indicator, rows=rows),
        "indicator_description": (
            f"{indicator.name} ({indicator.outcome.name}): each member partnership's latest figure "
            f"for {dict(groups)[group].lower()}, compared across the network."
        ),
    }
    return render(request, "indicators/indicator_detail.html", context)


@require_GET
def report_card_csv(request, slug):
    """A partnership's report card as CSV: one row per figure; a suppressed figure has an
    empty value and `suppressed` = yes; years with no figure have no row."""
    partnership = get_object_or_404(partnership_visible(), slug=slug)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{partnership.slug}-report-card.csv"'
    writer = csv.DictWriter(response, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for card in report_card_for_partnership(partnership=partnership):
        for series in card.series:
            for cell in series.cells:
                if cell.missing:
                    continue
                row = {
                    "partnership": partnership.title,
                    "indicator": card.indicator.name,
                    "outcome": card.indicator.outcome.name,
                    "year": cell.year,
                    "group": series.group,
                    "value": "" if cell.value is None else cell.value.normalize().to_eng_string(),
                    "unit": card.indicator.unit,
                    "suppressed": "yes" if cell.suppressed else "no",
                    "source": cell.source,
                }
                writer.writerow({column: csv_cell_safe(str(value)) for column, value in row.items()})
    return response
