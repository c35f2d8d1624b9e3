"""Consent is the address owner's own act: a link scanner cannot give it, a stranger's
sign-up changes nothing until the owner confirms, the record of consent and withdrawal
survives leaving, and a stranger's text never reaches the site's mail."""

import re
import unicodedata

import pytest

from blog.models import Series
from newsletter.models import Subscriber
from newsletter.tokens import subscriber_links
from taxonomy.models import Outcome
from tests.newsletter.conftest import messages_of, parts

pytestmark = pytest.mark.django_db


def sign_up(client, django_capture_on_commit_callbacks, **data):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post("/newsletter/subscribe/", {"from": "/", **data})


def confirm_path(message):
    body = parts(message)["text/plain"]
    return re.search(r"https?://[^/\s]+(/newsletter/confirm/\S+/)", body).group(1)


def test_opening_the_confirmation_link_changes_nothing_only_its_button_confirms(
    client, smtp_inbox, django_capture_on_commit_callbacks, home_page
):
    sign_up(client, django_capture_on_commit_callbacks, email="reader@example.org")
    path = confirm_path(messages_of(smtp_inbox)[0])

    scanner_get, scanner_head = client.get(path), client.head(path)
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING, "a prefetch or scanner consents nobody"
    assert scanner_get.status_code == 200 and scanner_get["Cache-Control"] == "private, no-store"
    assert b'method="post"' in scanner_get.content and b"Confirm my subscription" in scanner_get.content
    assert scanner_head.status_code in (200, 405)

    confirmed = client.post(path)
    subscriber = Subscriber.objects.get()
    assert confirmed.status_code == 200 and b"You are subscribed" in confirmed.content
    assert subscriber.status == Subscriber.Status.ACTIVE and subscriber.consent_at is not None


def test_a_sign_up_for_a_known_address_changes_nothing_until_its_owner_confirms(
    client, smtp_inbox, django_capture_on_commit_callbacks, home_page
):
    employment = Outcome.objects.get(slug="employment")
    series = Series.objects.create(name="Network in the News", slug="network-in-the-news")
    left = Subscriber.objects.create(
        email="ada@example.org",
        name="Ada",
        status=Subscriber.Status.UNSUBSCRIBED,
        regions=["west"],
        consent_source="sign-up form on /about/",
    )
    left.outcomes.add(employment)
    waiting = Subscriber.objects.create(email="grace@example.org", name="Grace", regions=["south"])

    for address in ("ADA@example.org", "grace@example.org"):
        sign_up(
            client,
            django_capture_on_commit_callbacks,
            email=address,
            name="Mallory",
            series=[series.pk],
            regions=["northeast"],
            **{"from": "/elsewhere/"},
        )

    for before in (left, waiting):
        after = Subscriber.objects.get(pk=before.pk)
        assert (after.name, after.status, after.regions, after.consent_source) == (
            before.name,
            before.status,
            before.regions,
            before.consent_source,
        )
        assert list(after.series.all()) == []
    assert list(Subscriber.objects.get(pk=left.pk).outcomes.all()) == [employment]

    by_address = {message["X-RcptTo"].lower(): message for message in messages_of(smtp_inbox)}
    assert sorted(by_address) == ["ada@example.org", "grace@example.org"]
    client.post(confirm_path(by_address["ada@example.org"]), {"name": "Ada L."})
    ada = Subscriber.objects.get(pk=left.pk)
    assert (ada.status, ada.name, ada.regions, ada.consent_source) == (
        Subscriber.Status.ACTIVE,
        "Ada L.",
        ["northeast"],
        "sign-up form on /elsewhere/",
    )
    assert list(ada.series.all()) == [series] and list(ada.outcomes.all()) == []


def test_consent_and_withdrawal_stay_on_record_after_leaving(
    client, smtp_inbox, django_capture_on_commit_callbacks, home_page
):
    from newsletter.models import ConsentEvent

    sign_up(client, django_capture_on_commit_callbacks, email="reader@example.org", regions=["midwest"])
    client.post(confirm_path(messages_of(smtp_inbox)[0]))
    subscriber = Subscriber.objects.get()
    client.post(subscriber_links(subscriber)["unsubscribe_url"].replace("http://localhost", ""))
    sign_up(client, django_capture_on_commit_callbacks, email="reader@example.org", regions=["south"])

    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    events = list(ConsentEvent.objects.filter(subscriber=subscriber).order_by("at", "pk"))
    assert [event.kind for event in events] == ["consented", "withdrawn"]
    assert events[0].source == "sign-up form on /" and events[0].details["interests"]["regions"] == ["midwest"]
    assert events[1].source.startswith("unsubscribe") and events[1].at >= events[0].at


def test_the_confirmation_email_leaves_out_the_name_a_stranger_typed(
    client, smtp_inbox, django_capture_on_commit_callbacks, home_page
):
    sign_up(
        client,
        django_capture_on_commit_callbacks,
        email="victim@example.org",
        name="URGENT: your account is locked, reset your password at https://evil.example",
    )
    message = messages_of(smtp_inbox)[0]
    for body in parts(message).values():
        assert "URGENT" not in body and "evil.example" not in body
    assert "URGENT" not in message["Subject"]


NASTY_NAME = "Ada\x1b[31m\u202eecalevoL\r\nBcc: all@example.org\x07\t"


def no_control_characters(text):
    return not any(unicodedata.category(character) == "Cc" or character == "\u202e" for character in text)


def test_names_are_stored_without_control_characters(client, smtp_inbox, django_capture_on_commit_callbacks, home_page):
    from newsletter.services.importing import subscribers_import

    sign_up(client, django_capture_on_commit_callbacks, email="signup@example.org", name=NASTY_NAME)
    path = confirm_path(messages_of(smtp_inbox)[0])
    client.post(path, {"name": NASTY_NAME})
    signed_up = Subscriber.objects.get(email="signup@example.org")
    assert signed_up.status == Subscriber.Status.ACTIVE
    assert no_control_characters(signed_up.name) and signed_up.name.startswith("Ada")

    preferences = Subscriber.objects.create(email="prefs@example.org", status=Subscriber.Status.ACTIVE)
    client.post(subscriber_links(preferences)["preferences_url"].replace("http://localhost", ""), {"name": NASTY_NAME})
    preferences.refresh_from_db()
    assert no_control_characters(preferences.name) and preferences.name.startswith("Ada")

    subscribers_import(rows=[(2, {"email": "imported@example.org", "name": NASTY_NAME})], source="import: test")
    imported = Subscriber.objects.get(email="imported@example.org")
    assert no_control_characters(imported.name) and imported.name.startswith("Ada")


def test_imports_and_provider_events_join_the_consent_trail(home_page):
    from django.utils import timezone

    from newsletter.models import ConsentEvent
    from newsletter.services.importing import subscribers_import
    from newsletter.services.subscribers import subscriber_mail_event

    Subscriber.objects.create(email="reader@example.org", status=Subscriber.Status.ACTIVE)
    Subscriber.objects.create(email="grace@example.org", status=Subscriber.Status.ACTIVE)
    rows = [
        {"email": "ada@example.org", "status": "subscribed", "consented_at": "2025-03-14T09:30:00"},
        {"email": "maya@example.org", "status": "unsubscribed"},
        {"email": "reader@example.org", "status": "unsubscribed"},
        {"email": "linus@example.org", "status": "cleaned"},
    ]
    subscribers_import(rows=list(enumerate(rows, start=2)), source="import: old-list.csv")
    subscriber_mail_event(email="ada@example.org", event_type="complained")
    subscriber_mail_event(email="grace@example.org", event_type="bounced", response="550 5.1.1 no such user")

    trail = [(event.subscriber.email, event.kind, event.source) for event in ConsentEvent.objects.order_by("pk")]
    assert trail == [
        ("ada@example.org", "consented", "import: old-list.csv"),
        ("maya@example.org", "withdrawn", "import: old-list.csv"),
        ("reader@example.org", "withdrawn", "import: old-list.csv"),
        ("ada@example.org", "withdrawn", "mail provider: complained"),
    ], "a bounce is the mailbox failing, not a withdrawal"
    consented = ConsentEvent.objects.get(kind="consented")
    assert timezone.localtime(consented.at).isoformat()[:16] == "2025-03-14T09:30"
    assert Subscriber.objects.get(email="grace@example.org").status == Subscriber.Status.BOUNCED
