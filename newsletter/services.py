"""Writes for the newsletter: sign-up with double opt-in, preferences, leaving, erasure,
provider events; issues and their delivery; importing a list from another tool."""

import csv
import datetime
import hashlib
import logging
import re
import smtplib
from dataclasses import dataclass, field
from email.utils import make_msgid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count, F, Q
from django.db.models.functions import Lower
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


SOFT_BOUNCES_TO_STOP = 3
PERMANENT_FAILURE = re.compile(r"\b5\d\d\b|\b5\.\d{1,3}\.\d{1,3}\b")  # SMTP 550, enhanced 5.1.1


def subscriber_mail_event(*, email, event_type, reject_reason=None, response=""):
    """What the mail provider reported about a message to `email` (Anymail's normalised
    event types). A complaint, a rejection or a permanent (5xx) bounce stops all mail at
    once; other bounces may be temporary and stop it at the third."""
    subscriber = Subscriber.objects.filter(email__iexact=email or "").first()
    if subscriber is None or subscriber.status in LEFT:
        return subscriber
    if event_type == "complained":
        status = Subscriber.Status.COMPLAINED
    elif event_type == "unsubscribed":
        status = Subscriber.Status.UNSUBSCRIBED
    elif event_type == "rejected" or (event_type == "bounced" and PERMANENT_FAILURE.search(response or "")):
        status = Subscriber.Status.BOUNCED
    elif event_type == "bounced":
        subscriber.bounce_count += 1
        status = Subscriber.Status.BOUNCED if subscriber.bounce_count >= SOFT_BOUNCES_TO_STOP else subscriber.status
    else:
        return subscriber
    if status != subscriber.status:
        logger.info("newsletter subscriber %s: %s (%s)", subscriber.pk, status, reject_reason or event_type)
        subscriber.status, subscriber.status_changed_at = status, timezone.now()
    subscriber.save(update_fields=["status", "status_changed_at", "bounce_count"])
    return subscriber


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
    for post in (
        blog_post_visible()
        .filter(first_published_at__gt=since, first_published_at__lte=until)
        .order_by("-first_published_at")[:POSTS_PER_ISSUE]
    ):
        items.append(
            IssueItem(section=IssueItem.Section.POSTS, title=post.title, url=post.full_url, summary=post.summary)
        )
    partnerships_seen = set()
    for item in news_item_listing().filter(fetched_at__gt=since, fetched_at__lte=until):
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


# --- Delivery ------------------------------------------------------------------

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


def _greeting(name):
    return f"Hello {name}," if name else "Hello,"


def _message(renderer, issue, subscriber, connection):
    links = subscriber_links(subscriber)
    order = section_order(follows_series=subscriber.follows_series, follows_outcomes=subscriber.follows_outcomes)
    html_body, text_body = renderer.personalise(order=order, greeting=_greeting(subscriber.name), **links)
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
    return {**totals, "remaining": remaining, "in_progress": in_progress, "compiles": renderer.compiles}


class _ConnectionLost(Exception):
    pass


def _permanent(error):
    """5xx answers about the recipient: no point trying again."""
    return isinstance(error, smtplib.SMTPRecipientsRefused) or (
        isinstance(error, smtplib.SMTPResponseException) and 500 <= error.smtp_code < 600
    )


def _stand_in(*, email, name=""):
    """Staff in a subscriber's place: their links lead to "this link is not valid"."""
    stand_in = Subscriber(pk=0, email=email, name=name)
    stand_in.follows_series = stand_in.follows_outcomes = False
    return stand_in


def issue_personalised(*, issue, order, email, name=""):
    """(html, text) exactly as a subscriber with this name would get them: the preview."""
    return IssueRenderer(issue).personalise(
        order=order, greeting=_greeting(name), **subscriber_links(_stand_in(email=email, name=name))
    )


def issue_test_send(*, issue, email, name=""):
    """A copy for staff to check, personalised as for a subscriber with no interests."""
    message = _message(IssueRenderer(issue), issue, _stand_in(email=email, name=name), get_connection())
    message.subject = f"[Test] {issue.subject}"
    message.send()


# --- Import ----------------------------------------------------------------------

IMPORT_STATUSES = {
    "active": Subscriber.Status.ACTIVE,
    "subscribed": Subscriber.Status.ACTIVE,
    "confirmed": Subscriber.Status.ACTIVE,
    "enabled": Subscriber.Status.ACTIVE,
    "pending": Subscriber.Status.PENDING,
    "unconfirmed": Subscriber.Status.PENDING,
    "unsubscribed": Subscriber.Status.UNSUBSCRIBED,
    "blocklisted": Subscriber.Status.UNSUBSCRIBED,
    "bounced": Subscriber.Status.BOUNCED,
    "cleaned": Subscriber.Status.BOUNCED,
    "complained": Subscriber.Status.COMPLAINED,
    "spam": Subscriber.Status.COMPLAINED,
}
LEFT = (Subscriber.Status.UNSUBSCRIBED, Subscriber.Status.BOUNCED, Subscriber.Status.COMPLAINED)
IMPORT_CHUNK = 1000
MAX_IMPORT_BYTES = 100 * 2**20


class SubscriberImportError(Exception):
    """The file as a whole cannot be read (bad rows are reported one by one instead)."""


@dataclass
class SubscriberImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list = field(default_factory=list)  # (row number, reason)
    warnings: list = field(default_factory=list)  # (row number, message): kept, with a caveat


def subscriber_rows_read(*, lines):
    """(row number, row) pairs from CSV text lines; column names are matched case-insensitively."""
    reader = csv.DictReader(lines)
    try:
        header = [(name or "").strip().lower() for name in reader.fieldnames or []]
    except csv.Error as error:
        raise SubscriberImportError(f"not a CSV file: {error}") from error
    if "email" not in header:
        raise SubscriberImportError("the first line must name the columns, and one of them must be 'email'")
    reader.fieldnames = header
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise SubscriberImportError(f"after line {reader.line_num}: {error}") from error
        yield reader.line_num, row


def _interest_keys():
    from blog.models import Series
    from network.geography import REGION_CHOICES
    from network.models import Outcome

    keys = {}
    for slug, name in REGION_CHOICES:
        keys[slug] = keys[name.lower()] = ("regions", slug)
    for model, kind in ((Series, "series"), (Outcome, "outcomes")):
        for pk, slug, name in model.objects.values_list("pk", "slug", "name"):
            keys[slug.lower()] = keys[name.lower()] = (kind, pk)
    return keys


def _import_row(row, *, interest_keys, default_status):
    """Clean values from one row, or raise ValueError with the reason; also warnings."""
    email = (row.get("email") or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        raise ValueError(f"{email[:80]!r} is not an email address") from None
    if len(email) > 254:
        raise ValueError("email longer than 254 characters")
    status_text = (row.get("status") or "").strip().lower()
    status = IMPORT_STATUSES.get(status_text) if status_text else default_status
    if status is None:
        raise ValueError(f"status {status_text[:40]!r} is not one of {', '.join(sorted(IMPORT_STATUSES))}")
    consent_at = None
    if consent_text := (row.get("consented_at") or "").strip():
        try:
            consent_at = datetime.datetime.fromisoformat(consent_text)
        except ValueError:
            raise ValueError(
                f"consented_at {consent_text[:40]!r} is not a date (use 2025-03-14 or 2025-03-14T09:30:00)"
            ) from None
        if timezone.is_naive(consent_at):
            consent_at = timezone.make_aware(consent_at)
        if consent_at > timezone.now():
            raise ValueError("consented_at is in the future")
    interests, warnings = {"series": set(), "outcomes": set(), "regions": set()}, []
    for key in filter(None, (key.strip() for key in re.split(r"[;,|]", row.get("interests") or ""))):
        if found := interest_keys.get(key.lower()):
            interests[found[0]].add(found[1])
        else:
            warnings.append(f"interest {key[:60]!r} is not a series, outcome area or region: left out")
    return {
        "email": email,
        "name": (row.get("name") or "").strip()[:120],
        "status": status,
        "consent_at": consent_at,
        "interests": interests,
    }, warnings


def subscribers_import(*, rows, source, default_status=Subscriber.Status.ACTIVE, dry_run=False):
    """Add subscribers exported from another list tool; bad rows are reported, good ones kept.

    An address already here keeps its place: the import fills in a missing name and adds
    interests, and can record that someone left, but never brings back someone who
    unsubscribed, bounced or complained. Rows are written in chunks, each in one transaction.
    """
    report, interest_keys, seen, chunk = SubscriberImportReport(), _interest_keys(), set(), []
    for number, row in rows:
        try:
            values, warnings = _import_row(row, interest_keys=interest_keys, default_status=default_status)
        except ValueError as error:
            report.rejected.append((number, str(error)))
            continue
        if values["email"].lower() in seen:
            report.rejected.append((number, f"{values['email']} appears earlier in this file"))
            continue
        seen.add(values["email"].lower())
        report.warnings.extend((number, warning) for warning in warnings)
        chunk.append(values)
        if len(chunk) == IMPORT_CHUNK:
            _import_chunk(chunk, source=source, report=report, dry_run=dry_run)
            chunk = []
    if chunk:
        _import_chunk(chunk, source=source, report=report, dry_run=dry_run)
    return report


def _import_chunk(chunk, *, source, report, dry_run):
    with transaction.atomic():
        existing = {
            subscriber.email.lower(): subscriber
            for subscriber in Subscriber.objects.annotate(lowered=Lower("email")).filter(
                lowered__in=[values["email"].lower() for values in chunk]
            )
        }
        new, changed, links = [], [], []
        for values in chunk:
            subscriber = existing.get(values["email"].lower())
            if subscriber is None:
                subscriber = Subscriber(
                    email=values["email"],
                    name=values["name"],
                    status=values["status"],
                    consent_at=values["consent_at"]
                    or (timezone.now() if values["status"] == Subscriber.Status.ACTIVE else None),
                    consent_source=source[:200],
                    regions=sorted(values["interests"]["regions"]),
                )
                new.append(subscriber)
            else:
                before = (subscriber.name, subscriber.status, list(subscriber.regions))
                subscriber.name = subscriber.name or values["name"]
                if values["status"] in LEFT and subscriber.status not in LEFT:
                    subscriber.status, subscriber.status_changed_at = values["status"], timezone.now()
                subscriber.regions = sorted(set(subscriber.regions) | values["interests"]["regions"])
                if before != (subscriber.name, subscriber.status, subscriber.regions):
                    changed.append(subscriber)
            links.append((subscriber, values["interests"]))
        report.created += len(new)
        if dry_run:
            report.updated += len(changed)
            report.unchanged += len(chunk) - len(new) - len(changed)
            return
        Subscriber.objects.bulk_create(new)
        Subscriber.objects.bulk_update(changed, ["name", "status", "status_changed_at", "regions"])
        added = _import_interests(links)
        changed_pks = {subscriber.pk for subscriber in changed} | added
        report.updated += len(changed_pks - {subscriber.pk for subscriber in new})
        report.unchanged += len(chunk) - len(new) - len(changed_pks - {subscriber.pk for subscriber in new})


def _import_interests(links):
    """Add the rows' series and outcome areas; the pks of existing subscribers that gained one."""
    gained = set()
    for relation, kind in ((Subscriber.series.through, "series"), (Subscriber.outcomes.through, "outcomes")):
        column = "series_id" if kind == "series" else "outcome_id"
        have = set(
            relation.objects.filter(subscriber__in=[subscriber for subscriber, _ in links]).values_list(
                "subscriber_id", column
            )
        )
        rows = [(subscriber.pk, pk) for subscriber, interests in links for pk in interests[kind]]
        missing = [pair for pair in rows if pair not in have]
        relation.objects.bulk_create([relation(subscriber_id=s, **{column: pk}) for s, pk in missing])
        gained.update(s for s, _ in missing)
    return gained
