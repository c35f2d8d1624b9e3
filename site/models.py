from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import models
from django.urls import register_converter
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.images.models import AbstractImage, AbstractRendition, Image
from wagtail.models import Page, PageViewRestriction
from wagtail.search import index

from .blocks import BodyBlock, HomeSectionBlock, LinkBlock
from .converters import FeedConverter
from .page_cache import page_cache_kept

# `<feed:feed>` in routable pages: the listing feeds every app offers.
register_converter(FeedConverter, "feed")


class CustomImage(AbstractImage):
    """The project's image model, so image fields can grow without a data migration."""

    caption = models.CharField(max_length=255, blank=True)
    attribution = models.CharField(max_length=255, blank=True)

    admin_form_fields = Image.admin_form_fields + ("caption", "attribution")

    @property
    def default_alt_text(self):
        return self.description or self.title


class CustomRendition(AbstractRendition):
    image = models.ForeignKey(CustomImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)


ROUTE_TYPE_SECONDS = 24 * 60 * 60


class BasePage(Page):
    """Fields every public page carries for listings, search engines and social cards."""

    listing_title = models.CharField(
        max_length=255, blank=True, help_text="Shorter title for cards and listings; defaults to the title."
    )
    listing_summary = models.TextField(
        blank=True, help_text="One or two sentences for cards, listings and search results."
    )
    listing_image = models.ForeignKey(
        "website.CustomImage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    social_image = models.ForeignKey(
        "website.CustomImage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shown when the page is shared; defaults to the listing image.",
    )
    social_text = models.CharField(
        max_length=255, blank=True, help_text="Shown when the page is shared; defaults to the search description."
    )

    promote_panels = [
        MultiFieldPanel(Page.promote_panels, heading="Common page configuration"),
        MultiFieldPanel(
            [FieldPanel("listing_title"), FieldPanel("listing_summary"), FieldPanel("listing_image")],
            heading="Listings",
        ),
        MultiFieldPanel([FieldPanel("social_image"), FieldPanel("social_text")], heading="Sharing"),
    ]

    search_fields = Page.search_fields + [index.SearchField("listing_summary")]
    # What site search calls a result of this type, so a visitor tells a post from a practice.
    search_result_kind = "Page"

    # What the page's own view shows from its foreign keys, read with the page when
    # routing finds it (see `route`).
    route_select_related = ("social_image", "listing_image")
    # The field that summarises a page of this type, for its meta description.
    description_field = None
    # Open Graph type: "article" for dated, authored pieces (posts, case studies).
    og_type = "website"

    class Meta:
        abstract = True

    def route(self, request, path_components):
        """Find the child named by the next slug in one query, as its specific type, and
        keep it for the page-cache generation (any save of a page starts a new one).

        Wagtail reads the child as a plain page, then again as its specific type. When the
        child's type is known (the only type allowed here, or remembered from an earlier
        request) it is read once, as that type, with `route_select_related`. A remembered
        type is checked by that very query, so a stale one only costs Wagtail's way."""
        if path_components:
            slug = path_components[0]
            subpage = page_cache_kept(f"page-route-child:{self.pk}:{slug}", lambda: self._child_read(slug))
            if subpage is not None:
                subpage._cached_parent_obj = self
                return subpage.route(request, path_components[1:])
        return super().route(request, path_components)

    def get_view_restrictions(self):
        """Wagtail's (the restrictions of this page and its ancestors, an alias's from its
        source), with the pages to check and their restrictions kept for the page-cache
        generation: serving a page asked two queries for them on every request. Any save or
        delete of a restriction, and any save or move of a page, starts a new generation.

        Still a queryset, already evaluated: Wagtail's serving hook iterates it without a
        query, and whatever derives another from it (the admin's privacy view orders it)
        reads the restrictions afresh. The shared password stays out of the cache (deferred:
        only the password form reads it)."""
        if not self.pk:
            return super().get_view_restrictions()

        def read():
            pages = [self, *self.get_ancestors().only("alias_of")]
            page_ids = sorted({page.alias_of_id or page.pk for page in pages})
            return page_ids, list(PageViewRestriction.objects.filter(page_id__in=page_ids).defer("password"))

        page_ids, restrictions = page_cache_kept(f"page-view-restrictions:{self.pk}", read)
        queryset = PageViewRestriction.objects.filter(page_id__in=page_ids)
        queryset._result_cache = restrictions
        return queryset

    def _child_read(self, slug):
        model = self._child_model(slug)
        if model is None:
            return None
        subpage = (
            model.objects.child_of(self)
            .filter(slug=slug, content_type=ContentType.objects.get_for_model(model))
            .select_related(*getattr(model, "route_select_related", ()))
            .first()
        )
        if subpage is None:
            cache.delete(self._child_type_key(slug))
        return subpage

    def _child_type_key(self, slug):
        return f"page-route:{self.pk}:{slug}"

    def _child_model(self, slug):
        allowed = self.allowed_subpage_models()
        if len(allowed) == 1:
            return allowed[0]
        key = self._child_type_key(slug)
        content_type_id = cache.get(key)
        if content_type_id is None:
            content_type_id = self.get_children().filter(slug=slug).values_list("content_type_id", flat=True).first()
            if content_type_id is None:
                return None
            cache.set(key, content_type_id, ROUTE_TYPE_SECONDS)
        return ContentType.objects.get_for_id(content_type_id).model_class()

    def get_listing_title(self):
        return self.listing_title or self.title

    def get_listing_summary(self):
        return self.listing_summary or self.search_description

    def get_meta_description(self):
        """The editor's search description, else the listing summary, else the page's own
        summary or introduction (`description_field`): no indexable page goes without one."""
        own = getattr(self, self.description_field, "") if self.description_field else ""
        return " ".join((self.search_description or self.listing_summary or own).split())

    def get_social_image(self):
        return self.social_image or self.listing_image

    def get_social_text(self):
        return self.social_text or self.get_meta_description()

    def get_listing_date(self):
        """The date a card shows: when the page was first published, unless the page
        type carries a date of its own (a post's date, which an imported post keeps)."""
        return self.first_published_at

    def has_newsletter_signup(self):
        """Whether the page places the sign-up form itself: the footer then leaves its own out."""
        return any(block.block_type == "newsletter_signup" for block in getattr(self, "body", None) or [])

    def get_latest_children(self):
        """This page's visible children, newest first, for the "Latest" block. An index
        whose children carry their own date (the blog) orders them by it instead."""
        from .selectors import page_live_public

        return page_live_public().child_of(self).order_by("-first_published_at", "-pk")


class HomePage(BasePage):
    hero_heading = models.CharField(max_length=160)
    hero_text = models.TextField(blank=True)
    description_field = "hero_text"
    hero_image = models.ForeignKey(
        "website.CustomImage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hero_links = StreamField([("link", LinkBlock())], blank=True, max_num=2)
    body = StreamField(HomeSectionBlock(), blank=True)

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldPanel("hero_heading"), FieldPanel("hero_text"), FieldPanel("hero_image"), FieldPanel("hero_links")],
            heading="Hero",
        ),
        FieldPanel("body"),
    ]
    search_fields = BasePage.search_fields + [index.SearchField("hero_text"), index.SearchField("body")]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1
    template = "pages/home_page.html"


class StandardPage(BasePage):
    introduction = models.TextField(blank=True)
    description_field = "introduction"
    body = StreamField(BodyBlock(), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction"), FieldPanel("body")]
    search_fields = BasePage.search_fields + [index.SearchField("introduction"), index.SearchField("body")]

    template = "pages/standard_page.html"


@register_setting(icon="list-ul")
class NavigationSettings(BaseSiteSetting):
    primary_links = StreamField([("link", LinkBlock())], blank=True, max_num=8)

    panels = [FieldPanel("primary_links")]

    class Meta:
        verbose_name = "navigation"


@register_setting(icon="doc-full")
class FooterSettings(BaseSiteSetting):
    about = RichTextField(features=["bold", "italic", "link"], blank=True)
    links = StreamField([("link", LinkBlock())], blank=True, max_num=12)
    contact_email = models.EmailField(blank=True)
    postal_address = models.TextField(blank=True)

    panels = [FieldPanel("about"), FieldPanel("links"), FieldPanel("contact_email"), FieldPanel("postal_address")]

    class Meta:
        verbose_name = "footer"


class HealthHeartbeat(models.Model):
    """One row `/health/` rewrites on every check: a database that answers SELECT 1 may
    still refuse writes (a read-only file, a full disk), and writes are the site's job."""

    beat_at = models.DateTimeField()

    def __str__(self):
        return f"heartbeat at {self.beat_at:%Y-%m-%d %H:%M:%S}"
