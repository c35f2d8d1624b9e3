from django.template.response import TemplateResponse

from .feeds import BlogListingAtomFeed, BlogListingFeed
from .selectors import blog_index_archive, blog_listing_page, blog_listing_resolve

PER_PAGE = 12
FEEDS = {"rss": BlogListingFeed, "atom": BlogListingAtomFeed}


def blog_listing(request, *, index, kind, key, feed):
    """One listing of the blog as a paginated page, or as its RSS or Atom feed."""
    posts, title, description, series = blog_listing_resolve(index=index, kind=kind, key=key)
    listing_url = index.full_url + index.reverse_subpage(*_route(kind, key))
    if feed:
        feed_view = FEEDS[feed](
            title=f"{title} | {index.get_site().site_name}" if kind != "all" else title,
            description=description,
            link=listing_url,
            feed_url=f"{listing_url}{feed}/",
            posts=posts,
        )
        response = feed_view(request)
        response["Cache-Control"] = "public, max-age=900"
        return response

    context = index.get_context(request)
    context.update(
        {
            "listing_kind": kind,
            "listing_title": title,
            "listing_description": description,
            "listing_url": listing_url,
            "feed_links": [(title, listing_url)],
            "series": series,
            "posts": blog_listing_page(
                index=index, kind=kind, key=key, posts=posts, number=request.GET.get("page"), per_page=PER_PAGE
            ),
            **blog_index_archive(index=index),
        }
    )
    return TemplateResponse(request, index.get_template(request), context)


def _route(kind, key):
    """(route name, args) for reverse_subpage."""
    if kind == "all":
        return ("all_posts",)
    if kind == "month":
        return "month", key
    return kind, (key,)
