"""Each personal link does only its job: the List-Unsubscribe link and mailto token only
unsubscribe, the preference centre link changes preferences but cannot export or erase,
and export and erase need a fresh, short-lived link emailed on request."""

import json
import re
import time
from urllib.parse import unquote

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone

from newsletter.models import IssueItem, NewsletterIssue, Subscriber
from newsletter.services.delivery import issue_deliver
from newsletter.tokens import subscriber_links, token_make
from tests.newsletter.conftest import messages_of, parts

pytestmark = pytest.mark.django_db


def local(url):
    return url.replace("http://localhost", "")


@pytest.fixture
def reader():
    return Subscriber.objects.create(email="reader@example.org", name="Ada", status=Subscriber.Status.ACTIVE)


@pytest.fixture
def digest(home_page, reader, smtp_inbox):
    """The message the reader got, as their mail client sees it."""
    issue = NewsletterIssue.objects.create(
        subject="This week", period_start=timezone.now(), period_end=timezone.now(), send_at=timezone.now()
    )
    IssueItem.objects.create(
        issue=issue, section="news", title="Tulsa opens a centre", url="https://tulsa.example.org/"
    )
    assert issue_deliver(issue=issue)["sent"] == 1
    return messages_of(smtp_inbox)[-1]


def test_the_list_unsubscribe_link_and_mailto_token_only_unsubscribe(client, digest, reader):
    header = digest["List-Unsubscribe"]
    https_url = re.search(r"<(https?://[^>]+)>", header).group(1)
    mailto_token = re.search(r"subject=unsubscribe%20([^>]+)>", header).group(1)
    https_token = local(https_url).rstrip("/").rsplit("/", 1)[-1]
    assert unquote(mailto_token) == https_token

    for token in {https_token, unquote(mailto_token)}:
        assert client.get(f"/newsletter/preferences/{token}/").status_code == 400
        assert client.post(f"/newsletter/preferences/{token}/", {"name": "Mallory"}).status_code == 400
        assert client.get(f"/newsletter/preferences/{token}/data/").status_code in (400, 404)
        client.post(f"/newsletter/preferences/{token}/erase/")
        client.post(f"/newsletter/data/{token}/erase/")
    reader.refresh_from_db()
    assert reader.name == "Ada" and reader.status == Subscriber.Status.ACTIVE

    assert Client(enforce_csrf_checks=True).post(local(https_url), {"List-Unsubscribe": "One-Click"}).status_code == 200
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.UNSUBSCRIBED


def test_the_preference_link_cannot_export_or_erase(client, digest, reader):
    preferences_url = re.search(r"(https?://\S+/newsletter/preferences/\S+/)", parts(digest)["text/plain"]).group(1)
    path = local(preferences_url)
    page = client.get(path)
    assert page.status_code == 200 and b"Download everything" not in page.content

    export = client.get(path + "data/")
    assert export.get("Content-Type") != "application/json" and b"reader@example.org" not in export.content
    assert export.status_code == 410 and b"Email me a link to my data" in export.content, "a clear page, not a 404"
    client.post(path + "erase/")
    assert Subscriber.objects.filter(pk=reader.pk).exists()


def test_export_and_erase_need_a_fresh_link_emailed_from_the_preference_centre(
    client, reader, smtp_inbox, home_page, monkeypatch
):
    path = local(subscriber_links(reader)["preferences_url"])
    asked = client.post(path + "data-link/")
    assert asked.status_code == 200 and b"Check your email" in asked.content
    [message] = messages_of(smtp_inbox)
    assert message["X-RcptTo"] == "reader@example.org"
    data_path = re.search(r"https?://[^/\s]+(/newsletter/data/\S+/)", parts(message)["text/plain"]).group(1)

    page = client.get(data_path)
    assert page.status_code == 200 and page["Cache-Control"] == "private, no-store"
    export = client.get(data_path + "download/")
    assert export["Content-Type"] == "application/json"
    assert json.loads(export.content)["email"] == "reader@example.org"

    real_time = time.time
    monkeypatch.setattr(signing.time, "time", lambda: real_time() + 2 * 60 * 60)
    assert client.get(data_path + "download/").status_code == 400, "a data link is short-lived"
    assert client.post(data_path + "erase/").status_code == 400
    monkeypatch.setattr(signing.time, "time", real_time)

    assert client.post(data_path + "erase/").status_code == 200
    assert not Subscriber.objects.exists()


def test_a_preference_link_from_an_old_email_still_opens_the_preference_centre(client, reader, home_page):
    old_token = token_make(reader, purpose="preferences")
    page = client.get(f"/newsletter/preferences/{old_token}/")
    assert page.status_code == 200 and b"reader@example.org" in page.content
    assert client.post(f"/newsletter/unsubscribe/{old_token}/").status_code == 200, "old unsubscribe links still work"
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.UNSUBSCRIBED
