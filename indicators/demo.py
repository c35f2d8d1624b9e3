"""Demo report cards: six indicators, figures for 2018-2024 for a dozen partnerships, all
students and four subgroups. 2020 is not reported (tests were cancelled that spring) and
small groups are suppressed here and there, as in real state files. Seeded, so a rerun
writes the same figures."""

import random
from decimal import Decimal

from network.models import PartnershipPage
from taxonomy.models import Outcome

from .models import Indicator, IndicatorValue, PopulationGroup, Unit

# slug, name, outcome, description, baseline %, yearly change, higher is better
INDICATORS = [
    (
        "kindergarten-ready",
        "Children assessed as kindergarten ready",
        "kindergarten-readiness",
        "Share of entering kindergartners meeting the state readiness benchmark.",
        44,
        1.5,
        True,
    ),
    (
        "third-grade-reading",
        "Third graders reading at grade level",
        "early-grade-reading",
        "Share of third graders scoring proficient or above on the state reading test.",
        38,
        1.2,
        True,
    ),
    (
        "eighth-grade-math",
        "Eighth graders proficient in math",
        "middle-grade-math",
        "Share of eighth graders scoring proficient or above on the state math test.",
        29,
        0.9,
        True,
    ),
    (
        "chronic-absence",
        "Students chronically absent",
        "high-school-graduation",
        "Share of students missing 10% or more of school days.",
        22,
        -0.8,
        False,
    ),
    (
        "on-time-graduation",
        "On-time high-school graduation",
        "high-school-graduation",
        "Four-year adjusted cohort graduation rate.",
        78,
        1.1,
        True,
    ),
    (
        "college-enrolment",
        "Graduates enrolling in college the next fall",
        "postsecondary-enrolment",
        "Share of high-school graduates enrolled in a two- or four-year college by October.",
        52,
        0.7,
        True,
    ),
]
YEARS = range(2018, 2025)
# subgroup, offset from all students (points)
SUBGROUPS = [
    (PopulationGroup.BLACK, -12),
    (PopulationGroup.HISPANIC, -8),
    (PopulationGroup.WHITE, 9),
    (PopulationGroup.LOW_INCOME, -10),
]
SUPPRESSION_CHANCE = 0.06


def load(*, home_page, stdout):
    outcomes = {outcome.slug: outcome for outcome in Outcome.objects.all()}
    indicators = []
    for order, (slug, name, outcome, description, _, _, higher_is_better) in enumerate(INDICATORS):
        indicator, _ = Indicator.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "outcome": outcomes[outcome],
                "unit": Unit.PERCENT,
                "description": description,
                "higher_is_better": higher_is_better,
                "sort_order": order,
            },
        )
        indicators.append(indicator)
    partnerships = list(PartnershipPage.objects.live().order_by("pk")[:12])
    IndicatorValue.objects.filter(partnership__in=partnerships, indicator__in=indicators).delete()
    figures_to_write = []
    for partnership in partnerships:
        rng = random.Random(partnership.slug)
        for indicator, (_, _, _, _, baseline, trend, _) in zip(indicators, INDICATORS, strict=True):
            start = baseline + rng.uniform(-8, 8)
            for year in YEARS:
                if year == 2020:
                    continue
                overall = start + trend * (year - YEARS.start) + rng.uniform(-1.5, 1.5)
                figures = [(PopulationGroup.ALL, overall)] + [
                    (group, overall + offset + rng.uniform(-2, 2)) for group, offset in SUBGROUPS
                ]
                for group, figure in figures:
                    suppressed = group != PopulationGroup.ALL and rng.random() < SUPPRESSION_CHANCE
                    figures_to_write.append(
                        IndicatorValue(
                            partnership=partnership,
                            indicator=indicator,
                            year=year,
                            group=group,
                            value=None if suppressed else Decimal(f"{min(max(figure, 1), 99):.1f}"),
                            suppressed=suppressed,
                            source=f"State report card, {year + 1} release",
                        )
                    )
    IndicatorValue.objects.bulk_create(figures_to_write)
    stdout.write(
        f"  indicators: {len(indicators)} indicators, {len(figures_to_write)} figures for {len(partnerships)} partnerships"
    )
