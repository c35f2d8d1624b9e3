"""Signed links in newsletter emails: nothing to store, nothing to guess.

A token carries the subscriber's id and a digest of their address, so a token stops
working if the address changes; confirmation tokens also expire.
"""

import hashlib

from django.core import signing
from django.urls import reverse

from website.links import absolute_url

CONFIRMATION_MAX_AGE = 60 * 60 * 24 * 3
SALTS = {"confirm": "newsletter.confirm", "preferences": "newsletter.preferences"}


def _fingerprint(subscriber):
    return hashlib.sha256(subscriber.email.lower().encode()).hexdigest()[:16]


def token_make(subscriber, *, purpose):
    return signing.dumps([subscriber.pk, _fingerprint(subscriber)], salt=SALTS[purpose], compress=True)


def token_subscriber(token, *, purpose):
    """The subscriber a valid token names, else None (tampered, expired or out of date)."""
    from .models import Subscriber

    max_age = CONFIRMATION_MAX_AGE if purpose == "confirm" else None
    try:
        pk, fingerprint = signing.loads(token, salt=SALTS[purpose], max_age=max_age)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    subscriber = Subscriber.objects.filter(pk=pk).first()
    if subscriber is None or _fingerprint(subscriber) != fingerprint:
        return None
    return subscriber


def subscriber_links(subscriber):
    token = token_make(subscriber, purpose="preferences")
    return {
        "preferences_url": absolute_url(reverse("newsletter:preferences", args=[token])),
        "unsubscribe_url": absolute_url(reverse("newsletter:unsubscribe", args=[token])),
    }
