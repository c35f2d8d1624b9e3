"""Signed links in newsletter emails: nothing to store, nothing to guess.

A token carries the subscriber's id and a digest of their address, so a token stops
working if the address changes. Each purpose has its own salt, so a link does only its
job: the unsubscribe link (also in every digest's List-Unsubscribe header, which mail
systems store and forward) only unsubscribes; the preference link changes interests and
leaves; the data link, emailed on request and short-lived, exports or erases. A
confirmation token also names the sign-up request it confirms.
"""

import hashlib

from django.core import signing
from django.urls import reverse

from website.links import absolute_url

CONFIRMATION_MAX_AGE = 60 * 60 * 24 * 3
DATA_LINK_MAX_AGE = 60 * 60
SALTS = {
    "confirm": "newsletter.confirm",
    "preferences": "newsletter.preferences",
    "unsubscribe": "newsletter.unsubscribe",
    "data": "newsletter.data",
}
MAX_AGES = {"confirm": CONFIRMATION_MAX_AGE, "data": DATA_LINK_MAX_AGE}


def _fingerprint(subscriber):
    return hashlib.sha256(subscriber.email.lower().encode()).hexdigest()[:16]


def token_make(subscriber, *, purpose, request_id=None):
    payload = [subscriber.pk, _fingerprint(subscriber)]
    if request_id is not None:
        payload.append(request_id)
    return signing.dumps(payload, salt=SALTS[purpose], compress=True)


def token_read(token, *, purpose):
    """(subscriber, request id or None) for a valid token, else (None, None): tampered,
    expired, made for another purpose, or out of date."""
    from .models import Subscriber

    try:
        pk, fingerprint, *rest = signing.loads(token, salt=SALTS[purpose], max_age=MAX_AGES.get(purpose))
    except (signing.BadSignature, ValueError, TypeError):
        return None, None
    subscriber = Subscriber.objects.filter(pk=pk).first()
    if subscriber is None or _fingerprint(subscriber) != fingerprint:
        return None, None
    return subscriber, (rest[0] if rest else None)


def token_subscriber(token, *, purpose):
    """The subscriber a valid token names, else None."""
    return token_read(token, purpose=purpose)[0]


def subscriber_links(subscriber):
    """The links every digest carries, each with a token for its own job only."""
    preferences = token_make(subscriber, purpose="preferences")
    unsubscribe = token_make(subscriber, purpose="unsubscribe")
    return {
        "preferences_url": absolute_url(reverse("newsletter:preferences", args=[preferences])),
        "unsubscribe_url": absolute_url(reverse("newsletter:unsubscribe", args=[unsubscribe])),
    }
