from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import NewsletterIssue, Subscriber


class NewsletterIssueViewSet(SnippetViewSet):
    """Staff edit the week's draft (intro, items, order), then approve it for its time."""

    model = NewsletterIssue
    icon = "mail"
    menu_label = "Issues"
    list_display = ["subject", "status", "send_at", "sent_at"]
    list_filter = ["status"]


class SubscriberViewSet(SnippetViewSet):
    model = Subscriber
    icon = "user"
    menu_label = "Subscribers"
    list_display = ["email", "name", "status", "consent_at", "consent_source"]
    list_filter = ["status"]
    search_fields = ["email", "name"]


class NewsletterGroup(SnippetViewSetGroup):
    items = (NewsletterIssueViewSet, SubscriberViewSet)
    menu_icon = "mail"
    menu_label = "Newsletter"
    menu_name = "newsletter"


register_snippet(NewsletterGroup)
