"""Writes for the newsletter: sign-up with double opt-in, preferences, leaving, erasure."""

import datetime
import hashlib
import logging
import smtplib
from email.utils import make_msgid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Count, F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .models import Delivery, IssueItem, NewsletterIssue, Subscriber
from .rendering import IssueRenderer, section_order
from .tokens import token_make

logger = logging.getLogger(__name__)

SIGNUPS_PER_ADDRESS_PER_HOUR = 3
SIGNUPS_PER_CLIENT_PER_HOUR = 20


def _within_limit(key, limit):
    """A fixed one-hour window counter in the cache (shared by every process with Redis)."""
    cache.add(key, 0, 60 * 60)
    try:
        return cache.incr(key) <= limit
    except ValueError:  # expired between add and incr
        cache.set(key, 1, 60 * 60)
        return True


def signup_client_allowed(*, client):
    return _within_limit(f"newsletter:signup:client:{client}", SIGNUPS_PER_CLIENT_PER_HOUR)


def subscriber_signup(*, email, name="", series=(), outcomes=(), regions=(), source):
    """Record a sign-up and send the confirmation email, saying nothing about whether the
    address was already known. An active subscriber is left as is (no email); anyone
    else gets a fresh confirmation link, at most SIGNUPS_PER_ADDRESS_PER_HOUR times."""
    email = email.strip()
    digest = hashlib.sha256(email.lower().encode()).hexdigest()
    if not _within_limit(f"newsletter:signup:address:{digest}", SIGNUPS_PER_ADDRESS_PER_HOUR):
        logger.info("newsletter sign-up over the per-address limit")
        return None
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(email__iexact=email).first()
        if subscriber and subscriber.status == Subscriber.Status.ACTIVE:
            return subscriber
        if subscriber and subscriber.status in (Subscriber.Status.BOUNCED, Subscriber.Status.COMPLAINED):
            return subscriber  # a bounced or complaining address never gets mail from a form
        subscriber = subscriber or Subscriber(email=email)
        subscriber.name = name.strip()[:120]
        subscriber.regions = list(regions)
        subscriber.consent_source = source[:200]
        subscriber.status = Subscriber.Status.PENDING
        subscriber.save()
        subscriber.series.set(series)
        subscriber.outcomes.set(outcomes)
    transaction.on_commit(lambda: _send_confirmation(subscriber))
    return subscriber


def _absolute(path):
    return settings.BASE_URL.rstrip("/") + path


def subscriber_links(subscriber):
    token = token_make(subscriber, purpose="preferences")
    return {
        "preferences_url": _absolute(reverse("newsletter:preferences", args=[token])),
        "unsubscribe_url": _absolute(reverse("newsletter:unsubscribe", args=[token])),
    }


def _send_confirmation(subscriber):
    context = {
        "subscriber": subscriber,
        "confirm_url": _absolute(reverse("newsletter:confirm", args=[token_make(subscriber, purpose="confirm")])),
        "site_name": settings.WAGTAIL_SITE_NAME,
    }
    message = EmailMultiAlternatives(
        subject=f"Confirm your subscription to the {settings.WAGTAIL_SITE_NAME} weekly digest",
        body=render_to_string("email/newsletter_confirm.txt", context),
        to=[subscriber.email],
    )
    message.attach_alternative(render_to_string("email/newsletter_confirm.html", context), "text/html")
    message.send()


def subscriber_confirm(*, subscriber):
    if subscriber.status == Subscriber.Status.PENDING:
        subscriber.status = Subscriber.Status.ACTIVE
        subscriber.consent_at = timezone.now()
        subscriber.status_changed_at = subscriber.consent_at
        subscriber.save(update_fields=["status", "consent_at", "status_changed_at"])
    return subscriber


def subscriber_preferences_update(*, subscriber, name, series, outcomes, regions, paused_until):
    subscriber.name = name.strip()[:120]
    subscriber.regions = list(regions)
    subscriber.paused_until = paused_until
    subscriber.save(update_fields=["name", "regions", "paused_until"])
    subscriber.series.set(series)
    subscriber.outcomes.set(outcomes)


def subscriber_unsubscribe(*, subscriber):
    if subscriber.status in (Subscriber.Status.ACTIVE, Subscriber.Status.PENDING):
        subscriber.status = Subscriber.Status.UNSUBSCRIBED
        subscriber.status_changed_at = timezone.now()
        subscriber.save(update_fields=["status", "status_changed_at"])


def subscriber_erase(*, subscriber):
    """Forget the subscriber entirely (their interests and consent record go with them)."""
    subscriber.delete()


def subscriber_export(*, subscriber):
    """Everything stored about the subscriber, for "download my data"."""
    return {
        "email": subscriber.email,
        "name": subscriber.name,
        "status": subscriber.status,
        "interests": {
            "series": list(subscriber.series.values_list("name", flat=True)),
            "outcomes": list(subscriber.outcomes.values_list("name", flat=True)),
            "regions": subscriber.regions,
        },
        "consent_at": subscriber.consent_at.isoformat() if subscriber.consent_at else None,
        "consent_source": subscriber.consent_source,
        "paused_until": subscriber.paused_until.isoformat() if subscriber.paused_until else None,
        "subscribed_at": subscriber.created_at.isoformat(),
    }


# --- Issues ----------------------------------------------------------------------

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
    for post in blog_post_visible().filter(first_published_at__gt=since, first_published_at__lte=until) \
            .order_by("-first_published_at")[:POSTS_PER_ISSUE]:
        items.append(IssueItem(section=IssueItem.Section.POSTS, title=post.title, url=post.full_url,
                               summary=post.summary))
    partnerships_seen = set()
    for item in news_item_listing().filter(fetched_at__gt=since, fetched_at__lte=until):
        partnership = item.source.partnership_id or f"source-{item.source_id}"
        if partnership in partnerships_seen or len(partnerships_seen) >= NEWS_ITEMS_PER_ISSUE:
            continue
        partnerships_seen.add(partnership)
        items.append(IssueItem(section=IssueItem.Section.NEWS, title=item.title, url=item.link or "",
                               summary=item.summary, source=item.source_name))
    for case_study in case_study_visible().filter(first_published_at__gt=since, first_published_at__lte=until) \
            .order_by("-first_published_at")[:CASE_STUDIES_PER_ISSUE]:
        items.append(IssueItem(section=IssueItem.Section.CASE_STUDIES, title=case_study.title,
                               url=case_study.full_url, summary=case_study.summary))
    items = [item for item in items if item.url]
    if not items and not force:
        return None
    issue = NewsletterIssue(
        subject=f"{settings.WAGTAIL_SITE_NAME} weekly digest, {until:%-d %B %Y}",
        intro="This week across the network.", period_start=since, period_end=until,
    )
    issue.items = items
    issue.save()
    return issue


def issue_approve(*, issue, send_at=None):
    issue.status = NewsletterIssue.Status.APPROVED
    issue.send_at = send_at or timezone.now()
    issue.save(update_fields=["status", "send_at"])


def issue_due():
    """The latest approved issue whose time has come."""
    return (NewsletterIssue.objects.filter(status=NewsletterIssue.Status.APPROVED, send_at__lte=timezone.now())
            .order_by("-send_at").first())


# --- Delivery ------------------------------------------------------------------

BATCH_SIZE = 200
MAX_ATTEMPTS = 5
LEASE = datetime.timedelta(minutes=10)


def deliveries_enqueue(*, issue):
    """A ledger row for every active, unpaused subscriber who has none for this issue."""
    today = timezone.localdate()
    recipients = (Subscriber.objects.filter(status=Subscriber.Status.ACTIVE)
                  .exclude(paused_until__gt=today).exclude(deliveries__issue=issue).values_list("pk", flat=True))
    rows = [Delivery(issue=issue, subscriber_id=pk) for pk in recipients.iterator()]
    Delivery.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    return len(rows)


def _claim(issue, *, lease, batch_size):
    """Reserve a batch for this worker; rows another worker holds are skipped, rows whose
    lease ran out (their worker died) are taken over."""
    stale = timezone.now() - lease
    with transaction.atomic():
        rows = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(issue=issue)
            .filter(Q(state=Delivery.State.PENDING)
                    | Q(state__in=[Delivery.State.CLAIMED, Delivery.State.SENDING], claimed_at__lte=stale))
            .order_by("pk").values_list("pk", flat=True)[:batch_size]
        )
        Delivery.objects.filter(pk__in=rows).update(state=Delivery.State.CLAIMED, claimed_at=timezone.now())
    return rows


def _message(renderer, issue, subscriber, connection):
    links = subscriber_links(subscriber)
    order = section_order(follows_series=subscriber.follows_series, follows_outcomes=subscriber.follows_outcomes)
    greeting = f"Hello {subscriber.name}," if subscriber.name else "Hello,"
    html_body, text_body = renderer.personalise(order=order, greeting=greeting, **links)
    domain = urlsplit(settings.BASE_URL).hostname or "localhost"
    token = links["unsubscribe_url"].rstrip("/").rsplit("/", 1)[-1]
    message = EmailMultiAlternatives(
        subject=issue.subject, body=text_body, to=[subscriber.email], connection=connection,
        headers={
            "Message-ID": make_msgid("digest", domain=domain),
            "List-Id": f"{settings.WAGTAIL_SITE_NAME} weekly digest <digest.{domain}>",
            "List-Unsubscribe": f"<{links['unsubscribe_url']}>, <mailto:{settings.NEWSLETTER_UNSUBSCRIBE_MAILBOX}"
                                f"?subject=unsubscribe%20{token}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(html_body, "text/html")
    return message


def issue_deliver(*, issue, lease=LEASE, batch_size=BATCH_SIZE, on_progress=None):
    """Send `issue` to every active subscriber exactly once, resumably: run it again after
    any crash, on any number of workers. Returns {"sent", "failed", "remaining" (pending),
    "in_progress" (held by other workers), "compiles"}.

    A delivery is marked `sending` just before its message is handed to the server and
    `sent` just after the server accepted it; a crash between those two writes leaves one
    message per worker whose fate is unknown, and it is sent again once its lease ends.
    """
    deliveries_enqueue(issue=issue)
    renderer = IssueRenderer(issue)
    totals = {"sent": 0, "failed": 0}
    while rows := _claim(issue, lease=lease, batch_size=batch_size):
        connection = get_connection()
        try:
            deliveries = (Delivery.objects.filter(pk__in=rows).select_related("subscriber")
                          .annotate(series_count=Count("subscriber__series", distinct=True),
                                    outcome_count=Count("subscriber__outcomes", distinct=True)).order_by("pk"))
            for delivery in deliveries:
                subscriber = delivery.subscriber
                subscriber.follows_series = delivery.series_count > 0
                subscriber.follows_outcomes = delivery.outcome_count > 0
                message = _message(renderer, issue, subscriber, connection)
                Delivery.objects.filter(pk=delivery.pk).update(state=Delivery.State.SENDING,
                                                               attempts=F("attempts") + 1)
                try:
                    message.send()
                except (smtplib.SMTPException, OSError) as error:
                    failed = delivery.attempts + 1 >= MAX_ATTEMPTS or _permanent(error)
                    Delivery.objects.filter(pk=delivery.pk).update(
                        state=Delivery.State.FAILED if failed else Delivery.State.PENDING, error=str(error)[:1000])
                    totals["failed"] += failed
                    if not failed:
                        raise _ConnectionLost(error) from error
                    continue
                Delivery.objects.filter(pk=delivery.pk).update(
                    state=Delivery.State.SENT, sent_at=timezone.now(), message_id=message.extra_headers["Message-ID"],
                    error="")
                totals["sent"] += 1
                if on_progress:
                    on_progress(totals["sent"])
        except _ConnectionLost as lost:
            logger.warning("newsletter delivery: mail server connection lost, stopping this run: %s", lost)
            Delivery.objects.filter(pk__in=rows, state=Delivery.State.CLAIMED).update(state=Delivery.State.PENDING)
            break
        finally:
            connection.close()
    remaining = issue.deliveries.filter(state=Delivery.State.PENDING).count()
    in_progress = issue.deliveries.filter(state__in=[Delivery.State.CLAIMED, Delivery.State.SENDING]).count()
    if not remaining and not in_progress:
        NewsletterIssue.objects.filter(pk=issue.pk).update(status=NewsletterIssue.Status.SENT, sent_at=timezone.now())
    logger.info("newsletter delivery", extra={"issue": issue.pk, **totals, "remaining": remaining})
    return {**totals, "remaining": remaining, "in_progress": in_progress, "compiles": renderer.compiles}


class _ConnectionLost(Exception):
    pass


def _permanent(error):
    """5xx answers about the recipient: no point trying again."""
    return isinstance(error, smtplib.SMTPRecipientsRefused) or (
        isinstance(error, smtplib.SMTPResponseException) and 500 <= error.smtp_code < 600)


def issue_test_send(*, issue, email):
    """A copy for staff to check, personalised as for a subscriber with no interests."""
    renderer = IssueRenderer(issue)
    stand_in = Subscriber(pk=0, email=email, name="")
    stand_in.follows_series = stand_in.follows_outcomes = False
    message = _message(renderer, issue, stand_in, get_connection())
    message.subject = f"[Test] {issue.subject}"
    message.send()
