"""Reads shared by the whole site: the one place that decides what "published" means."""

import json
from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Count, Exists, F, Lookup, OuterRef, Value
from django.db.models.functions import Cast
from django.db.models.lookups import StartsWith
from wagtail.images.models import Filter
from wagtail.models import Page, PageViewRestriction
from wagtail.templatetags.wagtailcore_tags import richtext

from .blocks import link_href
from .models import BasePage, CustomRendition, FooterSettings, NavigationSettings
from .page_cache import page_cache_kept

CARD_IMAGE_FILTER = "fill-640x360"


def page_public_q():
    """Not in a private section (a restricted page or below it), as a correlated subquery.

    Wagtail's `.public()` reads every view restriction first, one more query each time a
    listing is built (several per page); this asks the database in the same query."""
    restricted = PageViewRestriction.objects.filter(StartsWith(OuterRef("path"), F("page__path")))
    return ~Exists(restricted)


def page_live_public():
    """Pages a visitor may see: live, and not behind a privacy restriction."""
    return Page.objects.live().filter(page_public_q())


def page_live_public_searchable():
    """The same pages in the form Wagtail's search backends can filter: they take field
    lookups only, not a subquery, so this reads the view restrictions first."""
    return Page.objects.live().public()


def page_latest_children(*, parent, limit):
    """The newest published children of `parent`, newest first, ready to show as cards.
    The parent's page type says what "newest" means (see BasePage.get_latest_children),
    so this block needs to know nothing of the apps above it. Kept for the page-cache
    generation: a publish anywhere starts a new one."""
    if parent is None:
        return []
    cards = page_cache_kept(f"latest-children:{parent.pk}:{limit}", lambda: _page_latest_children_read(parent, limit))
    return _card_renditions_prefetch(cards)


def _page_latest_children_read(parent, limit):
    parent = parent.specific_deferred  # its type's own ordering, without reading the page again
    if hasattr(parent, "get_latest_children"):
        # Only which pages, in which order: the cards read each type's fields themselves.
        pages = parent.get_latest_children().select_related(None).prefetch_related(None).only("content_type")[:limit]
    else:
        pages = page_live_public().child_of(parent).order_by("-first_published_at", "-pk").only("content_type")[:limit]
    return _page_cards_read(list(pages))


def page_cards(*, pages):
    """The visible pages among `pages`, in their order, as specific pages with their
    listing image and its card rendition loaded. The pages are kept for the page-cache
    generation (see `_page_cards_read` for what a read costs); the renditions are not, so
    a rendition made after the read is found in Wagtail's rendition cache."""
    pages = list(pages)
    if not pages:
        return []
    pks = ",".join(str(page.pk) for page in pages)
    return _card_renditions_prefetch(page_cache_kept(f"page-cards:{pks}", lambda: _page_cards_read(pages)))


def _card_renditions_prefetch(cards):
    image_renditions_prefetch(
        images=[getattr(card, "listing_image", None) for card in cards], filter_spec=CARD_IMAGE_FILTER
    )
    return cards


def _page_cards_read(pages):
    """One query per page type: the pages' own content types say which model to read, so
    Wagtail's `.specific()` extra query for them is not needed."""
    pks_by_type = defaultdict(list)
    for page in pages:
        pks_by_type[page.content_type_id].append(page.pk)
    by_pk = {}
    for content_type_id, pks in pks_by_type.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None or not issubclass(model, Page):
            continue
        queryset = model.objects.live().filter(page_public_q(), pk__in=pks)
        if issubclass(model, BasePage):
            queryset = queryset.select_related("listing_image")
        by_pk.update(queryset.in_bulk())
    return [by_pk[page.pk] for page in pages if page.pk in by_pk]


def facet_counts(queryset, *, facets):
    """{facet: {value: how many of `queryset` match its Q and have that value}} for
    `facets` = {facet: (field, Q)}, in one query.

    Faceted listings (the directory, the practice library) give each facet the Q of every
    filter but its own, so each count says what ticking that value would give. The
    grouped counts are joined by UNION ALL, values as text so the rows line up (callers
    convert numbers back); rows whose value is None (no related row) are left out.
    """
    first, *others = [
        queryset.filter(filter_q)
        .annotate(facet=Value(facet), value=Cast(field, CharField()))
        .values("facet", "value")
        .annotate(count=Count("pk", distinct=True))
        .order_by()
        for facet, (field, filter_q) in facets.items()
    ]
    counts = {facet: {} for facet in facets}
    for row in first.union(*others, all=True):
        if row["value"] is not None:
            counts[row["facet"]][row["value"]] = row["count"]
    return counts


class _InList(Lookup):
    """`lhs` is one of the list `rhs`, sent as one parameter: `= ANY(%s)` with an array on
    PostgreSQL, a JSON array read by `json_each` on SQLite. Django's `__in` sends one
    parameter per value, which for thousands of ids makes the statement as long."""

    lookup_name = "in_list"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = list(self.rhs)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", (*lhs_params, values)
        return f"{lhs} IN (SELECT value FROM json_each(%s))", (*lhs_params, json.dumps(values))


def in_list(field, values):
    """A filter for `queryset.filter()`: `field` is one of `values` (ids, say), however many."""
    return _InList(F(field), values)


def image_renditions_prefetch(*, images, filter_spec):
    """Give `images` their renditions for `filter_spec`: those in Wagtail's rendition cache
    come from there as usual; the others are read in one query (and cached), where
    Wagtail's `prefetch_renditions` reads all of them every time. A rendition that does
    not exist yet is made when the template asks for it."""
    image_filter = Filter(spec=filter_spec)
    by_key = {
        CustomRendition.construct_cache_key(image, image_filter.get_cache_key(image), image_filter.spec): image
        for image in images
        if image is not None
    }
    cached = CustomRendition.cache_backend.get_many(list(by_key))
    missing = {key: image for key, image in by_key.items() if key not in cached}
    if not missing:
        return
    found = defaultdict(list)
    renditions = CustomRendition.objects.filter(
        image__in={image.pk for image in missing.values()}, filter_spec=image_filter.spec
    )
    for rendition in renditions:
        found[rendition.image_id].append(rendition)
    for key, image in missing.items():
        image.prefetched_renditions = list(found[image.pk])
        for rendition in image.prefetched_renditions:
            rendition.image = image  # the template's alt text reads it
            if rendition.focal_point_key == image_filter.get_cache_key(image):
                CustomRendition.cache_backend.set(key, rendition)


def site_chrome(*, site):
    """The navigation and footer of `site` as plain values (links as (href, label)).

    Every page shows them, and reading them costs four queries (two settings, the pages
    their links point to) plus rich-text rendering. They are kept for the page-cache
    generation: saving a setting, or publishing, moving or deleting a page, starts a new
    one, so a link never outlives its target's move."""
    return page_cache_kept(f"site-chrome:{site.pk if site else 0}", lambda: _site_chrome_read(site))


def _site_chrome_read(site):
    if site is None:
        return {"primary_links": [], "footer": {"about": "", "postal_address": "", "contact_email": "", "links": []}}
    navigation = NavigationSettings.for_site(site)
    footer = FooterSettings.for_site(site)
    return {
        "primary_links": [(link_href(block.value), block.value["label"]) for block in navigation.primary_links],
        "footer": {
            "about": richtext(footer.about),
            "postal_address": footer.postal_address,
            "contact_email": footer.contact_email,
            "links": [(link_href(value), value["label"]) for value in [block.value for block in footer.links]],
        },
    }
