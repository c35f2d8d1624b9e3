"""Sign-up limits that one client cannot turn against everyone: behind the TLS proxy the
limit keys on the client's own address, and each target mailbox has its own limit
whatever plus-address or case it is written in."""

import pytest
from django.test import Client, RequestFactory

from newsletter.services.subscribers import SIGNUPS_PER_ADDRESS_PER_HOUR, SIGNUPS_PER_CLIENT_PER_HOUR

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.5"


def sign_up(client, capture, email, **headers):
    with capture(execute=True):
        return client.post("/newsletter/subscribe/", {"from": "/", "email": email}, **headers)


def test_behind_a_trusted_proxy_one_client_uses_up_only_its_own_sign_ups(
    settings, smtp_inbox, django_capture_on_commit_callbacks, home_page
):
    settings.TRUSTED_PROXY_COUNT = 1
    proxied = Client(REMOTE_ADDR=PROXY)
    noisy = [
        sign_up(proxied, django_capture_on_commit_callbacks, f"r{n}@example.org", HTTP_X_FORWARDED_FOR="203.0.113.9")
        for n in range(SIGNUPS_PER_CLIENT_PER_HOUR + 1)
    ]
    assert [response.status_code for response in noisy][-2:] == [302, 429]

    forged = sign_up(
        proxied,
        django_capture_on_commit_callbacks,
        "forged@example.org",
        HTTP_X_FORWARDED_FOR="198.51.100.77, 203.0.113.9",
    )
    assert forged.status_code == 429, "a made-up left-most X-Forwarded-For address changes nothing"

    someone_else = sign_up(
        proxied, django_capture_on_commit_callbacks, "neighbour@example.org", HTTP_X_FORWARDED_FOR="198.51.100.4"
    )
    assert someone_else.status_code == 302


@pytest.mark.parametrize(
    ("proxy_settings", "remote", "forwarded", "expected"),
    [
        ({}, PROXY, "203.0.113.9", PROXY),
        ({"TRUSTED_PROXY_COUNT": 1}, PROXY, "198.51.100.77, 203.0.113.9", "203.0.113.9"),
        ({"TRUSTED_PROXY_COUNT": 2}, PROXY, "198.51.100.77, 203.0.113.9, 10.0.0.6", "203.0.113.9"),
        ({"TRUSTED_PROXY_COUNT": 1}, PROXY, "", PROXY),
        ({"TRUSTED_PROXIES": ["10.0.0.0/8"]}, PROXY, "198.51.100.77, 203.0.113.9, 10.0.0.6", "203.0.113.9"),
        ({"TRUSTED_PROXIES": ["10.0.0.0/8"]}, "192.0.2.1", "203.0.113.9", "192.0.2.1"),
        ({"TRUSTED_PROXIES": ["10.0.0.0/8"]}, PROXY, "not-an-address, 10.0.0.6", "not-an-address"),
    ],
)
def test_the_client_address_is_the_right_most_untrusted_one(settings, proxy_settings, remote, forwarded, expected):
    from website.client_address import client_address

    settings.TRUSTED_PROXY_COUNT, settings.TRUSTED_PROXIES = 0, []
    for name, value in proxy_settings.items():
        setattr(settings, name, value)
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def test_plus_address_variants_of_one_mailbox_share_its_limit(
    client, smtp_inbox, django_capture_on_commit_callbacks, home_page
):
    variants = ["ada+1@example.org", "Ada+news@Example.org", "ADA@example.org", "ada+x@example.org", "ada@example.org"]
    for address in variants:
        sign_up(client, django_capture_on_commit_callbacks, address)
    assert len(smtp_inbox.messages) == SIGNUPS_PER_ADDRESS_PER_HOUR

    sign_up(client, django_capture_on_commit_callbacks, "grace+news@example.org")
    assert len(smtp_inbox.messages) == SIGNUPS_PER_ADDRESS_PER_HOUR + 1, "another mailbox has its own limit"
