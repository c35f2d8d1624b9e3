"""Delivery over several SMTP connections per worker (`NEWSLETTER_SMTP_CONNECTIONS`): rounds
of one message on each connection at once, every subscriber still getting exactly one, a
refused recipient or a dropped connection in a round touching only its own message, and
other backends sending one message at a time."""

from collections import Counter

import pytest
from aiosmtpd.controller import Controller
from django.core import mail

from newsletter.messages import SMTP_BACKEND
from newsletter.models import Delivery, Subscriber
from newsletter.services import delivery
from newsletter.services.delivery import issue_deliver
from newsletter.services.issues import issue_approve, issue_build
from tests.conftest import Inbox, free_port

pytestmark = pytest.mark.django_db


class Sessions(Inbox):
    """Notes the SMTP session that carried each message; refuses the `refused` recipients
    (550 at RCPT TO) and answers 421 to every message after the `limit`-th."""

    def __init__(self, *, refused=(), limit=None):
        super().__init__()
        self.refused = set(refused)
        self.limit = limit
        self.peers = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.limit is not None and len(self.messages) >= self.limit:
            return "421 Service not available, closing transmission channel"
        self.peers.append(session.peer)
        return await super().handle_DATA(server, session, envelope)

    def recipients(self):
        return [message["X-RcptTo"] for message in self.messages]


@pytest.fixture
def issue(week, subscribers, settings):
    """An approved issue for 40 active subscribers, four SMTP connections per worker."""
    for number in range(5, 40):
        Subscriber.objects.create(email=f"reader{number}@example.org", status=Subscriber.Status.ACTIVE)
    settings.NEWSLETTER_SMTP_CONNECTIONS = 4
    built = issue_build(since=week)
    issue_approve(issue=built)
    return built


@pytest.fixture
def sink(settings):
    """Starts an SMTP server on loopback with the given handler, for the site's email."""
    controllers = []

    def start(handler):
        controller = Controller(handler, hostname="127.0.0.1", port=free_port())
        controller.start()
        controllers.append(controller)
        settings.EMAIL_BACKEND = SMTP_BACKEND
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        return handler

    yield start
    for controller in controllers:
        controller.stop()


def test_a_worker_sends_one_message_per_round_on_each_of_its_connections(issue, sink):
    inbox = sink(Sessions())
    assert issue_deliver(issue=issue)["sent"] == 40
    assert sorted(Counter(inbox.peers).values()) == [10, 10, 10, 10], "four sessions, ten rounds"
    recipients = inbox.recipients()
    assert len(recipients) == 40 and len(set(recipients)) == 40
    assert set(Delivery.objects.values_list("state", flat=True)) == {Delivery.State.SENT}


def test_a_recipient_refused_in_a_round_fails_that_message_alone(issue, sink):
    inbox = sink(Sessions(refused={"reader2@example.org"}))
    result = issue_deliver(issue=issue)
    assert (result["sent"], result["failed"], result["remaining"], result["in_progress"]) == (39, 1, 0, 0)
    refused = Delivery.objects.get(state=Delivery.State.FAILED)
    assert refused.subscriber.email == "reader2@example.org" and "550" in refused.error
    assert Delivery.objects.filter(state=Delivery.State.SENT).count() == 39
    recipients = inbox.recipients()
    assert len(recipients) == 39 and len(set(recipients)) == 39 and "reader2@example.org" not in recipients


def test_a_connection_dropped_mid_round_keeps_the_rounds_accepted_messages_and_the_rest_pending(issue, sink):
    inbox = sink(Sessions(limit=10))  # the third round: two accepted, two answered 421
    first = issue_deliver(issue=issue)
    assert (first["sent"], first["failed"], first["remaining"], first["in_progress"]) == (10, 0, 30, 0)
    accepted = set(inbox.recipients())
    sent = set(Delivery.objects.filter(state=Delivery.State.SENT).values_list("subscriber__email", flat=True))
    assert sent == accepted and len(accepted) == 10

    inbox.limit = None
    assert issue_deliver(issue=issue)["sent"] == 30
    recipients = inbox.recipients()
    assert len(recipients) == 40 and len(set(recipients)) == 40, "nothing sent twice"


def test_other_backends_send_one_message_at_a_time_over_one_connection(issue, settings, monkeypatch):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    opened = []
    get_connection = delivery.get_connection
    monkeypatch.setattr(delivery, "get_connection", lambda: opened.append(1) or get_connection())
    assert issue_deliver(issue=issue, batch_size=10)["sent"] == 40
    assert len(opened) == 4, "one connection per batch of ten"
    assert len({message.to[0] for message in mail.outbox}) == 40
