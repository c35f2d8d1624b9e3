import datetime

from django import forms
from django.db import models
from django.utils import timezone
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, MultipleChooserPanel, PageChooserPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from news.blocks import MemberNewsBlock
from website.blocks import BodyBlock
from website.models import BasePage
from website.routing import route_to


@register_snippet
class Person(index.Indexed, models.Model):
    """An author: network staff or a guest from a member partnership."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    role = models.CharField(max_length=160, blank=True)
    organisation = models.CharField(max_length=160, blank=True)
    photo = models.ForeignKey("website.CustomImage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    bio = RichTextField(features=["bold", "italic", "link"], blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("role"),
        FieldPanel("organisation"),
        FieldPanel("photo"),
        FieldPanel("bio"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self):
        return self.name


@register_snippet
class BlogCategory(models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "blog categories"

    def __str__(self):
        return self.name


@register_snippet
class Series(models.Model):
    """A recurring series of posts, such as "Network in the News"."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    image = models.ForeignKey("website.CustomImage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description"), FieldPanel("image")]

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "series"

    def __str__(self):
        return self.name


class BlogPageTag(TaggedItemBase):
    content_object = ParentalKey("blog.BlogPage", on_delete=models.CASCADE, related_name="tagged_items")


class BlogIndexPage(RoutablePageMixin, BasePage):
    """The blog: every listing (all, category, tag, author, series, month) and its feeds."""

    introduction = models.TextField(blank=True)
    description_field = "introduction"

    content_panels = BasePage.content_panels + [FieldPanel("introduction")]
    subpage_types = ["blog.BlogPage"]
    max_count = 1
    template = "blog/blog_index_page.html"

    def get_latest_children(self):
        """Posts by their own date, as every listing of the blog orders them."""
        from .selectors import blog_post_listing

        return blog_post_listing(index=self)

    def listing(self, request, *, kind="all", key=None, feed=None):
        return route_to("blog.views.blog_listing", request, index=self, kind=kind, key=key, feed=feed)

    @path("")
    @path("<feed:feed>/", name="feed")
    def all_posts(self, request, feed=None):
        return self.listing(request, feed=feed)

    @path("category/<slug:key>/", name="category")
    @path("category/<slug:key>/<feed:feed>/", name="category_feed")
    def category(self, request, key, feed=None):
        return self.listing(request, kind="category", key=key, feed=feed)

    @path("tag/<slug:key>/", name="tag")
    @path("tag/<slug:key>/<feed:feed>/", name="tag_feed")
    def tag(self, request, key, feed=None):
        return self.listing(request, kind="tag", key=key, feed=feed)

    @path("author/<slug:key>/", name="author")
    @path("author/<slug:key>/<feed:feed>/", name="author_feed")
    def author(self, request, key, feed=None):
        return self.listing(request, kind="author", key=key, feed=feed)

    @path("series/<slug:key>/", name="series")
    @path("series/<slug:key>/<feed:feed>/", name="series_feed")
    def series(self, request, key, feed=None):
        return self.listing(request, kind="series", key=key, feed=feed)

    @path("<int:year>/<int:month>/", name="month")
    @path("<int:year>/<int:month>/<feed:feed>/", name="month_feed")
    def month(self, request, year, month, feed=None):
        return self.listing(request, kind="month", key=(year, month), feed=feed)


class BlogBodyBlock(BodyBlock):
    """A post's body: the shared blocks plus member news picked from the aggregated feeds."""

    member_news = MemberNewsBlock()


class BlogPage(BasePage):
    search_result_kind = "Post"

    date = models.DateField("post date", default=timezone.localdate)
    summary = models.TextField(help_text="One or two sentences shown in listings, feeds and the newsletter.")
    description_field = "summary"
    og_type = "article"
    body = StreamField(BlogBodyBlock())
    authors = ParentalManyToManyField(Person, blank=True, related_name="posts")
    categories = ParentalManyToManyField(BlogCategory, blank=True, related_name="posts")
    tags = ClusterTaggableManager(through=BlogPageTag, blank=True)
    series = models.ForeignKey(Series, null=True, blank=True, on_delete=models.SET_NULL, related_name="posts")

    content_panels = BasePage.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("date"),
                FieldPanel("authors", widget=forms.CheckboxSelectMultiple),
                FieldPanel("series", widget=forms.Select),
            ],
            heading="Byline",
        ),
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("categories", widget=forms.CheckboxSelectMultiple),
                FieldPanel("tags"),
            ],
            heading="Filing",
        ),
        MultipleChooserPanel(
            "partnership_links",
            chooser_field_name="partnership",
            heading="Partnerships",
            label="Partnership",
            help_text="Member partnerships this post features; it is listed on their pages.",
        ),
        InlinePanel(
            "related_posts",
            heading="Related posts",
            label="Related post",
            help_text="Leave empty to show posts from the same series, categories or tags.",
        ),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("date"),
        index.RelatedFields("authors", [index.SearchField("name")]),
    ]
    parent_page_types = ["blog.BlogIndexPage"]
    subpage_types = []
    template = "blog/blog_page.html"
    route_select_related = ("series", "social_image", "listing_image")

    class Meta:
        verbose_name = "blog post"

    def get_listing_summary(self):
        return self.listing_summary or self.summary

    def get_listing_date(self):
        return self.date

    def get_sitemap_urls(self, request=None):
        """Dated by the post's own date: an imported older post is not news to search engines."""
        # A moment, like every other page's lastmod: Wagtail compares them for the sitemap's own.
        lastmod = timezone.make_aware(datetime.datetime.combine(self.date, datetime.time(12)))
        return [{**url, "lastmod": lastmod} for url in super().get_sitemap_urls(request)]

    def get_context(self, request, *args, **kwargs):
        from .selectors import blog_post_page_reads

        context = super().get_context(request, *args, **kwargs)
        index = self.get_parent().specific
        context["index"] = index
        context["feed_links"] = [(index.title, index.full_url)]
        if self.series:
            series_url = index.full_url + index.reverse_subpage("series", args=(self.series.slug,))
            context["feed_links"].append((self.series.name, series_url))
        context.update(blog_post_page_reads(post=self, previewing=getattr(request, "is_preview", False)))
        return context


class BlogPageRelatedPost(Orderable):
    page = ParentalKey(BlogPage, on_delete=models.CASCADE, related_name="related_posts")
    post = models.ForeignKey(BlogPage, on_delete=models.CASCADE, related_name="+")

    panels = [PageChooserPanel("post", "blog.BlogPage")]


class BlogPagePartnership(Orderable):
    """A partnership a post features, picked with the page chooser; the post is listed on
    the partnership's page."""

    page = ParentalKey(BlogPage, on_delete=models.CASCADE, related_name="partnership_links")
    partnership = models.ForeignKey("network.PartnershipPage", on_delete=models.CASCADE, related_name="blog_post_links")

    panels = [FieldPanel("partnership")]
