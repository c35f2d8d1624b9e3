from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.search import index

from website.models import BasePage
from website.routing import route_to


class FeedSource(models.Model):
    """A member feed: a partnership's own, or an extra source staff added."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        PAUSED = "paused", "Paused after repeated failures"
        RETIRED = "retired", "Retired (gone)"

    class Identity(models.TextChoices):
        GUID = "guid", "Entry GUID"
        LINK = "link", "Entry link"
        HASH = "hash", "Content hash"

    partnership = models.ForeignKey(
        "network.PartnershipPage", null=True, blank=True, on_delete=models.CASCADE, related_name="feed_sources"
    )
    name = models.CharField(max_length=200)
    url = models.URLField(max_length=1000, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    identity = models.CharField(max_length=4, choices=Identity.choices, default=Identity.GUID)
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    last_fetched_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_new_item_at = models.DateTimeField(null=True, blank=True)
    next_fetch_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    error_count = models.PositiveIntegerField(default=0)
    failing_since = models.DateTimeField(null=True, blank=True)
    moved_from = models.URLField(max_length=1000, blank=True, help_text="The address before a permanent redirect.")
    problem_notified = models.CharField(
        max_length=10, blank=True, help_text="The problem the partnership's contact was last told about."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # What fetching a feed writes. Visitors see none of it (they see the name, and the
    # partnership the items link to), so a save limited to these fields leaves the
    # anonymous page cache alone (website.page_cache).
    FETCH_STATE_FIELDS = (
        "url",
        "status",
        "identity",
        "etag",
        "last_modified",
        "last_fetched_at",
        "last_success_at",
        "last_new_item_at",
        "next_fetch_at",
        "last_status_code",
        "last_error",
        "error_count",
        "failing_since",
        "moved_from",
        "problem_notified",
    )
    page_cache_unseen_fields = frozenset(FETCH_STATE_FIELDS)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class NewsItem(index.Indexed, models.Model):
    """One entry of a member feed, stored sanitized."""

    source = models.ForeignKey(FeedSource, on_delete=models.CASCADE, related_name="items")
    identity_key = models.CharField(max_length=64, help_text="Hash of the entry's GUID, link or content.")
    guid = models.CharField(max_length=1000, blank=True)
    link = models.URLField(max_length=1000, blank=True)
    title = models.CharField(max_length=500)
    summary = models.TextField(blank=True, help_text="Plain text.")
    content_html = models.TextField(blank=True, help_text="Sanitized HTML.")
    image_url = models.URLField(max_length=1000, blank=True)
    published_at = models.DateTimeField(db_index=True)
    content_hash = models.CharField(max_length=64)
    story_key = models.CharField(max_length=64, help_text="The same story from several feeds shares it.")
    is_hidden = models.BooleanField(default=False)
    is_pinned = models.BooleanField(default=False)
    fetched_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [FieldPanel("is_pinned"), FieldPanel("is_hidden")]
    search_fields = [
        index.SearchField("title"),
        index.SearchField("summary"),
        index.AutocompleteField("title"),
        index.FilterField("is_hidden"),
        index.FilterField("source"),
        index.FilterField("published_at"),
    ]

    class Meta:
        ordering = ["-is_pinned", "-published_at", "-pk"]
        indexes = [
            # The listing's order, walked from the top for a page.
            models.Index(
                F("is_pinned").desc(), F("published_at").desc(), F("id").desc(), name="news_item_listing_order"
            ),
            # "Is there an earlier visible item of this story?", answered from the index alone.
            models.Index(fields=["story_key", "id"], condition=Q(is_hidden=False), name="news_item_story_first"),
        ]
        constraints = [models.UniqueConstraint(fields=["source", "identity_key"], name="news_item_unique_per_source")]

    def __str__(self):
        return self.title

    @property
    def source_name(self):
        return self.source.partnership.title if self.source.partnership_id else self.source.name


class NewsIndexPage(RoutablePageMixin, BasePage):
    """The whole network's news in one place, with its RSS and Atom feeds."""

    introduction = models.TextField(blank=True)
    description_field = "introduction"

    content_panels = BasePage.content_panels + [FieldPanel("introduction")]
    subpage_types = []
    max_count = 1
    template = "news/news_index_page.html"

    @path("")
    def listing(self, request):
        return route_to("news.views.news_listing", request, index=self)

    @path("<feed:feed>/", name="feed")
    def feed(self, request, feed):
        return route_to("news.views.news_feed", request, index=self, kind=feed)

    @path("from/<slug:partnership>/<feed:feed>/", name="partnership_feed")
    def partnership_feed(self, request, partnership, feed):
        """One partnership's own news, every item it posted, for readers who follow one member."""
        return route_to("news.views.news_feed", request, index=self, kind=feed, partnership_slug=partnership)

    def partnership_feed_base(self, partnership):
        """The address the partnership's `rss/` and `atom/` feeds hang from."""
        return self.full_url + self.reverse_subpage("partnership_feed", args=[partnership.slug, "rss"])[: -len("rss/")]
