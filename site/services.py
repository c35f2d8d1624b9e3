"""Writes that shape the site as a whole."""

import contextlib
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.test.utils import override_settings
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)
from wagtail.signal_handlers import disable_reference_index_auto_update

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
        for placeholder in (
            root.get_children().filter(slug=defaults.get("slug", "home")).exclude(content_type__model="homepage")
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


# The comms team's roles, as Wagtail's first migrations set them up: Editors write and
# submit, Moderators (comms staff who publish) approve through one workflow.
EDITORIAL_PAGE_PERMISSIONS = {
    "Moderators": ["add_page", "change_page", "publish_page"],
    "Editors": ["add_page", "change_page"],
}
EDITORIAL_MEDIA_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
]
MODERATION_WORKFLOW = "Moderators approval"


def editorial_roles_ensure():
    """The Editors and Moderators groups and the moderation workflow on the whole tree.

    Wagtail's migrations create them; this restores them where a database was emptied
    (a flushed test database) and leaves an existing setup as it is.
    """
    root = page_tree_root_get_or_create()
    root_collection = Collection.get_first_root_node()
    access_admin = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    groups = {}
    for name, codenames in EDITORIAL_PAGE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(access_admin)
        for codename in codenames:
            permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
            GroupPagePermission.objects.get_or_create(group=group, page=root, permission=permission)
        for app_label, codename in EDITORIAL_MEDIA_PERMISSIONS:
            permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root_collection, permission=permission
            )
        groups[name] = group
    if not WorkflowPage.objects.filter(page=root).exists():
        task = GroupApprovalTask.objects.filter(name=MODERATION_WORKFLOW, active=True).first()
        if task is None:
            task = GroupApprovalTask.objects.create(name=MODERATION_WORKFLOW)
        task.groups.add(groups["Moderators"])
        workflow = Workflow.objects.filter(name=MODERATION_WORKFLOW, active=True).first()
        if workflow is None:
            workflow = Workflow.objects.create(name=MODERATION_WORKFLOW)
            WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
        WorkflowPage.objects.create(page=root, workflow=workflow)
    return groups


@contextlib.contextmanager
def indexes_updated_after():
    """Wagtail's reference index and search index left alone on each save (the load saves
    a page several times as it makes, publishes and links it; about half its time went
    there), for the caller to rebuild both once at the end."""
    backends = {name: {**config, "AUTO_UPDATE": False} for name, config in settings.WAGTAILSEARCH_BACKENDS.items()}
    with disable_reference_index_auto_update(), override_settings(WAGTAILSEARCH_BACKENDS=backends):
        yield
