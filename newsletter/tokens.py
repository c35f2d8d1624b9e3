"""Signed links in newsletter emails: nothing to store, nothing to guess.

A token carries the subscriber's id and a digest of their address, so a token stops
working if the address changes. Each purpose has its own salt, so a link does only its
job: the unsubscribe link (also in every digest's List-Unsubscribe header, which mail
systems store and forward) only unsubscribes; the preference link changes interests and
leaves; the data link, emailed on request and short-lived, exports or erases. A
confirmation token also names the sign-up request it confirms.

The two links every digest carries (preferences, unsubscribe) are made 100,000 times a
mailing, so they have a lighter form: `<id>.<tag>`, where one HMAC-SHA512 (its key derived
once from SECRET_KEY) over the id and the address gives both links' tags, one half each:
a half says nothing about the other, so one link still cannot stand in for the other.
The address is in the HMAC rather than in the token, so the link still dies when it
changes. These links never expire, so they carry no timestamp. Links in Django's signed
form (older emails, the preference centre's unsubscribe button) are read as before.
"""

import hashlib
import hmac
import json
import time
import zlib

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.encoding import force_bytes

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
    return _TokenSigner(purpose).sign(payload)


class _TokenSigner:
    """`signing.dumps(payload, salt=SALTS[purpose], compress=True)`, the same token to the
    character (`signing.loads` reads it), with the HMAC key derived once instead of on
    every call: a digest signs two tokens per subscriber, 100,000 times."""

    def __init__(self, purpose):
        salt = SALTS[purpose] + "signer"
        key = hashlib.sha256(force_bytes(salt) + force_bytes(settings.SECRET_KEY)).digest()
        self._mac = hmac.new(key, digestmod=hashlib.sha256)

    def sign(self, payload, *, timestamp=None):
        pk, fingerprint, *rest = payload
        if isinstance(pk, int) and not rest:  # what json.dumps writes for [int, hex digest]
            data = f'[{pk},"{fingerprint}"]'.encode()
        else:
            data = json.dumps(payload, separators=(",", ":")).encode("latin-1")
        compressed = zlib.compress(data)
        if len(compressed) < len(data) - 1:
            value = "." + signing.b64_encode(compressed).decode()
        else:
            value = signing.b64_encode(data).decode()
        value = f"{value}:{timestamp or signing.b62_encode(int(time.time()))}"
        mac = self._mac.copy()
        mac.update(value.encode())
        return f"{value}:{signing.b64_encode(mac.digest()).decode()}"


def token_read(token, *, purpose):
    """(subscriber, request id or None) for a valid token, else (None, None): tampered,
    expired, made for another purpose, or out of date."""
    from .models import Subscriber

    if ":" not in token:  # Django's signed tokens always have one, the link form never
        return _link_token_read(token, purpose=purpose), None
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
    return SubscriberLinks()(subscriber)


LINK_PURPOSES = ("preferences", "unsubscribe")  # the order of their tags' halves
_LINK_SALT = "newsletter.links"


def _link_macs():
    """The links' HMAC with its key derived once, for SECRET_KEY then each fallback."""
    return [
        hmac.new(hashlib.sha512(force_bytes(_LINK_SALT) + force_bytes(secret)).digest(), digestmod=hashlib.sha512)
        for secret in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    ]


def _link_tags(mac, pk, email):
    """{purpose: tag} for one subscriber: the two halves of one HMAC over id and address."""
    mac = mac.copy()
    mac.update(f"{pk}:{email.lower()}".encode())
    digest = mac.digest()
    half = len(digest) // 2
    return dict(zip(LINK_PURPOSES, (signing.b64_encode(digest[:half]), signing.b64_encode(digest[half:])), strict=True))


def _link_token_read(token, *, purpose):
    from .models import Subscriber

    pk, _, tag = token.partition(".")
    if purpose not in LINK_PURPOSES or not pk.isdigit() or not pk.isascii():
        return None
    subscriber = Subscriber.objects.filter(pk=int(pk)).first()
    if subscriber is None:
        return None
    tag = tag.encode()
    if any(hmac.compare_digest(tag, _link_tags(mac, subscriber.pk, subscriber.email)[purpose]) for mac in _link_macs()):
        return subscriber
    return None


class SubscriberLinks:
    """`subscriber_links` for a whole mailing: each URL reversed once around a slot for the
    token (tokens are URL-safe, so reversing with the token itself gives the same URL),
    the key derived once, one HMAC per subscriber for both links."""

    PURPOSES = LINK_PURPOSES
    _SLOT = "TOKEN"

    def __init__(self):
        self._mac = _link_macs()[0]
        self._urls = {
            purpose: absolute_url(reverse(f"newsletter:{purpose}", args=[self._SLOT])).split(self._SLOT)
            for purpose in self.PURPOSES
        }

    def __call__(self, subscriber):
        tags = _link_tags(self._mac, subscriber.pk, subscriber.email)
        prefix = f"{subscriber.pk}."
        return {
            f"{purpose}_url": before + prefix + tags[purpose].decode() + after
            for purpose, (before, after) in self._urls.items()
        }
