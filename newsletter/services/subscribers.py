"""Subscribers: sign-up with double opt-in, preferences, leaving, erasure, provider events."""

import hashlib
import logging
import re
import unicodedata
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from website.links import absolute_url

from ..models import ConsentEvent, Subscriber, SubscriptionRequest
from ..tokens import CONFIRMATION_MAX_AGE, DATA_LINK_MAX_AGE, token_make

logger = logging.getLogger(__name__)


SIGNUPS_PER_ADDRESS_PER_HOUR = 3
SIGNUPS_PER_CLIENT_PER_HOUR = 20
DATA_LINKS_PER_SUBSCRIBER_PER_HOUR = 3
# Invisible characters that reorder the text around them ("bidi" overrides and isolates).
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _within_limit(key, limit):
    """A fixed one-hour window counter in the cache (shared by every process with Redis)."""
    cache.add(key, 0, 60 * 60)
    try:
        return cache.incr(key) <= limit
    except ValueError:  # expired between add and incr
        cache.set(key, 1, 60 * 60)
        return True


def signup_client_allowed(*, client):
    """`client` comes from a request header: hashed, it always makes a valid cache key."""
    digest = hashlib.sha256(client.encode()).hexdigest()
    return _within_limit(f"newsletter:signup:client:{digest}", SIGNUPS_PER_CLIENT_PER_HOUR)


def _mailbox(email):
    """The mailbox an address reaches: case and plus-address tags (ada+news@) do not
    make another one, so they share its limit."""
    local, _, domain = email.strip().lower().rpartition("@")
    return f"{local.split('+', 1)[0]}@{domain}"


def plain_name(name):
    """A name without control characters: names go into every email's greeting and the
    admin, where a line break, a terminal escape or a bidi override could forge a line or
    disguise the text around it. Line breaks and tabs become spaces."""
    characters = (
        " " if character.isspace() else character
        for character in name
        if character.isspace() or (unicodedata.category(character) != "Cc" and character not in BIDI_CONTROLS)
    )
    return " ".join("".join(characters).split())[:120]


def subscriber_signup(*, email, name="", series=(), outcomes=(), regions=(), source):
    """Ask the address's owner to confirm, saying nothing about whether the address was
    already known. Anyone can type any address, so nothing here changes a subscriber's
    record: what was asked for waits in a SubscriptionRequest that only the owner's
    confirmation applies. An active, bounced or complaining address is left as is (no
    email); at most SIGNUPS_PER_ADDRESS_PER_HOUR confirmation emails reach one mailbox."""
    email = email.strip()
    digest = hashlib.sha256(_mailbox(email).encode()).hexdigest()
    if not _within_limit(f"newsletter:signup:address:{digest}", SIGNUPS_PER_ADDRESS_PER_HOUR):
        logger.info("newsletter sign-up over the per-address limit")
        return None
    with transaction.atomic():
        _address_lock(digest)
        subscriber = Subscriber.objects.select_for_update().filter(email__iexact=email).first()
        if subscriber and subscriber.status not in (Subscriber.Status.PENDING, Subscriber.Status.UNSUBSCRIBED):
            return subscriber
        subscriber = subscriber or Subscriber.objects.create(email=email)
        subscriber.requests.filter(created_at__lt=timezone.now() - timedelta(seconds=CONFIRMATION_MAX_AGE)).delete()
        request = SubscriptionRequest.objects.create(
            subscriber=subscriber,
            name=plain_name(name),
            interests={
                "series": [item.pk for item in series],
                "outcomes": [item.pk for item in outcomes],
                "regions": list(regions),
            },
            source=source[:200],
        )
    transaction.on_commit(lambda: _send_confirmation(subscriber, request))
    return subscriber


def _address_lock(digest):
    """Two sign-ups of one new address at once (a double click) would both insert it and
    the second would fail on the unique constraint: on PostgreSQL the second waits here
    until the first commits, then finds its row. SQLite's IMMEDIATE transactions already
    let one writer in at a time."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [int(digest[:15], 16)])


def _send_confirmation(subscriber, request):
    """The confirmation email carries nothing the person signing up typed (not even the
    name): it goes from the site's own sender to someone who may never have asked."""
    token = token_make(subscriber, purpose="confirm", request_id=request.pk)
    context = {
        "confirm_url": absolute_url(reverse("newsletter:confirm", args=[token])),
        "site_name": settings.WAGTAIL_SITE_NAME,
    }
    message = EmailMultiAlternatives(
        subject=f"Confirm your subscription to the {settings.WAGTAIL_SITE_NAME} weekly digest",
        body=render_to_string("email/newsletter_confirm.txt", context),
        to=[subscriber.email],
    )
    message.attach_alternative(render_to_string("email/newsletter_confirm.html", context), "text/html")
    message.send()


def _interests_named(subscriber):
    return {
        "series": list(subscriber.series.values_list("name", flat=True)),
        "outcomes": list(subscriber.outcomes.values_list("name", flat=True)),
        "regions": subscriber.regions,
    }


def subscriber_confirm(*, request, name):
    """The owner's consent, given with the button behind the link emailed for `request`:
    only now does what was asked for reach the record (with `name` as the owner kept or
    corrected it), and the consent goes into the audit trail. Other open requests lapse."""
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(pk=request.subscriber_id)
        if subscriber.status not in (Subscriber.Status.PENDING, Subscriber.Status.UNSUBSCRIBED):
            return subscriber
        subscriber.name = plain_name(name)
        subscriber.regions = list(request.interests.get("regions", []))
        subscriber.series.set(subscriber.series.model.objects.filter(pk__in=request.interests.get("series", [])))
        subscriber.outcomes.set(subscriber.outcomes.model.objects.filter(pk__in=request.interests.get("outcomes", [])))
        subscriber.status = Subscriber.Status.ACTIVE
        subscriber.consent_source = request.source
        subscriber.consent_at = subscriber.status_changed_at = timezone.now()
        subscriber.save()
        ConsentEvent.objects.create(
            subscriber=subscriber,
            kind=ConsentEvent.Kind.CONSENTED,
            at=subscriber.consent_at,
            source=request.source,
            details={"list": "weekly digest", "interests": _interests_named(subscriber)},
        )
        subscriber.requests.all().delete()
    return subscriber


def subscriber_preferences_update(*, subscriber, name, series, outcomes, regions, paused_until):
    subscriber.name = plain_name(name)
    subscriber.regions = list(regions)
    subscriber.paused_until = paused_until
    subscriber.save(update_fields=["name", "regions", "paused_until"])
    subscriber.series.set(series)
    subscriber.outcomes.set(outcomes)


def _withdrawn(subscriber, *, status, source):
    """Record that the subscriber left; the consent before it stays on record."""
    ConsentEvent.objects.create(
        subscriber=subscriber,
        kind=ConsentEvent.Kind.WITHDRAWN,
        at=subscriber.status_changed_at,
        source=source[:200],
        details={"status": status, "previous_status": subscriber.status},
    )


def subscriber_unsubscribe(*, subscriber, source):
    """Leave the list; sign-ups still waiting for confirmation lapse with it."""
    if subscriber.status in (Subscriber.Status.ACTIVE, Subscriber.Status.PENDING):
        with transaction.atomic():
            subscriber.status_changed_at = timezone.now()
            _withdrawn(subscriber, status=Subscriber.Status.UNSUBSCRIBED, source=source)
            subscriber.status = Subscriber.Status.UNSUBSCRIBED
            subscriber.save(update_fields=["status", "status_changed_at"])
            subscriber.requests.all().delete()


def subscriber_data_link_send(*, subscriber):
    """Email the owner a short-lived link to download or erase their data. The preference
    link cannot do either: it sits in every digest, which gets forwarded, and never
    expires. At most DATA_LINKS_PER_SUBSCRIBER_PER_HOUR such emails an hour."""
    if not _within_limit(f"newsletter:data-link:{subscriber.pk}", DATA_LINKS_PER_SUBSCRIBER_PER_HOUR):
        return False
    context = {
        "data_url": absolute_url(reverse("newsletter:my_data", args=[token_make(subscriber, purpose="data")])),
        "site_name": settings.WAGTAIL_SITE_NAME,
        "minutes": DATA_LINK_MAX_AGE // 60,
    }
    EmailMultiAlternatives(
        subject=f"Your data at the {settings.WAGTAIL_SITE_NAME} weekly digest",
        body=render_to_string("email/newsletter_data_link.txt", context),
        to=[subscriber.email],
    ).send()
    return True


# Statuses of someone who left: nothing but their own new consent brings them back.
LEFT = (Subscriber.Status.UNSUBSCRIBED, Subscriber.Status.BOUNCED, Subscriber.Status.COMPLAINED)
# Of those, the ones where the person withdrew consent (a bounce is the mailbox failing).
WITHDRAWN = (Subscriber.Status.UNSUBSCRIBED, Subscriber.Status.COMPLAINED)
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
        subscriber.status_changed_at = timezone.now()
        if status in WITHDRAWN:
            _withdrawn(subscriber, status=status, source=f"mail provider: {event_type}")
        subscriber.status = status
    subscriber.save(update_fields=["status", "status_changed_at", "bounce_count"])
    return subscriber


def subscriber_erase(*, subscriber):
    """Forget the subscriber entirely (their interests, waiting sign-ups and consent record
    go with them)."""
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
        "consent_history": [
            {"event": event.kind, "at": event.at.isoformat(), "source": event.source, "details": event.details}
            for event in subscriber.consent_events.all()
        ],
        "sign_ups_waiting_for_confirmation": [
            {
                "asked_at": request.created_at.isoformat(),
                "source": request.source,
                "name": request.name,
                "interests": request.interests,
            }
            for request in subscriber.requests.order_by("created_at")
        ],
    }
