"""A subscriber's copy of the digest as an email message.

Django's `EmailMultiAlternatives` goes through any email backend (a provider's, the
file backend in development). For plain SMTP the same message is built once per
section order and kept as bytes with slots for the personal parts (recipient, date,
Message-ID, greeting, links), so a copy costs a few substitutions instead of building
and encoding a MIME tree: the bytes are Django's own to the octet but for the MIME
boundary. A copy the slots cannot carry exactly (an address Django would rewrite, a
value that would change how a header folds or how a body is encoded) is built by
Django instead.
"""

import html
import re
import time
from dataclasses import dataclass
from email.utils import formatdate, make_msgid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import RFC5322_EMAIL_LINE_LENGTH_LIMIT, sanitize_address

from .rendering import greeting_for, section_order
from .tokens import SubscriberLinks

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
# An address sanitize_address returns as it is: an ASCII dot-atom at an ASCII host name.
_PLAIN_ADDRESS = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*"
)
_HEADER_FOLD = 78  # the email package folds header lines longer than this
_SLOT_VALUE = 300  # longest value a body slot takes (the greeting carries a name of at most 120)


@dataclass
class Copy:
    """One subscriber's message: `message` for any backend, or `smtp_bytes` for SMTP."""

    message_id: str
    recipient: str
    message: EmailMultiAlternatives | None = None
    smtp_bytes: bytes | None = None


class DigestMessages:
    """Every subscriber's copy of one issue, from its renderer."""

    def __init__(self, renderer, *, prebuilt):
        self.renderer = renderer
        self.issue = renderer.issue
        self.prebuilt = prebuilt
        self.links = SubscriberLinks()
        self.domain = urlsplit(settings.BASE_URL).hostname or "localhost"
        self.from_email = sanitize_address(settings.DEFAULT_FROM_EMAIL, settings.DEFAULT_CHARSET)
        self._templates = {}
        self._date = (None, "")

    def copy(self, subscriber, *, personal=None):
        order = section_order(follows_series=subscriber.follows_series, follows_outcomes=subscriber.follows_outcomes)
        personal = personal or self.personal(subscriber)
        if self.prebuilt and (smtp_bytes := self._prebuilt(order, personal)) is not None:
            return Copy(message_id=personal["message_id"], recipient=subscriber.email, smtp_bytes=smtp_bytes)
        return Copy(
            message_id=personal["message_id"],
            recipient=subscriber.email,
            message=self.django_message(order, personal),
        )

    def personal(self, subscriber):
        """What differs from one copy to the next."""
        links = self.links(subscriber)
        return {
            "to": subscriber.email,
            "date": self._now(),
            "message_id": make_msgid("digest", domain=self.domain),
            "greeting": greeting_for(subscriber.name),
            **links,
            "token": links["unsubscribe_url"].rstrip("/").rsplit("/", 1)[-1],
        }

    def _now(self):
        """The Date header Django would write, formatted once a second."""
        second = int(time.time())
        if self._date[0] != second:
            self._date = (second, formatdate(second, localtime=settings.EMAIL_USE_LOCALTIME))
        return self._date[1]

    def django_message(self, order, personal, *, dated=False):
        """The copy as Django builds it (`dated`: with the Date header it would add itself)."""
        html_body, text_body = self.renderer.personalise(
            order=order,
            greeting=personal["greeting"],
            preferences_url=personal["preferences_url"],
            unsubscribe_url=personal["unsubscribe_url"],
        )
        message = EmailMultiAlternatives(
            subject=self.issue.subject,
            body=text_body,
            to=[personal["to"]],
            headers={
                **({"Date": personal["date"]} if dated else {}),
                "Message-ID": personal["message_id"],
                "List-Id": f"{settings.WAGTAIL_SITE_NAME} weekly digest <digest.{self.domain}>",
                "List-Unsubscribe": f"<{personal['unsubscribe_url']}>, "
                f"<mailto:{settings.NEWSLETTER_UNSUBSCRIBE_MAILBOX}?subject=unsubscribe%20{personal['token']}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )
        message.attach_alternative(html_body, "text/html")
        return message

    def _prebuilt(self, order, personal):
        """The copy as SMTP bytes from the template of its order, or None when the slots
        cannot give exactly what Django would."""
        greeting = personal["greeting"]
        template = self._template(order, ascii_greeting=greeting.isascii())
        if template is None or not template.fits(personal):
            return None
        return template.fill(personal)

    def _template(self, order, *, ascii_greeting):
        key = (order, ascii_greeting)
        if key not in self._templates:
            self._templates[key] = _MessageTemplate.build(self, order, ascii_greeting=ascii_greeting)
        return self._templates[key]


class _MessageTemplate:
    """Django's message for one section order, as bytes split at the personal values."""

    def __init__(self, pieces, slots, boundary, value_limit):
        self.pieces = pieces  # bytes between the slots
        self.slots = slots  # (value name, HTML-escaped?) of each slot, in order
        self.boundary = boundary
        self.value_limit = value_limit

    @classmethod
    def build(cls, messages, order, *, ascii_greeting):
        """None when Django's message is not the one the slots expect (then Django builds
        every copy of this order)."""
        # Slot values shaped like real ones: no longer than a real token (at least 81
        # characters), but long enough that List-Unsubscribe folds where it folds for real
        # tokens; made of letters no template carries.
        token = "SLOTTOKEN" + "Q" * 51
        links = {
            f"{purpose}_url": before + (token if purpose == "unsubscribe" else "SLOTPREFERENCES" + "Q" * 45) + after
            for purpose, (before, after) in messages.links._urls.items()
        }
        slot_values = {
            "to": "slot-to@slot.invalid",
            "date": "SLOTDATE",
            "message_id": "<SLOTMESSAGEID@slot.invalid>",
            "greeting": "SLOTGREETING" if ascii_greeting else "SLOTGREETING\u00e9",
            **links,
            "token": token,
        }
        raw = messages.django_message(order, slot_values, dated=True).message().as_bytes(linesep="\r\n")
        html_start = raw.find(b"Content-Type: text/html")
        encodings = re.findall(rb"\r\nContent-Transfer-Encoding: ([^\r]*)\r\n", raw)
        if html_start < 0 or set(encodings) - {b"7bit", b"8bit"}:
            return None
        boundary = re.search(rb'boundary="([^"]+)"', raw)[1]
        pieces, slots = [b""], []
        for region, escaped in ((raw[:html_start], False), (raw[html_start:], True)):
            forms = {}
            for name in ("unsubscribe_url", "preferences_url", "greeting", "token", "to", "date", "message_id"):
                value = html.escape(slot_values[name]) if escaped else slot_values[name]
                forms[value.encode()] = name
            pattern = re.compile(b"|".join(re.escape(form) for form in forms))  # URLs before the token in them
            start = 0
            for match in pattern.finditer(region):
                pieces[-1] += region[start : match.start()]
                slots.append((forms[match[0]], escaped))
                pieces.append(b"")
                start = match.end()
            pieces[-1] += region[start:]
        names = [name for name, _ in slots]
        if names.count("to") != 1 or names.count("date") != 1 or names.count("message_id") != 1:
            return None
        slot_bytes = [value.encode() for value in slot_values.values()]
        value_limit = _SLOT_VALUE
        for line in raw.split(b"\r\n"):
            if count := sum(line.count(value) for value in slot_bytes):
                rest = len(line) - sum(line.count(value) * len(value) for value in slot_bytes)
                value_limit = min(value_limit, (RFC5322_EMAIL_LINE_LENGTH_LIMIT - rest) // count)
        return cls(pieces, slots, boundary.decode(), value_limit)

    def fits(self, personal):
        """Whether Django would write these values exactly where the slots are: headers
        that fold (or not) as the template's did, lines short enough for 8-bit bodies."""
        to = personal["to"]
        if len(to) > 60 or not _PLAIN_ADDRESS.fullmatch(to):
            return False
        mailto = f" <mailto:{settings.NEWSLETTER_UNSUBSCRIBE_MAILBOX}?subject=unsubscribe%20{personal['token']}>"
        if len(personal["unsubscribe_url"]) + 3 <= _HEADER_FOLD or len(mailto) <= _HEADER_FOLD:
            return False
        for name in ("greeting", "preferences_url", "unsubscribe_url"):
            value = personal[name]
            if len(html.escape(value).encode()) > self.value_limit or "\r" in value or "\n" in value:
                return False
        return self.boundary not in personal["greeting"]

    def fill(self, personal):
        values = {
            (name, escaped): (html.escape(personal[name]) if escaped else personal[name]).encode()
            for name, escaped in set(self.slots)
        }
        if len("Message-ID: ") + len(personal["message_id"]) > _HEADER_FOLD:  # as the email package folds it
            values["message_id", False] = b"\r\n " + values["message_id", False]
        out = [self.pieces[0]]
        for slot, piece in zip(self.slots, self.pieces[1:], strict=True):
            out.append(values[slot])
            out.append(piece)
        return b"".join(out)
