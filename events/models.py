import zoneinfo

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, MultipleChooserPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Orderable
from wagtail.search import index

from taxonomy.models import Outcome
from website.blocks import BodyBlock
from website.models import BasePage
from website.routing import route_to

# The zones the network's communities live in; an event's times are entered in its own zone.
TIME_ZONE_CHOICES = [
    ("America/New_York", "Eastern (New York)"),
    ("America/Chicago", "Central (Chicago)"),
    ("America/Denver", "Mountain (Denver)"),
    ("America/Phoenix", "Mountain, no daylight saving (Phoenix)"),
    ("America/Los_Angeles", "Pacific (Los Angeles)"),
    ("America/Anchorage", "Alaska (Anchorage)"),
    ("Pacific/Honolulu", "Hawaii (Honolulu)"),
    ("America/Puerto_Rico", "Atlantic (Puerto Rico)"),
    ("UTC", "UTC"),
]


class EventIndexPage(RoutablePageMixin, BasePage):
    """Convenings and events: upcoming first, then past ones, and a calendar feed of all."""

    introduction = models.TextField(blank=True)
    description_field = "introduction"

    content_panels = BasePage.content_panels + [FieldPanel("introduction")]
    subpage_types = ["events.EventPage"]
    max_count = 1
    template = "events/event_index_page.html"

    @path("")
    def listing(self, request):
        return route_to("events.views.event_listing", request, index_page=self)

    @path("calendar/")
    def calendar(self, request):
        return route_to("events.views.event_calendar_feed", request, index_page=self)


class EventPageForm(WagtailAdminPageForm):
    """Start and end are typed as the event's own wall-clock time, in the event's time zone,
    whatever the editor's time zone: a 9 am convening in Phoenix is entered as 9:00."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        event_zone = zoneinfo.ZoneInfo(self.instance.time_zone or settings.TIME_ZONE)
        for name in ("starts_at", "ends_at"):
            value = getattr(self.instance, name)
            if value is not None:
                # A naive value is shown as it is: the wall-clock time in the event's zone.
                self.initial[name] = timezone.localtime(value, event_zone).replace(tzinfo=None)

    def clean(self):
        data = super().clean()
        zone_name = data.get("time_zone")
        if not zone_name:
            return data
        event_zone = zoneinfo.ZoneInfo(zone_name)
        for name in ("starts_at", "ends_at"):
            if data.get(name) is not None:
                wall_clock = timezone.localtime(data[name]).replace(tzinfo=None)
                data[name] = timezone.make_aware(wall_clock, event_zone)
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] < data["starts_at"]:
            self.add_error("ends_at", "The event cannot end before it starts.")
        return data


class EventPage(RoutablePageMixin, BasePage):
    """A convening, webinar or site visit: when, where (or online), and how to register."""

    description_field = "summary"

    class Format(models.TextChoices):
        IN_PERSON = "in-person", "In person"
        ONLINE = "online", "Online"
        HYBRID = "hybrid", "In person and online"

    summary = models.TextField(help_text="Two or three sentences: who it is for and what they will take away.")
    starts_at = models.DateTimeField(
        "starts", db_index=True, help_text="The event's local time, in the time zone below."
    )
    ends_at = models.DateTimeField("ends", help_text="The event's local time, in the time zone below.")
    time_zone = models.CharField(max_length=40, choices=TIME_ZONE_CHOICES, default="America/Chicago")
    format = models.CharField(max_length=10, choices=Format.choices, default=Format.IN_PERSON)
    venue = models.CharField(max_length=200, blank=True, help_text="e.g. the building or organisation hosting it.")
    address = models.CharField(max_length=300, blank=True)
    online_details = models.CharField(
        max_length=300, blank=True, help_text="e.g. 'Zoom: the link comes with your registration'."
    )
    registration_url = models.URLField("registration link", max_length=500, blank=True)
    outcomes = ParentalManyToManyField(Outcome, blank=True, related_name="events")
    body = StreamField(BodyBlock(), blank=True)

    base_form_class = EventPageForm
    content_panels = BasePage.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]), FieldPanel("time_zone")],
            heading="When",
        ),
        MultiFieldPanel(
            [FieldPanel("format"), FieldPanel("venue"), FieldPanel("address"), FieldPanel("online_details")],
            heading="Where",
        ),
        FieldPanel("registration_url"),
        MultipleChooserPanel(
            "partnership_links", chooser_field_name="partnership", heading="Partnerships", label="Partnership"
        ),
        FieldPanel("outcomes", widget=forms.CheckboxSelectMultiple),
        FieldPanel("body"),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("summary", boost=2),
        index.SearchField("venue"),
        index.SearchField("address"),
        index.SearchField("body"),
        index.FilterField("starts_at"),
    ]
    parent_page_types = ["events.EventIndexPage"]
    subpage_types = []
    template = "events/event_page.html"

    class Meta:
        verbose_name = "event"

    def clean(self):
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": "The event cannot end before it starts."})

    @property
    def zone(self):
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def local_start(self):
        return timezone.localtime(self.starts_at, self.zone)

    @property
    def local_end(self):
        return timezone.localtime(self.ends_at, self.zone)

    @property
    def is_online(self):
        return self.format != self.Format.IN_PERSON

    @property
    def is_in_person(self):
        return self.format != self.Format.ONLINE

    def get_listing_summary(self):
        return self.listing_summary or self.summary

    @path("")
    def event(self, request):
        return self.render(request)

    @path("calendar/")
    def calendar(self, request):
        return route_to("events.views.event_calendar_file", request, event=self)


class EventPartnership(Orderable):
    """A partnership hosting or presenting at an event."""

    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="partnership_links")
    partnership = models.ForeignKey("network.PartnershipPage", on_delete=models.CASCADE, related_name="event_links")

    panels = [FieldPanel("partnership")]
