"""Delivery: the ledger, batched sending by any number of workers, test sends."""

import datetime
import logging
import smtplib
from email.utils import make_msgid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from wagtail.log_actions import log

from ..models import Delivery, NewsletterIssue, Subscriber
from ..rendering import IssueRenderer, greeting_for, section_order, stand_in
from ..tokens import subscriber_links

logger = logging.getLogger(__name__)

BATCH_SIZE = 200
MAX_ATTEMPTS = 5
LEASE = datetime.timedelta(minutes=10)


def deliveries_enqueue(*, issue):
    """A ledger row for every active, unpaused subscriber who has none for this issue."""
    today = timezone.localdate()
    recipients = (
        Subscriber.objects.filter(status=Subscriber.Status.ACTIVE)
        .exclude(paused_until__gt=today)
        .exclude(deliveries__issue=issue)
        .values_list("pk", flat=True)
    )
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
            .filter(
                Q(state=Delivery.State.PENDING)
                | Q(state__in=[Delivery.State.CLAIMED, Delivery.State.SENDING], claimed_at__lte=stale)
            )
            .order_by("pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        Delivery.objects.filter(pk__in=rows).update(state=Delivery.State.CLAIMED, claimed_at=timezone.now())
    return rows


def _message(renderer, issue, subscriber, connection):
    links = subscriber_links(subscriber)
    order = section_order(follows_series=subscriber.follows_series, follows_outcomes=subscriber.follows_outcomes)
    html_body, text_body = renderer.personalise(order=order, greeting=greeting_for(subscriber.name), **links)
    domain = urlsplit(settings.BASE_URL).hostname or "localhost"
    token = links["unsubscribe_url"].rstrip("/").rsplit("/", 1)[-1]
    message = EmailMultiAlternatives(
        subject=issue.subject,
        body=text_body,
        to=[subscriber.email],
        connection=connection,
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


def issue_deliver(*, issue, lease=LEASE, batch_size=BATCH_SIZE, max_batches=None, on_progress=None):
    """Send `issue` to every active subscriber exactly once, resumably: run it again after
    any crash, on any number of workers (`max_batches`: stop after that many batches, as one
    task of many does). Returns {"sent", "failed", "remaining" (pending), "in_progress"
    (held by other workers), "compiles"}.

    A delivery is marked `sending` just before its message is handed to the server and
    `sent` just after the server accepted it; a crash between those two writes leaves one
    message per worker whose fate is unknown, and it is sent again once its lease ends.
    """
    deliveries_enqueue(issue=issue)
    renderer = IssueRenderer(issue)
    totals = {"sent": 0, "failed": 0}
    batches = 0
    while (max_batches is None or batches < max_batches) and (
        rows := _claim(issue, lease=lease, batch_size=batch_size)
    ):
        batches += 1
        connection = get_connection()
        try:
            try:
                connection.open()  # one SMTP session per batch (send() alone opens one per message)
            except (smtplib.SMTPException, OSError) as error:
                raise _ConnectionLost(error) from error
            deliveries = (
                Delivery.objects.filter(pk__in=rows)
                .select_related("subscriber")
                .annotate(
                    series_count=Count("subscriber__series", distinct=True),
                    outcome_count=Count("subscriber__outcomes", distinct=True),
                )
                .order_by("pk")
            )
            for delivery in deliveries:
                subscriber = delivery.subscriber
                subscriber.follows_series = delivery.series_count > 0
                subscriber.follows_outcomes = delivery.outcome_count > 0
                message = _message(renderer, issue, subscriber, connection)
                Delivery.objects.filter(pk=delivery.pk).update(state=Delivery.State.SENDING, attempts=F("attempts") + 1)
                try:
                    message.send()
                except (smtplib.SMTPException, OSError) as error:
                    failed = delivery.attempts + 1 >= MAX_ATTEMPTS or _permanent(error)
                    Delivery.objects.filter(pk=delivery.pk).update(
                        state=Delivery.State.FAILED if failed else Delivery.State.PENDING, error=str(error)[:1000]
                    )
                    totals["failed"] += failed
                    if not failed:
                        raise _ConnectionLost(error) from error
                    continue
                status = getattr(message, "anymail_status", None)  # a provider's own id, when it gives one
                Delivery.objects.filter(pk=delivery.pk).update(
                    state=Delivery.State.SENT,
                    sent_at=timezone.now(),
                    error="",
                    message_id=message.extra_headers["Message-ID"]
                    if status is None or status.message_id is None
                    else str(status.message_id),
                )
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
    if totals["sent"] or totals["failed"]:  # the admin's history of the issue shows every run that sent
        log(issue, "newsletter.deliver", data={**totals, "remaining": remaining})
    return {**totals, "remaining": remaining, "in_progress": in_progress, "compiles": renderer.compiles}


class _ConnectionLost(Exception):
    pass


def _permanent(error):
    """5xx answers about the recipient: no point trying again."""
    return isinstance(error, smtplib.SMTPRecipientsRefused) or (
        isinstance(error, smtplib.SMTPResponseException) and 500 <= error.smtp_code < 600
    )


def issue_test_send(*, issue, email, name=""):
    """A copy for staff to check, personalised as for a subscriber with no interests."""
    message = _message(IssueRenderer(issue), issue, stand_in(email=email, name=name), get_connection())
    message.subject = f"[Test] {issue.subject}"
    message.send()
