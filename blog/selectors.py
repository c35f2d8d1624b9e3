"""Reads for the blog: the one definition of a visible post, listings, series, related posts."""

import calendar
import datetime

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, Subquery, prefetch_related_objects
from django.db.models.functions import TruncMonth
from django.http import Http404

from website.page_cache import page_cache_kept
from website.selectors import page_public_q

from .models import BlogCategory, BlogPage, BlogPagePartnership, Person, Series


def blog_post_visible():
    """Posts a visitor may see: live and public."""
    return BlogPage.objects.live().filter(page_public_q())


def blog_post_listing(*, index):
    """The index's visible posts, newest first, with what cards, bylines and feeds show."""
    return (
        blog_post_visible()
        .descendant_of(index)
        .order_by("-date", "-first_published_at", "-pk")
        .select_related("series", "listing_image")
        .prefetch_related("authors", "categories")
    )


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


def blog_listing_page(*, index, kind, key, posts, number, per_page):
    """Page `number` of a listing's `posts` (Django's paginator page: a bad or out-of-range
    number gives the first or last page), its posts and count kept for the page-cache
    generation, so a publish shows on the next render."""
    try:
        number = int(number)
    except (TypeError, ValueError):
        number = 1

    def read():
        page = Paginator(posts, per_page).get_page(number)
        return {"count": page.paginator.count, "number": page.number, "posts": list(page.object_list)}

    kept = page_cache_kept(f"blog-listing:{index.pk}:{kind}:{key}:{per_page}:{number}", read)
    paginator = Paginator(posts, per_page)
    paginator.count = kept["count"]  # a cached property: the paginator asks the database no more
    page = paginator.page(kept["number"])
    page.object_list = kept["posts"]
    return page


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


def blog_index_archive(*, index):
    """The side column of every listing of the blog (series, categories and months with
    their counts), kept for the page-cache generation: a publish starts a new one."""
    return page_cache_kept(
        f"blog-archive:{index.pk}",
        lambda: {
            "categories": list(blog_categories_in_use(index=index)),
            "all_series": list(blog_series_in_use(index=index)),
            "months": blog_months(index=index),
        },
    )


def blog_post_neighbours_in_series(*, post):
    """(previous, next) instalment of the post's series, by date, read in one query."""
    if not post.series_id:
        return None, None
    siblings = blog_post_visible().filter(series_id=post.series_id).exclude(pk=post.pk)
    earlier, later = Q(date__lt=post.date), Q(date__gt=post.date)
    if post.pk:  # a new post's preview has no id to break a tie on yet
        earlier |= Q(date=post.date, pk__lt=post.pk)
        later |= Q(date=post.date, pk__gt=post.pk)
    previous_pk = siblings.filter(earlier).order_by("-date", "-pk").values("pk")[:1]
    following_pk = siblings.filter(later).order_by("date", "pk").values("pk")[:1]
    found = BlogPage.objects.filter(Q(pk=Subquery(previous_pk)) | Q(pk=Subquery(following_pk)))
    previous = following = None
    for page in found:
        if page.date < post.date or (page.date == post.date and post.pk and page.pk < post.pk):
            previous = page
        else:
            following = page
    return previous, following


RELATED_POSTS = 3


def blog_post_related(*, post, limit=RELATED_POSTS):
    """The posts editors chose, else the newest from the same series, categories or tags
    (without their authors: the post page reads those with its own).

    Everything about the post is read from the object, not the database: a preview's post
    carries the editor's unsaved choices in memory (modelcluster), and a new one has no row.

    Shared categories and tags are subqueries, not joins, so no post comes twice and the
    newest `limit` are read at once."""
    posts = blog_post_visible().select_related("series", "listing_image")
    ids = [link.post_id for link in post.related_posts.all()]
    if ids:
        by_pk = posts.in_bulk(ids)
        return [by_pk[pk] for pk in ids if pk in by_pk][:limit]
    tag_ids = [tag.pk for tag in post.tags.all() if tag.pk]  # a tag typed in a draft has none
    category_ids = [category.pk for category in post.categories.all()]
    shared = Q(pk__in=[])
    if post.series_id:
        shared |= Q(series_id=post.series_id)
    if category_ids:
        shared |= Q(
            pk__in=BlogPage.categories.through.objects.filter(blogcategory_id__in=category_ids).values("blogpage_id")
        )
    if tag_ids:
        shared |= Q(pk__in=BlogPage.tags.through.objects.filter(tag_id__in=tag_ids).values("content_object_id"))
    return list(posts.filter(shared).exclude(pk=post.pk).order_by("-date", "-pk")[:limit])


def blog_post_page_reads(*, post, previewing=False):
    """What a post's page shows besides its own fields, as plain lists: authors,
    categories, tags, partnerships, series neighbours and related posts (with their
    authors).

    Kept for the page-cache generation (any publish starts a new one, so a post never
    shows a neighbour or related post that changed since). Not in a preview: there the
    editor's unsaved choices are on the object, in memory, and a new post has no row."""
    if previewing:
        return _blog_post_page_read(post, previewing=True)
    return page_cache_kept(f"blog-post:{post.pk}", lambda: _blog_post_page_read(post, previewing=False))


def _blog_post_page_read(post, *, previewing):
    if not previewing:
        # Read once, what the byline, the tag list, the JSON-LD and the related posts ask for.
        prefetch_related_objects(
            [post],
            "categories",
            "tags",
            "related_posts",
            Prefetch("partnership_links", queryset=BlogPagePartnership.objects.select_related("partnership")),
        )
    previous, following = blog_post_neighbours_in_series(post=post)
    related = blog_post_related(post=post)
    # The authors of the post and of its related posts together; a preview's own authors
    # are the editor's choice, in memory.
    prefetch_related_objects(
        related if previewing else [post, *related],
        Prefetch("authors", queryset=Person.objects.select_related("photo")),
    )
    return {
        "authors": list(post.authors.all()),
        "categories": list(post.categories.all()),
        "tags": list(post.tags.all()),
        "partnerships": blog_post_partnerships(post=post),
        "series_previous": previous,
        "series_next": following,
        "related_posts": related,
    }


def blog_post_partnerships(*, post):
    """The published partnerships a post features, in the editor's order (read from the
    post object, so a preview shows the unsaved choice)."""
    partnerships = [link.partnership for link in post.partnership_links.all() if link.partnership_id]
    return [partnership for partnership in partnerships if partnership.live]


def blog_post_for_partnership(*, partnership, limit):
    """The newest visible posts featuring a partnership, for its page."""
    return list(
        blog_post_visible()
        .filter(partnership_links__partnership=partnership)
        .order_by("-date", "-pk")
        .distinct()[:limit]
    )
