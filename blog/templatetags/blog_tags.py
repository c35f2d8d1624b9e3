import contextlib
import json

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from wagtail.images.models import SourceImageIOError

from website.links import absolute_url

register = template.Library()

# What json_script escapes, so the data cannot close the script element.
JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag(takes_context=True)
def blog_posting_jsonld(context, post, authors):
    """schema.org BlogPosting for a post by `authors`, as an inert ld+json script; a post
    that names no author is the network's (search engines require an author)."""
    publisher = {"@type": "Organization", "name": context.get("site_name", "")}
    data = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": post.title,
        "description": post.summary,
        "datePublished": post.date.isoformat(),
        "url": post.full_url,
        "mainEntityOfPage": post.full_url,
        "author": [{"@type": "Person", "name": person.name} for person in authors] or [publisher],
        "publisher": publisher,
    }
    if post.last_published_at:
        data["dateModified"] = post.last_published_at.isoformat()
    image = post.get_social_image()
    if image:
        with contextlib.suppress(SourceImageIOError):
            data["image"] = absolute_url(image.get_rendition("fill-1200x630").url)
    payload = json.dumps(data, ensure_ascii=False).translate(JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))
