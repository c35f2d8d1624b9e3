from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Prefetch, prefetch_related_objects
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, MultipleChooserPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Orderable
from wagtail.search import index

from taxonomy.geography import STATE_CHOICES, STATES
from taxonomy.models import Outcome, Stage, Topic
from website.blocks import BodyBlock, DocumentLinkBlock, LinkBlock, StatisticBlock
from website.models import BasePage
from website.routing import route_to

RELATED_CASE_STUDIES = 3


class EvidenceLevel(models.TextChoices):
    """How strong the evidence behind a practice is, from weakest to strongest; what each
    level requires is EVIDENCE_CRITERIA, published on the library's evidence page."""

    EMERGING = "emerging", "Emerging"
    PROMISING = "promising", "Promising"
    PROVEN = "proven", "Proven"


EVIDENCE_CRITERIA = {
    EvidenceLevel.EMERGING: (
        "A documented practice with early signs of change.",
        [
            "What was done, for whom and why is written down clearly enough for another partnership to try it.",
            "At least one outcome measure is tracked, with its source named.",
            "Results may come from one site, one year or one cohort, without a comparison.",
        ],
    ),
    EvidenceLevel.PROMISING: (
        "Measured improvement, sustained and compared.",
        [
            "Everything an emerging practice requires.",
            "An outcome indicator measured against a baseline for at least two years or two cohorts.",
            "The improvement is larger than a comparison shows (similar students, the district or the state).",
            "The data come from a named source the network can check, such as a state report card.",
        ],
    ),
    EvidenceLevel.PROVEN: (
        "Improvement confirmed by a rigorous evaluation or by replication.",
        [
            "Everything a promising practice requires.",
            "A randomised or quasi-experimental evaluation (for example a matched comparison group), "
            "or the same results replicated in at least two communities.",
            "The evaluation was carried out or reviewed by someone independent of the partnership, and published.",
        ],
    ),
}


class CaseStudyIndexPage(RoutablePageMixin, BasePage):
    """The practice library: every case study, searchable and faceted."""

    introduction = models.TextField(blank=True)
    description_field = "introduction"

    content_panels = BasePage.content_panels + [FieldPanel("introduction")]
    subpage_types = ["practices.CaseStudyPage"]
    max_count = 1
    template = "practices/case_study_index_page.html"

    @path("")
    def library(self, request):
        return route_to("practices.views.case_study_library", request, index_page=self)

    @path("suggest/")
    def suggest(self, request):
        return route_to("practices.views.case_study_suggestions_view", request, index_page=self)

    @path("evidence/")
    def evidence(self, request):
        return route_to("practices.views.evidence_levels", request, index_page=self)


class ResourceBlock(blocks.StreamBlock):
    document = DocumentLinkBlock()
    link = LinkBlock()


class CaseStudyPage(BasePage):
    """How a partnership moved an outcome: what it did, with which results, and what to read next."""

    search_result_kind = "Practice"

    summary = models.TextField(help_text="Two or three sentences: the problem, what was done, what changed.")
    description_field = "summary"
    og_type = "article"
    state = models.CharField(max_length=2, choices=STATE_CHOICES, db_index=True)
    stage = models.CharField("Theory of Action stage", max_length=20, choices=Stage.choices, db_index=True)
    evidence_level = models.CharField(
        max_length=10,
        choices=EvidenceLevel.choices,
        default=EvidenceLevel.EMERGING,
        db_index=True,
        help_text="How strong the evidence is, by the criteria on the practice library's evidence page.",
    )
    outcomes = ParentalManyToManyField(Outcome, blank=True, related_name="case_studies")
    topics = ParentalManyToManyField(Topic, blank=True, related_name="case_studies")
    year = models.PositiveSmallIntegerField(
        db_index=True,
        validators=[MinValueValidator(1990), MaxValueValidator(2100)],
        help_text="The year the results were reported.",
    )
    results = StreamField(
        [("result", StatisticBlock())],
        blank=True,
        help_text="Evidence: the figures that moved, each with its source.",
    )
    body = StreamField(BodyBlock(), blank=True)
    resources = StreamField(ResourceBlock(), blank=True, help_text="Tools, templates and reports to go further.")

    content_panels = BasePage.content_panels + [
        FieldPanel("summary"),
        MultipleChooserPanel(
            "partnership_links", chooser_field_name="partnership", heading="Partnerships", label="Partnership"
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("state"), FieldPanel("year")]),
                FieldPanel("stage"),
                FieldPanel("evidence_level"),
                FieldPanel("outcomes", widget=forms.CheckboxSelectMultiple),
                FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
            ],
            heading="Filed under",
        ),
        FieldPanel("results"),
        FieldPanel("body"),
        FieldPanel("resources"),
        MultipleChooserPanel(
            "related_links", chooser_field_name="case_study", heading="Related case studies", label="Case study"
        ),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("summary", boost=2),
        index.SearchField("body"),
        index.SearchField("results"),
        index.RelatedFields(
            "partnership_links", [index.RelatedFields("partnership", [index.SearchField("title", boost=2)])]
        ),
        index.RelatedFields("topics", [index.SearchField("name")]),
        index.FilterField("state"),
        index.FilterField("stage"),
        index.FilterField("evidence_level"),
        index.FilterField("year"),
    ]
    parent_page_types = ["practices.CaseStudyIndexPage"]
    subpage_types = []
    template = "practices/case_study_page.html"

    class Meta:
        verbose_name = "case study"
        verbose_name_plural = "case studies"

    @property
    def state_name(self):
        return STATES.get(self.state, self.state)

    def get_listing_summary(self):
        return self.listing_summary or self.summary

    def body_text(self):
        """The body and the results as plain text, read the way Wagtail's search indexing
        reads StreamFields (each block's get_searchable_content), for the Elasticsearch
        document."""
        texts = []
        for name in ("body", "results"):
            texts += self._meta.get_field(name).get_searchable_content(getattr(self, name))
        return " ".join(text for text in texts if text)

    def get_context(self, request, *args, **kwargs):
        from .selectors import case_study_related

        # Read once: the page shows them, and the related case studies use the topics.
        prefetch_related_objects(
            [self],
            "topics",
            "outcomes",
            "related_links",
            Prefetch("partnership_links", queryset=CaseStudyPartnership.objects.select_related("partnership")),
        )
        context = super().get_context(request, *args, **kwargs)
        context["related_case_studies"] = case_study_related(case_study=self, limit=RELATED_CASE_STUDIES)
        return context


class CaseStudyPartnership(Orderable):
    """A partnership behind a case study; the case study shows on the partnership's page."""

    page = ParentalKey(CaseStudyPage, on_delete=models.CASCADE, related_name="partnership_links")
    partnership = models.ForeignKey(
        "network.PartnershipPage", on_delete=models.CASCADE, related_name="case_study_links"
    )

    panels = [FieldPanel("partnership")]


class CaseStudyRelated(Orderable):
    """A case study an editor chose to show beside another."""

    page = ParentalKey(CaseStudyPage, on_delete=models.CASCADE, related_name="related_links")
    case_study = models.ForeignKey(CaseStudyPage, on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("case_study")]
