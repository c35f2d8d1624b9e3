import re

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from network.models import PartnershipPage
from network.selectors import partnership_visible
from taxonomy.geography import STATE_CHOICES
from taxonomy.models import Outcome
from website.selectors import page_public_q

from .selectors import news_item_also_from, news_item_for_partnership, news_item_listing

PER_PAGE = 20
FEED_ITEMS = 50
ID_PATTERN = re.compile(r"[0-9]{1,9}")


def _ids(values):
    """The values that are page ids; anything else in a hand-edited URL (a non-ASCII
    digit, a number past any id column) is dropped, not an error."""
    return sorted({int(value) for value in values if ID_PATTERN.fullmatch(value)})


def _filters(request):
    return {
        "partnership_ids": _ids(request.GET.getlist("partnership")),
        "states": [value for value in request.GET.getlist("state") if value in dict(STATE_CHOICES)],
        "outcomes": [value for value in request.GET.getlist("outcome") if value.replace("-", "").isalnum()],
    }


def news_listing(request, *, index):
    filters = _filters(request)
    items = Paginator(news_item_listing(**filters), PER_PAGE).get_page(request.GET.get("page"))
    also_from = news_item_also_from(items=items.object_list)
    for item in items:
        item.also_from = also_from.get(item.pk, [])
    context = index.get_context(request)
    context.update(
        {
            "items": items,
            "filters": filters,
            "partnership_choices": PartnershipPage.objects.live()
            .filter(page_public_q())
            .filter(feed_sources__isnull=False)
            .distinct()
            .order_by("title")
            .values_list("pk", "title"),
            "state_choices": STATE_CHOICES,
            "outcome_choices": Outcome.objects.values_list("slug", "name"),
            "feed_links": [(index.title, index.full_url)],
        }
    )
    return TemplateResponse(request, index.get_template(request), context)


class NetworkNewsFeed(Feed):
    feed_type = Rss201rev2Feed
    kind = "rss"

    def __init__(self, *, index, partnership=None):
        super().__init__()
        self.index = index
        self.partnership = partnership

    def title(self):
        return f"{self.index.title}: {self.partnership.title}" if self.partnership else self.index.title

    def link(self):
        return self.partnership.full_url if self.partnership else self.index.full_url

    def feed_url(self):
        """The feed's own address (Atom's rel="self"), from the index, not the request."""
        if self.partnership:
            return self.index.partnership_feed_base(self.partnership) + self.kind + "/"
        return self.index.full_url + self.kind + "/"

    def description(self):
        if self.partnership:
            return f"News from {self.partnership.title}, a member of the network: {self.partnership.summary}"
        return self.index.introduction or self.index.title

    def items(self):
        if self.partnership:
            return news_item_for_partnership(partnership=self.partnership, limit=FEED_ITEMS)
        return news_item_listing()[:FEED_ITEMS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.content_html or item.summary

    def item_link(self, item):
        return item.link or self.index.full_url

    def item_guid(self, item):
        return f"{self.index.full_url}#item-{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        """Atom requires `updated` on every entry (RFC 4287 4.1.2): when we last stored it."""
        return max(item.updated_at, item.published_at)

    def author_name(self):
        """Atom entries need an author: the network, for items whose partnership gave none."""
        return settings.WAGTAIL_SITE_NAME

    def item_author_name(self, item):
        return item.source.partnership.title if item.source.partnership_id else item.source.name


class NetworkNewsAtomFeed(NetworkNewsFeed):
    feed_type = Atom1Feed
    kind = "atom"


def news_feed(request, *, index, kind, partnership_slug=None):
    """The network's news feed, or one partnership's (`partnership_slug`, a visible page's)."""
    partnership = get_object_or_404(partnership_visible(), slug=partnership_slug) if partnership_slug else None
    feed = (NetworkNewsAtomFeed if kind == "atom" else NetworkNewsFeed)(index=index, partnership=partnership)
    return feed(request)
