from django.db.models import F
from django.urls import reverse
from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from .charts import line_chart
from .models import Indicator, IndicatorValue
from .permissions import IndicatorValuePermissionPolicy
from .selectors import report_card_for_partnership
from .viewsets import IndicatorValueViewSet


@hooks.register("partnership_page_sections")
def partnership_report_card(*, partnership, request, limit):
    """The partnership page's report card: per indicator a trend chart, the same numbers in
    a table with baseline and latest, and a CSV download of it all (every indicator: the
    card is the partnership's data, not a teaser, so `limit` does not apply)."""
    cards = report_card_for_partnership(partnership=partnership)
    for card in cards:
        card.chart = line_chart(indicator=card.indicator, years=card.years, series=card.series)
    csv_url = reverse("indicators:report_card_csv", args=[partnership.slug])
    return {"report_card": {"cards": cards, "csv_url": csv_url, "partnership": partnership} if cards else None}


register_permission_policy(IndicatorValue, IndicatorValuePermissionPolicy(IndicatorValue))
register_snippet(Indicator)


@hooks.register("register_admin_viewset")
def register_indicator_value_viewset():
    return IndicatorValueViewSet("indicator_values")


@hooks.register("partnership_outcome_links")
def partnership_outcomes_reported():
    """A partnership reporting an indicator is found under that indicator's outcome area."""
    return IndicatorValue.objects.values("partnership_id", outcome_slug=F("indicator__outcome__slug"))
