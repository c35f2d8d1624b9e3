from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .forms import FeedSourceForm
from .models import FeedSource, NewsItem
from .selectors import news_index_visible, news_item_for_partnership
from .services import feed_source_reactivate
from .tasks import refresh_feed_sources


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


class RetryColumn(Column):
    """A "Retry now" button on every row of the feed-health list."""

    cell_template_name = "news/admin/retry_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["retry_url"] = reverse("news_feed_retry", args=[instance.pk])
        context["csrf_token"] = get_token(parent_context["request"])
        return context


class FeedSourceViewSet(SnippetViewSet):
    """Feed health: when each feed was fetched, how it answered, how many times it failed."""

    model = FeedSource
    icon = "pick"
    menu_label = "Feed health"
    list_display = [
        "name",
        "status",
        "last_fetched_at",
        "last_status_code",
        "error_count",
        "last_error",
        RetryColumn("retry", label=""),
    ]
    list_filter = ["status"]
    ordering = ["-error_count", "name"]
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("url", help_text="The feed's address, or just the website's: its feed is found and stored."),
            FieldPanel("partnership"),
            FieldPanel("status"),
        ],
        base_form_class=FeedSourceForm,
    )


class MemberNewsGroup(SnippetViewSetGroup):
    items = (FeedSourceViewSet, NewsItemViewSet)
    menu_icon = "doc-full"
    menu_label = "Member news"
    menu_name = "member-news"


register_snippet(MemberNewsGroup)


@require_POST
@permission_required("news.change_feedsource", raise_exception=True)
def feed_retry(request, pk):
    source = get_object_or_404(FeedSource, pk=pk)
    feed_source_reactivate(source=source)
    result = refresh_feed_sources.enqueue(source_ids=[source.pk])  # at once, or by the next worker
    source.refresh_from_db()
    if result.is_finished:
        level = messages.SUCCESS if not source.error_count else messages.WARNING
        outcome = "fetched" if not source.error_count else f"failed again: {source.last_error}"
        messages.add_message(request, level, f"{source.name}: {outcome}.")
    else:
        messages.info(request, f"{source.name}: queued, a worker fetches it shortly.")
    return redirect(reverse("wagtailsnippets_news_feedsource:list"))


@hooks.register("register_admin_urls")
def register_feed_retry_url():
    return [path("member-news/feeds/<int:pk>/retry/", feed_retry, name="news_feed_retry")]


@hooks.register("partnership_page_sections")
def partnership_news(*, partnership, request, limit):
    """The partnership's latest items and, when it has any, its own RSS and Atom feeds."""
    items = news_item_for_partnership(partnership=partnership, limit=limit)
    index = news_index_visible() if items else None
    feed_links = [(f"News from {partnership.title}", index.partnership_feed_base(partnership))] if index else []
    return {"news_items": items, "news_feed_links": feed_links}
