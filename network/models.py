from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Orderable
from wagtail.search import index

from taxonomy.geography import REGION_OF_STATE, REGIONS, STATE_CHOICES, STATES
from taxonomy.models import Outcome, Stage
from website.blocks import BodyBlock
from website.models import BasePage
from website.routing import route_to

http_url = URLValidator(schemes=["http", "https"])
PARTNERSHIP_POSTS = 5


class DirectoryPage(RoutablePageMixin, BasePage):
    """The network directory: every partnership, filterable, with a map and exports."""

    introduction = models.TextField(blank=True)
    description_field = "introduction"

    content_panels = BasePage.content_panels + [FieldPanel("introduction")]
    subpage_types = ["network.PartnershipPage"]
    max_count = 1
    template = "network/directory_page.html"

    @path("")
    def directory(self, request):
        return route_to("network.views.directory_listing", request, directory=self)

    @path("csv/")
    def directory_csv(self, request):
        return route_to("network.views.directory_csv", request, directory=self)

    @path("json/")
    def directory_json(self, request):
        return route_to("network.views.directory_json", request, directory=self)


class PartnershipPage(BasePage):
    """One member partnership, kept current by its own staff."""

    search_result_kind = "Partnership"

    city = models.CharField("city or county", max_length=120, blank=True)
    state = models.CharField(max_length=2, choices=STATE_CHOICES, db_index=True)
    latitude = models.DecimalField(
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.EXPLORING, db_index=True)
    outcomes = ParentalManyToManyField(Outcome, blank=True, related_name="partnerships")
    anchor_organisation = models.CharField(max_length=200, blank=True)
    year_joined = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    website = models.URLField(blank=True, validators=[http_url])
    feed_url = models.URLField(
        "news feed URL",
        blank=True,
        validators=[http_url],
        help_text="RSS, Atom or JSON Feed of the partnership's own news, for the network's news page and digest.",
    )
    contact_name = models.CharField(max_length=120, blank=True)
    contact_email = models.EmailField(blank=True)
    logo = models.ForeignKey("website.CustomImage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    summary = models.TextField(
        blank=True, help_text="Two or three sentences: who the partnership is and what it works on."
    )
    description_field = "summary"
    body = StreamField(BodyBlock(), blank=True)

    content_panels = BasePage.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("city"), FieldPanel("state"), FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")])],
            heading="Community",
        ),
        MultiFieldPanel(
            [
                FieldPanel("stage"),
                FieldPanel("outcomes", widget=forms.CheckboxSelectMultiple),
                FieldPanel("anchor_organisation"),
                FieldPanel("year_joined"),
            ],
            heading="In the network",
        ),
        MultiFieldPanel(
            [
                FieldPanel("website"),
                FieldPanel("feed_url"),
                FieldPanel("contact_name"),
                FieldPanel("contact_email"),
                FieldPanel("logo"),
            ],
            heading="Contact and links",
        ),
        FieldPanel("body"),
        InlinePanel("report_cards", heading="Community report cards", label="Report card"),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("summary"),
        index.SearchField("city"),
        index.SearchField("anchor_organisation"),
        index.SearchField("body"),
        index.FilterField("state"),
        index.FilterField("stage"),
    ]
    parent_page_types = ["network.DirectoryPage"]
    subpage_types = []
    template = "network/partnership_page.html"

    class Meta:
        verbose_name = "partnership"

    @property
    def region(self):
        return REGION_OF_STATE.get(self.state, "")

    @property
    def region_name(self):
        return REGIONS[self.region][0] if self.region else ""

    @property
    def state_name(self):
        return STATES.get(self.state, self.state)

    def get_listing_summary(self):
        return self.listing_summary or self.summary

    def get_context(self, request, *args, **kwargs):
        """The page's own fields, plus what the apps above add through the
        `partnership_page_sections` hook (their news, case studies, posts...): the
        directory knows none of them."""
        context = super().get_context(request, *args, **kwargs)
        if self.pk is None:  # a new partnership's preview: nothing refers to it yet
            return context
        for add_section in hooks.get_hooks("partnership_page_sections"):
            context.update(add_section(partnership=self, request=request, limit=PARTNERSHIP_POSTS))
        return context


class PartnershipReportCard(Orderable):
    """A community report card the partnership published, by year."""

    page = ParentalKey(PartnershipPage, on_delete=models.CASCADE, related_name="report_cards")
    year = models.PositiveSmallIntegerField(validators=[MinValueValidator(1990), MaxValueValidator(2100)])
    document = models.ForeignKey("wagtaildocs.Document", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200, blank=True, help_text="Defaults to the document's title.")

    panels = [FieldPanel("year"), FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        ordering = ["-year", "sort_order"]
