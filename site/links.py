"""The one way to make an absolute URL outside a request: emails, feeds, social cards."""

from django.conf import settings


def absolute_url(path):
    """`path` on BASE_URL; an address that is already absolute (or empty) is returned as is."""
    if not path or path.startswith(("http://", "https://")):
        return path
    return settings.BASE_URL.rstrip("/") + path
