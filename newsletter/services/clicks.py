"""Aggregate click counts of the digest's links to member news: one number per (issue,
link), raised by the redirect every such link goes through. No subscriber identifier is
in the link and nothing else about the visit is stored."""

from django.db import IntegrityError, transaction
from django.db.models import F

from ..models import IssueLinkClicks, NewsletterIssue


def issue_link_click_record(*, item):
    """One more follow of `item`'s link, counted only once its issue has gone out (a
    staff member's test copy or preview counts nothing). Safe under concurrent clicks."""
    if item.issue.status != NewsletterIssue.Status.SENT:
        return
    if IssueLinkClicks.objects.filter(item=item).update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            IssueLinkClicks.objects.create(item=item, count=1)
    except IntegrityError:  # another request created the row first
        IssueLinkClicks.objects.filter(item=item).update(count=F("count") + 1)
