import os
import socket

import environ
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message

from tests.factories import home_page_as_site_root

# The test command (scripts/test.sh) starts every service and sets this, so a service
# that cannot be reached fails the run instead of skipping its tests.
SERVICES_REQUIRED = os.environ.get("TEST_REQUIRE_SERVICES") == "1"


def service_unavailable(reason):
    """Skip on a developer's fast path, fail under the test command."""
    if SERVICES_REQUIRED:
        pytest.fail(f"{reason} (the test command must provide it)")
    pytest.skip(reason)


@pytest.fixture
def home_page(db):
    return home_page_as_site_root()


@pytest.fixture(autouse=True)
def empty_cache():
    """Rate-limit counters and cached lookups never leak from one test into the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded and generated files go to a temporary folder, never to var/."""
    settings.MEDIA_ROOT = tmp_path / "media"


class Inbox(Message):
    """What a real SMTP server on loopback received."""

    def __init__(self):
        super().__init__()
        self.messages = []

    def handle_message(self, message):
        self.messages.append(message)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


@pytest.fixture
def smtp_inbox(settings, smtp_server):
    """The site's email goes to the loopback SMTP server (as EMAIL_URL=smtp://... would send it)."""
    controller, inbox = smtp_server
    for name, value in environ.Env.email_url_config(f"smtp://127.0.0.1:{controller.port}").items():
        setattr(settings, name, value)
    return inbox
