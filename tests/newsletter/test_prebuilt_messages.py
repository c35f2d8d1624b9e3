"""The digest's SMTP bytes, prebuilt once per section order, are Django's own message for
each subscriber to the octet (but for the MIME boundary); what the slots cannot carry
exactly is left to Django."""

import re
from unittest import mock

import pytest
from django.core import signing
from django.core.mail.message import sanitize_address

from newsletter.messages import DigestMessages
from newsletter.models import Subscriber
from newsletter.rendering import DEFAULT_ORDER, OUTCOMES_ORDER, IssueRenderer, section_order
from newsletter.services.issues import issue_build
from newsletter.tokens import SALTS, SubscriberLinks, _fingerprint, token_make, token_read

pytestmark = pytest.mark.django_db

BOUNDARY = re.compile(rb"===============\d+==")


def reader(pk, email, name="", *, follows_outcomes=False):
    person = Subscriber(pk=pk, email=email, name=name)
    person.follows_series, person.follows_outcomes = False, follows_outcomes
    return person


def django_bytes(digest, person, personal):
    order = section_order(follows_series=person.follows_series, follows_outcomes=person.follows_outcomes)
    return digest.django_message(order, personal, dated=True).message().as_bytes(linesep="\r\n")


PEOPLE = [
    reader(1, "reader1@example.org", "Reader 1"),
    reader(12345, "Reader.Two+news@Example.org", "", follows_outcomes=True),
    reader(987654321, "o'brien@mail.example.co.uk", "Siobhán Ó Briain & <Co>"),
    reader(42, "ana@example.org", "Ana \"Nana\" 'Núñez'", follows_outcomes=True),
    reader(7, "x@example.org", "Zoë 🙂"),
]


@pytest.mark.parametrize("person", PEOPLE, ids=lambda person: person.email)
@pytest.mark.parametrize("base_url", ["http://localhost", "https://a.example", "https://network.example.org:8443"])
def test_a_prebuilt_copy_is_djangos_message_to_the_octet(week, person, base_url, settings):
    settings.BASE_URL = base_url
    digest = DigestMessages(IssueRenderer(issue_build(since=week)), prebuilt=True)
    personal = digest.personal(person)
    for message_id in [personal["message_id"], "<1.2.3.digest@localhost>", f"<{'1' * 60}.digest@example.org>"]:
        personal["message_id"] = message_id  # one that the email package folds, and one it does not
        fast = digest.copy(person, personal=personal).smtp_bytes
        assert fast is not None, "a plain address and a short name go the prebuilt way"
        expected = django_bytes(digest, person, personal)
        assert BOUNDARY.sub(b"B", fast) == BOUNDARY.sub(b"B", expected)
    assert sanitize_address(person.email, "utf-8") == person.email


def test_what_the_slots_cannot_carry_exactly_django_builds(week):
    digest = DigestMessages(IssueRenderer(issue_build(since=week)), prebuilt=True)
    for person in [
        reader(1, "jörg@exämple.org", "Jörg"),  # Django encodes the address
        reader(2, f"{'a' * 70}@example.org"),  # a To header that would fold
        reader(3, "long@example.org", "N" * 400),  # lines that could pass 998 octets
        reader(4, "lines@example.org", "Two\nlines"),
    ]:
        copy = digest.copy(person)
        assert copy.smtp_bytes is None and copy.message.to == [person.email]


def test_every_section_order_and_greeting_kind_gets_its_own_template(week):
    renderer = IssueRenderer(issue_build(since=week))
    digest = DigestMessages(renderer, prebuilt=True)
    for person in PEOPLE * 3:
        assert digest.copy(person).smtp_bytes is not None
    assert set(digest._templates) == {
        (DEFAULT_ORDER, True),
        (OUTCOMES_ORDER, True),
        (DEFAULT_ORDER, False),
        (OUTCOMES_ORDER, False),
    }
    assert renderer.compiles == 2, "MJML still compiled once per order"


def test_tokens_are_djangos_signed_tokens_and_still_read(db):
    person = Subscriber.objects.create(email="reader@example.org", status=Subscriber.Status.ACTIVE)
    with mock.patch("time.time", return_value=1_764_684_000.5):
        for purpose in SALTS:
            assert token_make(person, purpose=purpose) == signing.dumps(
                [person.pk, _fingerprint(person)], salt=SALTS[purpose], compress=True
            )
        links = SubscriberLinks()(person)
    for purpose in ("preferences", "unsubscribe"):
        token = links[f"{purpose}_url"].rstrip("/").rsplit("/", 1)[-1]
        assert token_read(token, purpose=purpose) == (person, None)
        assert token_read(token, purpose="data" if purpose == "unsubscribe" else "unsubscribe") == (None, None)


def test_digest_links_take_one_hmac_and_keep_their_guarantees(db, settings):
    person = Subscriber.objects.create(email="Reader@example.org", status=Subscriber.Status.ACTIVE)
    links = SubscriberLinks()(person)
    tokens = {purpose: links[f"{purpose}_url"].rstrip("/").rsplit("/", 1)[-1] for purpose in SubscriberLinks.PURPOSES}
    assert token_read(tokens["preferences"], purpose="unsubscribe") == (None, None), "one link cannot stand in"
    assert token_read(tokens["unsubscribe"], purpose="preferences") == (None, None)
    assert token_read(tokens["unsubscribe"], purpose="data") == (None, None)
    tampered = tokens["unsubscribe"][:-1] + ("B" if tokens["unsubscribe"].endswith("A") else "A")
    assert token_read(tampered, purpose="unsubscribe") == (None, None)
    assert token_read(f"{person.pk + 1}.{tokens['unsubscribe'].split('.')[1]}", purpose="unsubscribe") == (None, None)
    old = token_make(person, purpose="unsubscribe")
    assert token_read(old, purpose="unsubscribe") == (person, None), "links in older emails still work"
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "a-new-key", [settings.SECRET_KEY]
    assert token_read(tokens["unsubscribe"], purpose="unsubscribe") == (person, None), "key rotation keeps them"
    person.email = "someone-else@example.org"
    person.save()
    assert token_read(tokens["preferences"], purpose="preferences") == (None, None), "dead once the address changes"
