from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import FeedSource, NewsItem


class NewsItemViewSet(SnippetViewSet):
    """Staff hide or pin member news; editors choose items for "Network in the News"."""

    model = NewsItem
    icon = "doc-full"
    menu_label = "News items"
    list_display = ["title", "source_name", "published_at", "is_pinned", "is_hidden"]
    list_filter = ["is_pinned", "is_hidden", "source"]
    ordering = ["-published_at"]
    add_to_admin_menu = False
    inspect_view_enabled = True


class FeedSourceViewSet(SnippetViewSet):
    """Feed health: when each feed was fetched, how it answered, how many times it failed."""

    model = FeedSource
    icon = "pick"
    menu_label = "Feed health"
    list_display = ["name", "status", "last_fetched_at", "last_status_code", "error_count", "last_error"]
    list_filter = ["status"]
    ordering = ["-error_count", "name"]


class MemberNewsGroup(SnippetViewSetGroup):
    items = (FeedSourceViewSet, NewsItemViewSet)
    menu_icon = "doc-full"
    menu_label = "Member news"
    menu_name = "member-news"


register_snippet(MemberNewsGroup)
