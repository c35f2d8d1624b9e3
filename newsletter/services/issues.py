"""Issues: the weekly draft assembled from what the network published, and its approval."""

import datetime

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models import F, Q
from django.utils import timezone
from wagtail.models import Workflow, WorkflowContentType

from website.services import MODERATION_WORKFLOW

from ..models import IssueItem, NewsletterIssue

ISSUE_PERMISSIONS = {"Editors": ("add", "change", "view"), "Moderators": ("add", "change", "view", "publish")}
NEWS_ITEMS_PER_ISSUE = 8
POSTS_PER_ISSUE = CASE_STUDIES_PER_ISSUE = 10  # a digest, and under Gmail's clipping size
EVENT_DAYS_AHEAD = 14


def issue_build(*, since=None, until=None, force=False, user=None):
    """A draft issue of what the network published since the last issue (or `since`):
    the newest posts, the top member news (pinned first, one per partnership) and the
    newest case studies, a bounded number of each.
    A quiet week gives None unless `force`. The draft's first revision is `user`'s (none
    from the weekly task)."""
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
                partnership_id=item.source.partnership_id,
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
    items += issue_event_items(until=until)
    for order, item in enumerate(items):
        item.sort_order = order  # modelcluster leaves it empty; the email keeps this order
    issue = NewsletterIssue(
        subject=f"{settings.WAGTAIL_SITE_NAME} weekly digest, {until:%-d %B %Y}",
        intro="This week across the network.",
        period_start=since,
        period_end=until,
        live=False,
    )
    issue.items = items
    issue.save()
    issue.save_revision(user=user, log_action=True)
    return issue


def _posts_dated_between(posts, *, since, until):
    """Posts whose own date falls in the period, newest first. A post carries a day, not a
    moment: one dated the period's first day is in unless it was already published when
    the last issue was built (it went out then)."""
    first_day, last_day = timezone.localdate(since), timezone.localdate(until)
    in_period = Q(date__gt=first_day, date__lte=last_day) | Q(date=first_day, first_published_at__gt=since)
    return posts.filter(in_period).order_by("-date", "-first_published_at", "-pk")


def issue_event_items(*, until):
    """The events starting in the EVENT_DAYS_AHEAD after the issue, soonest first. They are
    not news: a week with nothing new but an event coming up still builds no issue."""
    from events.selectors import event_starting_between

    return [
        IssueItem(
            section=IssueItem.Section.EVENTS,
            title=event.title,
            url=event.full_url,
            summary=event.summary,
            source=f"{event.local_start:%a %-d %b, %-I:%M %p} {event.local_start.tzname()} · {event.get_format_display()}",
        )
        for event in event_starting_between(start=until, end=until + datetime.timedelta(days=EVENT_DAYS_AHEAD))
    ]


def issue_approve(*, issue, send_at=None, user=None):
    """Publish the issue's latest revision through Wagtail (logged like any publish), which
    approves it (see `issue_mark_approved`); for the command line and scripts, where no
    moderation workflow runs."""
    if send_at:
        issue.send_at = send_at
    issue.save_revision(user=user, log_action=True).publish(user=user)
    issue.refresh_from_db()


def issue_mark_approved(*, issue):
    """An issue just published (by a publisher, or by the last step of its workflow) goes
    out at its send time, or at once when that is empty or past. A sent issue stays sent:
    publishing a correction after the fact mails nobody again."""
    if issue.status == NewsletterIssue.Status.SENT:
        return
    now = timezone.now()
    issue.status = NewsletterIssue.Status.APPROVED
    issue.send_at = issue.send_at if issue.send_at and issue.send_at > now else now
    NewsletterIssue.objects.filter(pk=issue.pk).update(status=issue.status, send_at=issue.send_at)


def issue_review_ensure():
    """Issues go through the same review as pages: Editors build, edit and submit them,
    Moderators approve (publish) them, by the "Moderators approval" workflow. Idempotent;
    the migration that added drafts to issues does the same on an existing site."""
    content_type = ContentType.objects.get_for_model(NewsletterIssue)
    for name, actions in ISSUE_PERMISSIONS.items():
        group = Group.objects.filter(name=name).first()
        if group:
            codenames = [f"{action}_newsletterissue" for action in actions]
            group.permissions.add(*Permission.objects.filter(content_type=content_type, codename__in=codenames))
    workflow = Workflow.objects.filter(name=MODERATION_WORKFLOW, active=True).first()
    if workflow and not WorkflowContentType.objects.filter(content_type=content_type).exists():
        WorkflowContentType.objects.create(content_type=content_type, workflow=workflow)


def issue_due():
    """The latest approved issue whose time has come (approved without a time: now)."""
    return (
        NewsletterIssue.objects.filter(status=NewsletterIssue.Status.APPROVED, live=True)
        .filter(Q(send_at__lte=timezone.now()) | Q(send_at__isnull=True))
        .order_by(F("send_at").desc(nulls_first=True))
        .first()
    )
