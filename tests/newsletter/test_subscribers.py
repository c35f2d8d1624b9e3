"""Sign-up with double opt-in, the preference centre and leaving, with the confirmation
email delivered to a real SMTP server on loopback."""

import json
import re

import pytest
from django.core import signing
from django.test import Client

from blog.models import Series
from newsletter.models import Subscriber, SubscriptionRequest
from newsletter.services.subscribers import SIGNUPS_PER_ADDRESS_PER_HOUR
from newsletter.tokens import CONFIRMATION_MAX_AGE, subscriber_links, token_make
from taxonomy.models import Outcome

pytestmark = pytest.mark.django_db


def sign_up(client, django_capture_on_commit_callbacks, **data):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post("/newsletter/subscribe/", {"from": "/", **data})


def link_in(message):
    body = message.get_payload()[0].get_payload(decode=True).decode()
    return re.search(r"https?://\S+/newsletter/confirm/\S+/", body).group(0)


def test_double_opt_in_end_to_end(client, smtp_inbox, django_capture_on_commit_callbacks, home_page):
    series = Series.objects.create(name="Network in the News", slug="network-in-the-news")
    outcome = Outcome.objects.get(slug="employment")
    response = sign_up(
        client,
        django_capture_on_commit_callbacks,
        email="Reader@Example.org",
        name="Ada",
        series=[series.pk],
        outcomes=[outcome.pk],
        regions=["midwest"],
    )
    assert response.status_code == 302 and response["Location"] == "/newsletter/subscribe/check-your-email/"

    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.PENDING and subscriber.consent_at is None
    assert [message["X-RcptTo"] for message in smtp_inbox.messages] == ["Reader@Example.org"]
    confirm_url = link_in(smtp_inbox.messages[0]).replace("http://localhost", "")

    page = client.get(confirm_url)
    assert page.status_code == 200 and page["Cache-Control"] == "private, no-store"
    assert b'value="Ada"' in page.content, "the owner sees the name given, to keep or correct"
    confirmed = client.post(confirm_url, {"name": "Ada"})
    assert confirmed.status_code == 200 and confirmed["Cache-Control"] == "private, no-store"
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.ACTIVE and subscriber.consent_at is not None
    assert subscriber.name == "Ada"
    assert subscriber.consent_source == "sign-up form on /"
    assert list(subscriber.series.all()) == [series] and subscriber.regions == ["midwest"]


def test_the_answer_never_reveals_whether_an_address_is_subscribed(
    client, smtp_inbox, django_capture_on_commit_callbacks, home_page
):
    Subscriber.objects.create(email="known@example.org", status=Subscriber.Status.ACTIVE)
    known = sign_up(client, django_capture_on_commit_callbacks, email="KNOWN@example.org")
    new = sign_up(client, django_capture_on_commit_callbacks, email="new@example.org")
    assert (known.status_code, known["Location"]) == (new.status_code, new["Location"])
    assert [message["X-RcptTo"] for message in smtp_inbox.messages] == ["new@example.org"]
    assert Subscriber.objects.count() == 2


def test_tampered_expired_and_stale_confirmation_links_are_refused(client, home_page, monkeypatch):
    subscriber = Subscriber.objects.create(email="reader@example.org")
    request = SubscriptionRequest.objects.create(subscriber=subscriber, source="sign-up form on /")
    token = token_make(subscriber, purpose="confirm", request_id=request.pk)
    assert client.get(f"/newsletter/confirm/{token}/").status_code == 200
    assert client.get(f"/newsletter/confirm/{token_make(subscriber, purpose='confirm')}/").status_code == 400
    assert client.get(f"/newsletter/confirm/{token[:-2]}xx/").status_code == 400
    assert client.get(f"/newsletter/confirm/{token_make(subscriber, purpose='preferences')}/").status_code == 400

    import time

    real_time = time.time
    monkeypatch.setattr(signing.time, "time", lambda: real_time() + CONFIRMATION_MAX_AGE + 60)
    assert client.get(f"/newsletter/confirm/{token}/").status_code == 400
    monkeypatch.setattr(signing.time, "time", real_time)

    subscriber.email = "changed@example.org"
    subscriber.save()
    assert client.get(f"/newsletter/confirm/{token}/").status_code == 400
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING


def test_honeypot_and_rate_limits(client, smtp_inbox, django_capture_on_commit_callbacks, home_page):
    bot = sign_up(client, django_capture_on_commit_callbacks, email="bot@example.org", website="http://spam")
    assert bot.status_code == 302 and not Subscriber.objects.exists()

    for _ in range(SIGNUPS_PER_ADDRESS_PER_HOUR + 2):
        sign_up(client, django_capture_on_commit_callbacks, email="again@example.org")
    assert len(smtp_inbox.messages) == SIGNUPS_PER_ADDRESS_PER_HOUR

    other = Client(REMOTE_ADDR="203.0.113.9")
    statuses = [
        sign_up(other, django_capture_on_commit_callbacks, email=f"r{n}@example.org").status_code for n in range(25)
    ]
    assert statuses.count(302) == 20 and statuses[-1] == 429


def test_the_form_is_csrf_protected(home_page):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/newsletter/subscribe/", {"email": "reader@example.org"}).status_code == 403
    page = strict.get("/")
    assert b'action="/newsletter/subscribe/"' in page.content and b"csrfmiddlewaretoken" in page.content


def test_get_on_the_unsubscribe_link_only_asks_and_post_unsubscribes(home_page):
    subscriber = Subscriber.objects.create(email="reader@example.org", status=Subscriber.Status.ACTIVE)
    url = subscriber_links(subscriber)["unsubscribe_url"].replace("http://localhost", "")
    scanner = Client(enforce_csrf_checks=True)
    assert scanner.get(url).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.ACTIVE

    one_click = scanner.post(url, {"List-Unsubscribe": "One-Click"})
    assert one_click.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED


def test_preference_centre_changes_interests_pauses_exports_and_erases(client, home_page, smtp_inbox):
    subscriber = Subscriber.objects.create(
        email="reader@example.org", status=Subscriber.Status.ACTIVE, consent_source="import: old-list.csv"
    )
    url = subscriber_links(subscriber)["preferences_url"].replace("http://localhost", "")
    outcome = Outcome.objects.get(slug="employment")
    response = client.post(
        url, {"name": "Ada", "outcomes": [outcome.pk], "regions": ["south"], "paused_until": "2027-01-15"}
    )
    assert response.status_code == 200 and b"Saved." in response.content
    subscriber.refresh_from_db()
    assert subscriber.name == "Ada" and subscriber.regions == ["south"] and str(subscriber.paused_until) == "2027-01-15"

    client.post(url + "data-link/")
    body = smtp_inbox.messages[0].get_payload(decode=True).decode()
    data_url = re.search(r"https?://\S+/newsletter/data/\S+/", body).group(0).replace("http://localhost", "")
    data = json.loads(client.get(data_url + "download/").content)
    assert data["email"] == "reader@example.org" and data["interests"]["outcomes"] == ["Employment"]
    assert data["consent_source"] == "import: old-list.csv"

    assert client.post(data_url + "erase/").status_code == 200
    assert not Subscriber.objects.exists()
    assert client.get(url).status_code == 400
