"""Reads for report cards: a partnership's indicators as series, and the network's
comparison of one indicator. A year without a figure and a suppressed figure stay
distinct from each other and from zero all the way to the page."""

from dataclasses import dataclass, field

from django.db.models import Count, Q
from wagtail.search.backends import get_search_backend

from network.models import PartnershipPage
from network.selectors import partnership_visible

from .models import Indicator, IndicatorValue, PopulationGroup

GROUP_ORDER = {group: position for position, group in enumerate(PopulationGroup.values)}
GROUP_LABELS = dict(PopulationGroup.choices)


@dataclass
class Cell:
    """One year of one group: a value, or suppressed, or nothing reported."""

    year: int
    value: object = None
    suppressed: bool = False
    source: str = ""

    @property
    def missing(self):
        return self.value is None and not self.suppressed


@dataclass
class Series:
    group: str
    cells: list
    label: str = ""

    def __post_init__(self):
        self.label = self.label or GROUP_LABELS.get(self.group, self.group)

    @property
    def reported(self):
        return [cell for cell in self.cells if cell.value is not None]

    @property
    def baseline(self):
        return self.reported[0] if self.reported else None

    @property
    def latest(self):
        return self.reported[-1] if len(self.reported) > 1 else None

    @property
    def change(self):
        return self.latest.value - self.baseline.value if self.latest else None


@dataclass
class IndicatorCard:
    indicator: Indicator
    years: list
    series: list
    sources: list = field(default_factory=list)


def indicator_visible_values():
    """Figures visitors may see: those of published, public partnerships."""
    return IndicatorValue.objects.filter(partnership__in=partnership_visible())


def _series(values, years):
    by_group = {}
    for value in values:
        by_group.setdefault(value.group, {})[value.year] = value
    series = []
    for group in sorted(by_group, key=GROUP_ORDER.get):
        found = by_group[group]
        series.append(
            Series(
                group=group,
                cells=[
                    Cell(year, found[year].value, found[year].suppressed, found[year].source)
                    if year in found
                    else Cell(year)
                    for year in years
                ],
            )
        )
    return series


def report_card_for_partnership(*, partnership):
    """Each indicator the partnership reports, with every year from its first to its last
    (a year in between with no figure shows as missing) and a series per group."""
    values = list(
        IndicatorValue.objects.filter(partnership=partnership)
        .select_related("indicator__outcome")
        .order_by("indicator__outcome__sort_order", "indicator__sort_order", "indicator__name", "year")
    )
    cards = []
    by_indicator = {}
    for value in values:
        by_indicator.setdefault(value.indicator, []).append(value)
    for indicator, indicator_values in by_indicator.items():
        first, last = indicator_values[0].year, indicator_values[-1].year
        years = list(range(first, last + 1))
        sources = sorted({value.source for value in indicator_values if value.source})
        cards.append(
            IndicatorCard(indicator=indicator, years=years, series=_series(indicator_values, years), sources=sources)
        )
    return cards


def indicator_listing():
    """Indicators some visible partnership reports, with how many partnerships report each."""
    visible = partnership_visible()
    return (
        Indicator.objects.select_related("outcome")
        .annotate(
            partnership_count=Count("values__partnership", filter=Q(values__partnership__in=visible), distinct=True)
        )
        .filter(partnership_count__gt=0)
    )


@dataclass
class ComparisonRow:
    partnership: PartnershipPage
    series: Series

    @property
    def latest_cell(self):
        """The newest year reported, even when that figure is suppressed."""
        reported = [cell for cell in self.series.cells if not cell.missing]
        return reported[-1] if reported else None


COMPARISON_SORTS = ("name", "value", "change")


def indicator_comparison(*, indicator, group, sort):
    """One row per visible partnership reporting `indicator` for `group`: its series,
    latest figure and change since its baseline, sorted by `sort` (`-` for descending).
    Rows without a figure to sort by go last, whatever the direction."""
    values = list(
        indicator_visible_values()
        .filter(indicator=indicator, group=group)
        .select_related("partnership")
        .order_by("partnership__title", "year")
    )
    by_partnership = {}
    for value in values:
        by_partnership.setdefault(value.partnership, []).append(value)
    rows = []
    for partnership, partnership_values in by_partnership.items():
        years = list(range(partnership_values[0].year, partnership_values[-1].year + 1))
        rows.append(ComparisonRow(partnership=partnership, series=_series(partnership_values, years)[0]))
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key == "name":
        rows.sort(key=lambda row: row.partnership.title.lower(), reverse=descending)
        return rows

    def figure(row):
        if key == "value":
            return row.latest_cell.value if row.latest_cell else None
        return row.series.change

    known = sorted((row for row in rows if figure(row) is not None), key=figure, reverse=descending)
    return known + [row for row in rows if figure(row) is None]


def indicator_groups_reported(*, indicator):
    """The population groups some visible partnership reports this indicator for, in order."""
    groups = set(indicator_visible_values().filter(indicator=indicator).values_list("group", flat=True).distinct())
    return [(group, GROUP_LABELS[group]) for group in PopulationGroup.values if group in groups]


def indicator_search(*, query, limit):
    """Indicators matching `query` (Wagtail search), for site search."""
    if not query:
        return []
    reported = set(indicator_listing().values_list("pk", flat=True))
    matches = get_search_backend().search(query, Indicator.objects.select_related("outcome"))
    return [indicator for indicator in matches if indicator.pk in reported][:limit]
