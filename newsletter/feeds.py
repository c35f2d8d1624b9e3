"""RSS 2.0 and Atom feeds of the issue archive."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import format_html, format_html_join

from .models import IssueItem, NewsletterIssue

FEED_ISSUES = 20


class ArchiveFeed(Feed):
    feed_type = Rss201rev2Feed
    description = "Every weekly digest the network has sent: posts, members' news and new case studies."

    def title(self):
        return f"{settings.WAGTAIL_SITE_NAME} weekly digest"

    def link(self):
        return settings.BASE_URL + reverse("newsletter:archive")

    def items(self):
        return (
            NewsletterIssue.objects.filter(status=NewsletterIssue.Status.SENT)
            .order_by("-sent_at")
            .prefetch_related("items")[:FEED_ISSUES]
        )

    def item_title(self, issue):
        return issue.subject

    def item_description(self, issue):
        """The intro and every item's title, escaped (titles from member feeds are text)."""
        labels = dict(IssueItem.Section.choices)
        items = format_html_join(
            "",
            '<li><a href="{}">{}</a> ({})</li>',
            ((item.url, item.title, labels[item.section]) for item in issue.items.all()),
        )
        return format_html("<p>{}</p><ul>{}</ul>", issue.intro, items)

    def item_link(self, issue):
        return settings.BASE_URL + reverse("newsletter:archive_issue", args=[issue.pk])

    def item_pubdate(self, issue):
        return issue.sent_at

    def item_updateddate(self, issue):
        """Atom requires `updated` on every entry (RFC 4287 4.1.2); a sent issue never changes."""
        return issue.sent_at

    def author_name(self):
        """Atom requires an author for every entry (RFC 4287 4.1.1): the network sends the digest."""
        return settings.WAGTAIL_SITE_NAME


class ArchiveAtomFeed(ArchiveFeed):
    feed_type = Atom1Feed
    subtitle = ArchiveFeed.description
