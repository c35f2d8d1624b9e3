import datetime

from django import template
from django.utils import timezone
from wagtail.models import Site

from website import selectors
from website.blocks import link_href as block_link_href
from website.links import absolute_url

register = template.Library()


@register.filter
def link_href(value):
    """The address of a LinkBlock value."""
    return block_link_href(value)


@register.simple_tag(takes_context=True)
def site_chrome(context):
    """The current site's navigation and footer links (see website.selectors.site_chrome)."""
    request = context.get("request")
    return selectors.site_chrome(site=Site.find_for_request(request) if request else None)


register.filter("absolute_url", absolute_url)


@register.filter
def datetime_attribute(value):
    """`value` for a `<time datetime>` attribute: a date as it is, a moment in local time to
    the second with its offset (HTML allows at most three digits of a second; Django's "c"
    format gives six)."""
    if not value:
        return ""
    if not isinstance(value, datetime.datetime):
        return value.isoformat()
    return timezone.localtime(value).replace(microsecond=0).isoformat()


@register.inclusion_tag("components/page_meta.html", takes_context=True)
def page_meta(context, page):
    """Description, canonical URL and social card tags for a page (a BasePage)."""
    request = context.get("request")
    # A listing served by the page at its own address (a blog category, a series) is its own
    # document: its address and description, not the index page's.
    description = context.get("listing_description") or page.get_meta_description()
    return {
        "title": context.get("listing_title") or page.seo_title or page.title,
        "og_type": page.og_type,
        "site_name": context.get("site_name"),
        "description": description,
        "social_text": page.social_text or description,
        "social_image": page.get_social_image(),
        "canonical_url": context.get("listing_url") or page.get_full_url(request),
    }


@register.inclusion_tag("components/page_meta.html", takes_context=True)
def view_meta(context, *, title, description):
    """The same tags for a view outside the page tree (the newsletter's archive and sign-up)."""
    request = context["request"]
    return {
        "title": title,
        "og_type": "website",
        "site_name": context.get("site_name"),
        "description": description,
        "social_text": description,
        "canonical_url": absolute_url(request.path),
    }
