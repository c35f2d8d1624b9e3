from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.search import index

MIN_YEAR, MAX_YEAR = 1990, 2100


class Unit(models.TextChoices):
    PERCENT = "percent", "Percent"
    COUNT = "count", "Count"
    RATE = "rate", "Rate per 1,000"
    SCORE = "score", "Score"


class PopulationGroup(models.TextChoices):
    """All students, and the subgroups report cards break results down by (race and
    ethnicity, income, language, disability), in the order they are shown."""

    ALL = "all", "All students"
    BLACK = "black", "Black"
    HISPANIC = "hispanic", "Hispanic or Latino"
    WHITE = "white", "White"
    ASIAN = "asian", "Asian"
    NATIVE = "native", "American Indian or Alaska Native"
    MULTIRACIAL = "multiracial", "Two or more races"
    LOW_INCOME = "low-income", "Low income"
    ENGLISH_LEARNERS = "english-learners", "English learners"
    DISABILITIES = "disabilities", "Students with disabilities"


class Indicator(index.Indexed, models.Model):
    """A measure of an outcome area that partnerships report year by year (third-grade
    reading proficiency, on-time graduation rate, ...). Staff define them."""

    name = models.CharField(max_length=150, unique=True)
    slug = models.SlugField(max_length=150, unique=True)
    outcome = models.ForeignKey("taxonomy.Outcome", on_delete=models.PROTECT, related_name="indicators")
    unit = models.CharField(max_length=10, choices=Unit.choices, default=Unit.PERCENT)
    description = models.TextField(blank=True, help_text="What is measured, of whom, and how.")
    higher_is_better = models.BooleanField(default=True, help_text="Untick for measures such as chronic absence.")
    sort_order = models.PositiveSmallIntegerField(default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("outcome"),
        FieldRowPanel([FieldPanel("unit"), FieldPanel("higher_is_better")]),
        FieldPanel("description"),
        FieldPanel("sort_order"),
    ]
    search_fields = [
        index.SearchField("name", boost=3),
        index.AutocompleteField("name"),
        index.SearchField("description"),
        index.RelatedFields("outcome", [index.SearchField("name")]),
        index.FilterField("outcome"),
    ]

    class Meta:
        ordering = ["outcome__sort_order", "sort_order", "name"]

    def __str__(self):
        return self.name

    def format_value(self, value):
        """A value as people read it: 41.5%, 1,204, 12.3 per 1,000."""
        if value is None:
            return ""
        number = f"{value:,.1f}".removesuffix(".0") if self.unit != Unit.COUNT else f"{value:,.0f}"
        return {Unit.PERCENT: f"{number}%", Unit.RATE: f"{number} per 1,000"}.get(self.unit, number)


class IndicatorValue(models.Model):
    """One figure of a partnership's report card: an indicator, a year, a population group.

    No value means "not available" for that year; `suppressed` means the source withheld it
    to protect a small group. Neither is ever shown or counted as zero."""

    partnership = models.ForeignKey(
        "network.PartnershipPage", on_delete=models.CASCADE, related_name="indicator_values"
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    year = models.PositiveSmallIntegerField(validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)])
    group = models.CharField(
        "population group", max_length=20, choices=PopulationGroup.choices, default=PopulationGroup.ALL
    )
    value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    suppressed = models.BooleanField(default=False, help_text="Withheld by the source to protect a small group.")
    source = models.CharField(max_length=255, blank=True, help_text="e.g. 'State report card, 2024 release'.")
    updated_at = models.DateTimeField(auto_now=True)

    # A figure belongs to its partnership and goes with it: listed among the partnership's
    # or the indicator's "usage" in the admin, hundreds of them would say nothing, and each
    # save or delete of one would write Wagtail's reference index.
    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["indicator", "year", "group"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "indicator", "year", "group"], name="indicators_value_once_per_year_and_group"
            ),
            models.CheckConstraint(
                condition=Q(suppressed=False) | Q(value__isnull=True), name="indicators_suppressed_has_no_value"
            ),
        ]

    def __str__(self):
        return f"{self.indicator} {self.year} ({self.get_group_display()})"

    def clean(self):
        if self.suppressed and self.value is not None:
            raise ValidationError({"value": "A suppressed figure has no value: leave it empty."})
        is_percent = self.indicator_id and self.indicator.unit == Unit.PERCENT
        if self.value is not None and is_percent and not 0 <= self.value <= 100:
            raise ValidationError({"value": "A percentage lies between 0 and 100."})
        if self.value is not None and self.value < 0:
            raise ValidationError({"value": "This measure cannot be negative."})
