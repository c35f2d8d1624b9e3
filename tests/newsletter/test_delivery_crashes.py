"""`send_newsletter` as real processes on PostgreSQL: killed mid-batch then run again, and
two at once on the same issue; every active subscriber gets the issue, counted at a real
SMTP server on loopback: exactly once, but for the messages of the round in flight when a
sender is killed (at most one per connection, whose fate the ledger cannot know)."""

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.db import connection
from django.utils import timezone

from newsletter.models import Delivery, IssueItem, NewsletterIssue, Subscriber
from tests.conftest import Inbox, free_port, service_unavailable

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]


class KillSender(Inbox):
    """Accepts `limit` messages; on the next one kills the sending process before answering."""

    def __init__(self, limit):
        super().__init__()
        self.limit = limit
        self.process = None

    async def handle_DATA(self, server, session, envelope):
        if self.limit is not None and len(self.messages) >= self.limit:
            os.kill(self.process.pid, signal.SIGKILL)
            return "451 Try again later"
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def issue():
    if connection.vendor != "postgresql":
        service_unavailable("the crash tests need PostgreSQL (DATABASE_URL)")
    for number in range(60):
        Subscriber.objects.create(email=f"reader{number:02d}@example.org", status=Subscriber.Status.ACTIVE)
    issue = NewsletterIssue.objects.create(
        subject="Weekly digest",
        period_start=timezone.now(),
        period_end=timezone.now(),
        status=NewsletterIssue.Status.APPROVED,
        send_at=timezone.now(),
    )
    IssueItem.objects.create(issue=issue, section="posts", title="A post", url="http://localhost/blog/a-post/")
    return issue


def sender(issue, smtp_port, *extra, connections=1):
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "website.settings.dev",
        "DEBUG": "0",
        "SECRET_KEY": "crash-test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "BASE_URL": "http://localhost",
        "LOG_LEVEL": "WARNING",
        "NEWSLETTER_SMTP_CONNECTIONS": str(connections),
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", "send_newsletter", "--issue", str(issue.pk), *extra],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def smtp(handler):
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    return controller


def sending_recipients():
    return set(Delivery.objects.filter(state=Delivery.State.SENDING).values_list("subscriber__email", flat=True))


@pytest.mark.parametrize("connections", [1, 4])
def test_a_sender_killed_mid_batch_then_run_again_delivers_exactly_once_but_for_the_round_in_flight(issue, connections):
    inbox = KillSender(limit=23)
    controller = smtp(inbox)
    try:
        inbox.process = sender(issue, controller.port, connections=connections)
        inbox.process.wait(timeout=120)
        assert inbox.process.returncode == -signal.SIGKILL
        assert len(inbox.messages) == 23
        recorded = 23 - 23 % connections  # the rounds before the one in flight
        assert Delivery.objects.filter(state=Delivery.State.SENT).count() == recorded
        in_flight = sending_recipients()
        assert len(in_flight) == connections, "the round in flight, and nothing else, has an unknown fate"

        inbox.limit = None
        rerun = sender(issue, controller.port, "--lease", "0", connections=connections)
        out, err = rerun.communicate(timeout=120)
        assert rerun.returncode == 0, err
        assert f"{60 - recorded} sent, 0 failed, 0 remaining, 0 in progress" in out
    finally:
        controller.stop()
    recipients = [message["X-RcptTo"] for message in inbox.messages]
    assert set(recipients) == set(Subscriber.objects.values_list("email", flat=True))
    twice = {recipient for recipient in recipients if recipients.count(recipient) > 1}
    assert twice <= in_flight and len(twice) == 23 - recorded < connections, "sent again: only what was in flight"
    assert len(recipients) == 60 + len(twice)
    issue.refresh_from_db()
    assert issue.status == NewsletterIssue.Status.SENT


class BothSenders(Inbox):
    """Holds every message until the second sender's SMTP sessions have sent one too (more
    sessions than one sender opens, or a minute has passed), so the two senders really
    overlap however slowly one of them starts."""

    def __init__(self, connections):
        super().__init__()
        self.connections = connections
        self.peers = set()
        self.both = asyncio.Event()

    async def handle_DATA(self, server, session, envelope):
        self.peers.add(session.peer)
        if len(self.peers) > self.connections:
            self.both.set()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.both.wait(), timeout=60)
        return await super().handle_DATA(server, session, envelope)


def test_two_senders_on_the_same_issue_never_send_twice(issue):
    inbox = BothSenders(connections=4)
    controller = smtp(inbox)
    try:
        workers = [sender(issue, controller.port, "--batch-size", "5", connections=4) for _ in range(2)]
        outputs = [worker.communicate(timeout=120) for worker in workers]
    finally:
        controller.stop()
    assert [worker.returncode for worker in workers] == [0, 0], outputs
    recipients = [message["X-RcptTo"] for message in inbox.messages]
    assert len(recipients) == 60 and len(set(recipients)) == 60
    assert Delivery.objects.filter(state=Delivery.State.SENT).count() == 60
    sent_by = [int(out.split(" sent")[0].rsplit(" ", 1)[-1]) for out, _ in outputs]
    assert sum(sent_by) == 60 and min(sent_by) > 0, f"both workers took a share: {sent_by}"
