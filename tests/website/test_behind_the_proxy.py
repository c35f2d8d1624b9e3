"""Behind scripts/serve.sh's nginx every request comes from 127.0.0.1: the visitor's own
address, which the proxy appends to X-Forwarded-For, is what the per-client sign-up limit counts."""

import pytest
from django.test import Client

from newsletter.services.subscribers import SIGNUPS_PER_CLIENT_PER_HOUR

pytestmark = pytest.mark.django_db


def signups(client, *, real_ips):
    return [
        client.post(
            "/newsletter/subscribe/", {"email": f"reader{number}@example.org"}, HTTP_X_FORWARDED_FOR=real_ip
        ).status_code
        for number, real_ip in enumerate(real_ips)
    ]


def test_visitors_behind_a_trusted_proxy_each_get_their_own_limit(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    visitors = [f"203.0.113.{number}" for number in range(SIGNUPS_PER_CLIENT_PER_HOUR + 5)]
    assert set(signups(Client(REMOTE_ADDR="127.0.0.1"), real_ips=visitors)) == {302}


def test_x_forwarded_for_from_anyone_else_is_ignored(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    spoofed = [f"203.0.113.{number}" for number in range(SIGNUPS_PER_CLIENT_PER_HOUR + 1)]
    answers = signups(Client(REMOTE_ADDR="198.51.100.7"), real_ips=spoofed)
    assert answers[:-1] == [302] * SIGNUPS_PER_CLIENT_PER_HOUR and answers[-1] == 429
