"""Reads for the newsletter: confirmation requests for its views, and how often the
digest's links to member news were followed for its admin."""

from django.db.models import F, Value
from django.db.models.functions import Coalesce

from network.selectors import partnership_editable_by

from .models import IssueItem, NewsletterIssue, Subscriber

CLICK_REPORT_ISSUES = 52  # a year of weekly issues


def issue_news_clicks_visible_to(*, user):
    """[(issue, [items with `click_count`])] for the newest sent issues, newest first:
    every member-news link for newsletter staff, only their own partnerships' for a
    partnership's editors."""
    items = (
        IssueItem.objects.filter(section=IssueItem.Section.NEWS, issue__status=NewsletterIssue.Status.SENT)
        .select_related("issue", "partnership")
        .annotate(click_count=Coalesce(F("clicks__count"), Value(0)))
        .order_by("-issue__sent_at", "-issue_id", "sort_order", "pk")
    )
    if not user.has_perm("newsletter.view_newsletterissue"):
        items = items.filter(partnership__in=partnership_editable_by(user=user))
    report = []
    for item in items:
        if not report or report[-1][0].pk != item.issue_id:
            if len(report) == CLICK_REPORT_ISSUES:
                break
            report.append((item.issue, []))
        report[-1][1].append(item)
    return report


def user_sees_click_counts(*, user):
    """Newsletter staff, and anyone who edits a partnership (for that partnership's news)."""
    return user.has_perm("newsletter.view_newsletterissue") or partnership_editable_by(user=user).exists()


def subscription_request_open(*, subscriber, request_id):
    """The sign-up request a confirmation link names, while it can still be confirmed:
    the address is waiting for confirmation or has unsubscribed (never one that bounced or
    complained), and no confirmation or unsubscribe has made the request lapse since."""
    if subscriber is None or request_id is None:
        return None
    if subscriber.status not in (Subscriber.Status.PENDING, Subscriber.Status.UNSUBSCRIBED):
        return None
    return subscriber.requests.filter(pk=request_id).first()


def issue_sent():
    """The issues subscribers got, newest first: the public archive."""
    return NewsletterIssue.objects.filter(status=NewsletterIssue.Status.SENT).order_by("-sent_at")
