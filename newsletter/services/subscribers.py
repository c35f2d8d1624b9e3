"""Subscribers: sign-up with double opt-in, preferences, leaving, erasure, provider events."""

import hashlib
import logging
import re

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from website.links import absolute_url

from ..models import Subscriber
from ..tokens import token_make

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
        _address_lock(digest)
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


def _address_lock(digest):
    """Two sign-ups of one new address at once (a double click) would both insert it and
    the second would fail on the unique constraint: on PostgreSQL the second waits here
    until the first commits, then finds its row. SQLite's IMMEDIATE transactions already
    let one writer in at a time."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [int(digest[:15], 16)])


def _send_confirmation(subscriber):
    context = {
        "subscriber": subscriber,
        "confirm_url": absolute_url(reverse("newsletter:confirm", args=[token_make(subscriber, purpose="confirm")])),
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


# Statuses of someone who left: nothing but their own new consent brings them back.
LEFT = (Subscriber.Status.UNSUBSCRIBED, Subscriber.Status.BOUNCED, Subscriber.Status.COMPLAINED)
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
