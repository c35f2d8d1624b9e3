from django import template
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


@register.inclusion_tag("components/page_meta.html", takes_context=True)
def page_meta(context, page):
    """Description, canonical URL and social card tags for a page (a BasePage)."""
    request = context.get("request")
    return {
        "page": page,
        "site_name": context.get("site_name"),
        "description": page.get_meta_description(),
        "social_text": page.get_social_text(),
        "social_image": page.get_social_image(),
        "canonical_url": page.get_full_url(request),
    }
