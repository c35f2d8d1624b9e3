"""Writes that shape the site as a whole."""

from urllib.parse import urlsplit

from django.conf import settings
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, Locale, Page, Site

from .models import HomePage


def page_tree_root_get_or_create():
    """The root of the page tree, recreated (with the default locale and the root
    collection) when a flushed database lost what Wagtail's migrations put there."""
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    root = Page.get_first_root_node()
    if root is None:
        language = get_supported_content_language_variant(settings.LANGUAGE_CODE)
        locale, _ = Locale.objects.get_or_create(language_code=language)
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    return root


def home_page_install(*, defaults):
    """One HomePage at the root of the default Site (served at BASE_URL), replacing
    Wagtail's welcome page.

    `defaults` fill a home page created now; an existing one is left as it is.
    """
    root = page_tree_root_get_or_create()
    home_page = HomePage.objects.child_of(root).first()
    if home_page is None:
        for placeholder in root.get_children().filter(slug=defaults.get("slug", "home")).exclude(
            content_type__model="homepage"
        ):
            placeholder.delete()
        home_page = HomePage(**defaults)
        root.add_child(instance=home_page)
        home_page.save_revision().publish()
    base_url = urlsplit(settings.BASE_URL)
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={
            "hostname": base_url.hostname or "localhost",
            "port": base_url.port or (443 if base_url.scheme == "https" else 80),
            "root_page": home_page,
            "site_name": settings.WAGTAIL_SITE_NAME,
        },
    )
    return home_page
