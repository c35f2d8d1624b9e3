"""The ledger records a round's messages `sent` in the same commit as the next round's
`sending` (one commit per round of one message per SMTP connection): whatever stops a
batch, no message the server accepted is left pending or claimed, and at most the round
in flight is `sending`."""

import os
import signal

import pytest

from newsletter.messages import DigestMessages
from newsletter.models import Delivery, NewsletterIssue
from newsletter.services.delivery import issue_deliver
from newsletter.services.issues import issue_approve, issue_build
from tests.conftest import Inbox
from tests.newsletter.test_delivery_crashes import issue, sender, smtp  # noqa: F401 (the fixture)


def states_of(recipients):
    return set(Delivery.objects.filter(subscriber__email__in=recipients).values_list("state", flat=True))


@pytest.mark.django_db
def test_an_error_mid_batch_leaves_every_accepted_message_sent_and_nothing_else(
    week, subscribers, smtp_inbox, monkeypatch, settings
):
    settings.NEWSLETTER_SMTP_CONNECTIONS = 4  # rounds of four
    built = issue_build(since=week)
    issue_approve(issue=built)
    copy = DigestMessages.copy
    calls = []

    def copy_then_fail(self, subscriber, **kwargs):
        calls.append(subscriber)
        if len(calls) == 5:  # the first of the second round of four
            raise RuntimeError("a bug in rendering")
        return copy(self, subscriber, **kwargs)

    monkeypatch.setattr(DigestMessages, "copy", copy_then_fail)
    with pytest.raises(RuntimeError):
        issue_deliver(issue=built)
    received = [message["X-RcptTo"] for message in smtp_inbox.messages]
    assert len(received) == 4
    assert states_of(received) == {Delivery.State.SENT}, "the last round too, written when the batch stopped"
    assert Delivery.objects.filter(state=Delivery.State.SENT).count() == 4
    assert not Delivery.objects.filter(state=Delivery.State.SENDING).exists()

    monkeypatch.setattr(DigestMessages, "copy", copy)
    Delivery.objects.filter(state=Delivery.State.CLAIMED).update(state=Delivery.State.PENDING)  # as a lease ending
    assert issue_deliver(issue=built)["sent"] == 1
    recipients = [message["X-RcptTo"] for message in smtp_inbox.messages]
    assert len(recipients) == 5 and len(set(recipients)) == 5


class KillBeforeNext(Inbox):
    """Lets `limit` messages start (a multiple of the sender's connections); kills the
    sender when it starts the next one (its MAIL FROM): the next round, which goes only
    after every answer of the last one reached the sender, and before its data."""

    def __init__(self, limit):
        super().__init__()
        self.limit = limit
        self.started = 0
        self.process = None

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.limit is not None and self.started >= self.limit:
            os.kill(self.process.pid, signal.SIGKILL)
            return "451 Try again later"
        self.started += 1
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("connections", [1, 4])
def test_a_sender_killed_between_two_rounds_has_recorded_the_accepted_ones(issue, connections):  # noqa: F811
    inbox = KillBeforeNext(limit=12)
    controller = smtp(inbox)
    try:
        inbox.process = sender(issue, controller.port, connections=connections)
        inbox.process.wait(timeout=120)
        assert inbox.process.returncode == -signal.SIGKILL
        received = [message["X-RcptTo"] for message in inbox.messages]
        assert len(received) == 12
        assert states_of(received) == {Delivery.State.SENT}
        assert Delivery.objects.filter(state=Delivery.State.SENT).count() == 12
        sending = Delivery.objects.filter(state=Delivery.State.SENDING).count()
        assert sending == connections, "the next round, never handed over"

        inbox.limit = None
        rerun = sender(issue, controller.port, "--lease", "0", connections=connections)
        out, err = rerun.communicate(timeout=120)
        assert rerun.returncode == 0, err
        assert "48 sent, 0 failed, 0 remaining, 0 in progress" in out
    finally:
        controller.stop()
    recipients = [message["X-RcptTo"] for message in inbox.messages]
    assert len(recipients) == 60 and len(set(recipients)) == 60, "no duplicate: the round in flight had no data yet"
    issue.refresh_from_db()
    assert issue.status == NewsletterIssue.Status.SENT
