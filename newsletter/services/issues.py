"""Issues: the weekly draft assembled from what the network published, and its approval."""

import datetime

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from ..models import IssueItem, NewsletterIssue

NEWS_ITEMS_PER_ISSUE = 8
POSTS_PER_ISSUE = CASE_STUDIES_PER_ISSUE = 10  # a digest, and under Gmail's clipping size


def issue_build(*, since=None, until=None, force=False):
    """A draft issue of what the network published since the last issue (or `since`):
    the newest posts, the top member news (pinned first, one per partnership) and the
    newest case studies, a bounded number of each.
    A quiet week gives None unless `force`."""
    from blog.selectors import blog_post_visible
    from news.selectors import news_item_listing
    from practices.selectors import case_study_visible

    until = until or timezone.now()
    last = NewsletterIssue.objects.order_by("-period_end").first()
    since = since or (last.period_end if last else until - datetime.timedelta(days=7))
    items = []
    for post in _posts_dated_between(blog_post_visible(), since=since, until=until)[:POSTS_PER_ISSUE]:
        items.append(
            IssueItem(section=IssueItem.Section.POSTS, title=post.title, url=post.full_url, summary=post.summary)
        )
    partnerships_seen = set()
    for item in news_item_listing().filter(published_at__gt=since, published_at__lte=until):
        partnership = item.source.partnership_id or f"source-{item.source_id}"
        if partnership in partnerships_seen or len(partnerships_seen) >= NEWS_ITEMS_PER_ISSUE:
            continue
        partnerships_seen.add(partnership)
        items.append(
            IssueItem(
                section=IssueItem.Section.NEWS,
                title=item.title,
                url=item.link or "",
                summary=item.summary,
                source=item.source_name,
            )
        )
    for case_study in (
        case_study_visible()
        .filter(first_published_at__gt=since, first_published_at__lte=until)
        .order_by("-first_published_at")[:CASE_STUDIES_PER_ISSUE]
    ):
        items.append(
            IssueItem(
                section=IssueItem.Section.CASE_STUDIES,
                title=case_study.title,
                url=case_study.full_url,
                summary=case_study.summary,
            )
        )
    items = [item for item in items if item.url]
    if not items and not force:
        return None
    issue = NewsletterIssue(
        subject=f"{settings.WAGTAIL_SITE_NAME} weekly digest, {until:%-d %B %Y}",
        intro="This week across the network.",
        period_start=since,
        period_end=until,
    )
    issue.items = items
    issue.save()
    return issue


def _posts_dated_between(posts, *, since, until):
    """Posts whose own date falls in the period, newest first. A post carries a day, not a
    moment: one dated the period's first day is in unless it was already published when
    the last issue was built (it went out then)."""
    first_day, last_day = timezone.localdate(since), timezone.localdate(until)
    in_period = Q(date__gt=first_day, date__lte=last_day) | Q(date=first_day, first_published_at__gt=since)
    return posts.filter(in_period).order_by("-date", "-first_published_at", "-pk")


def issue_approve(*, issue, send_at=None):
    issue.status = NewsletterIssue.Status.APPROVED
    issue.send_at = send_at or timezone.now()
    issue.save(update_fields=["status", "send_at"])


def issue_due():
    """The latest approved issue whose time has come (approved without a time: now)."""
    return (
        NewsletterIssue.objects.filter(status=NewsletterIssue.Status.APPROVED)
        .filter(Q(send_at__lte=timezone.now()) | Q(send_at__isnull=True))
        .order_by(F("send_at").desc(nulls_first=True))
        .first()
    )
