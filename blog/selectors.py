"""Reads for the blog: the one definition of a visible post, listings, series, related posts."""

import calendar
import datetime

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.http import Http404

from .models import BlogCategory, BlogPage, Person, Series


def blog_post_visible():
    """Posts a visitor may see: live and public."""
    return BlogPage.objects.live().public()


def blog_post_listing(*, index):
    """The index's visible posts, newest first, with what cards, bylines and feeds show."""
    return (
        blog_post_visible()
        .descendant_of(index)
        .order_by("-date", "-first_published_at", "-pk")
        .select_related("series", "listing_image")
        .prefetch_related("authors", "categories")
    )


def blog_post_for_partnership(*, partnership, limit):
    """The newest visible posts featuring a partnership, for its page."""
    return list(blog_post_visible().filter(partnerships=partnership).order_by("-date", "-pk")[:limit])


def blog_listing_resolve(*, index, kind, key):
    """(posts, title, description, series) for one listing of the blog; 404 when `key` names nothing."""
    posts = blog_post_listing(index=index)
    if kind == "all":
        return posts, index.title, index.introduction, None
    if kind == "category":
        category = BlogCategory.objects.filter(slug=key).first() or _not_found()
        return posts.filter(categories=category), category.name, category.description, None
    if kind == "tag":
        posts = posts.filter(tags__slug=key)
        tag_name = BlogPage.tags.through.objects.filter(tag__slug=key).values_list("tag__name", flat=True).first()
        title = f"Tagged “{tag_name or _not_found()}”"
        return posts, title, f"Every post of the {index.title} tagged “{tag_name}”, newest first.", None
    if kind == "author":
        person = Person.objects.filter(slug=key).first() or _not_found()
        role = f", {person.role}" if person.role else ""
        return posts.filter(authors=person), f"Posts by {person.name}", f"Every post by {person.name}{role}.", None
    if kind == "series":
        series = Series.objects.filter(slug=key).first() or _not_found()
        return posts.filter(series=series), series.name, series.description, series
    if kind == "month":
        year, month = key
        if not (1 <= month <= 12 and 1990 <= year <= 2100):
            _not_found()
        first = datetime.date(year, month, 1)
        last = datetime.date(year, month, calendar.monthrange(year, month)[1])
        description = f"Every post of the {index.title} from {first:%B %Y}, newest first."
        return posts.filter(date__range=(first, last)), first.strftime("Posts from %B %Y"), description, None
    raise ValueError(kind)


def _not_found():
    raise Http404("No such listing")


def blog_months(*, index):
    """[(first day of the month, number of posts)] newest first, for the archive."""
    rows = (
        blog_post_visible()
        .descendant_of(index)
        .annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(count=Count("pk"))
        .order_by("-month")
    )
    return [(row["month"], row["count"]) for row in rows]


def blog_categories_in_use(*, index):
    return (
        BlogCategory.objects.filter(posts__in=blog_post_visible().descendant_of(index))
        .annotate(post_count=Count("posts", distinct=True))
        .order_by("name")
    )


def blog_series_in_use(*, index):
    return (
        Series.objects.filter(posts__in=blog_post_visible().descendant_of(index))
        .annotate(post_count=Count("posts", distinct=True))
        .order_by("name")
    )


def blog_post_neighbours_in_series(*, post):
    """(previous, next) instalment of the post's series, by date."""
    if not post.series_id:
        return None, None
    siblings = blog_post_visible().filter(series_id=post.series_id).exclude(pk=post.pk)
    earlier = Q(date__lt=post.date) | Q(date=post.date, pk__lt=post.pk)
    later = Q(date__gt=post.date) | Q(date=post.date, pk__gt=post.pk)
    previous = siblings.filter(earlier).order_by("-date", "-pk").first()
    following = siblings.filter(later).order_by("date", "pk").first()
    return previous, following


RELATED_POSTS = 3


def blog_post_related(*, post, limit=RELATED_POSTS):
    """The posts editors chose, else the newest from the same series, categories or tags."""
    ids = list(post.related_posts.values_list("post_id", flat=True))
    if not ids:
        tag_ids = list(post.tagged_items.values_list("tag_id", flat=True))
        category_ids = list(post.categories.values_list("pk", flat=True))
        shared = Q(pk__in=[])
        if post.series_id:
            shared |= Q(series_id=post.series_id)
        if category_ids:
            shared |= Q(categories__in=category_ids)
        if tag_ids:
            shared |= Q(tagged_items__tag_id__in=tag_ids)
        candidates = blog_post_visible().filter(shared).exclude(pk=post.pk).order_by("-date", "-pk")
        ids = list(candidates.values_list("pk", flat=True).distinct()[:limit])  # joins repeat rows
    by_pk = blog_post_visible().select_related("series", "listing_image").prefetch_related("authors").in_bulk(ids)
    return [by_pk[pk] for pk in ids if pk in by_pk][:limit]
