"""Delivery hands each message to the SMTP server itself (`smtp_sendmail`, without
smtplib's regular expression over the whole message): a real server must receive what
smtplib's `sendmail` sends, and refuse it the same way, whatever the message holds."""

import smtplib

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from newsletter.services.delivery import smtp_sendmail
from tests.conftest import smtp_serving


class Refusing:
    """Keeps what it receives; refuses by address: a sender at MAIL FROM, recipients at
    RCPT TO or after the data, with a 5xx or a 421 (the server going away)."""

    def __init__(self):
        self.received = []

    async def handle_MAIL(self, server, session, envelope, address, options):
        if address.startswith("refused-sender"):
            return "550 5.7.1 Not from you"
        envelope.mail_from = address
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, options):
        if address.startswith("refused"):
            return "550 5.1.1 No such mailbox here"
        if address.startswith("gone-at-rcpt"):
            return "421 Going away"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if envelope.rcpt_tos[0].startswith("gone-at-data"):
            return "421 Going away"
        if envelope.rcpt_tos[0].startswith("spam"):
            return "554 5.7.1 Looks like spam"
        self.received.append((envelope.mail_from, envelope.rcpt_tos, envelope.original_content))
        return "250 OK"


@pytest.fixture(scope="module")
def server():
    handler = Refusing()
    with smtp_serving(handler) as controller:
        yield controller, handler


def outcome(server, send):
    """What the server kept and how the client ended: its exception and whether the
    session is still open for the next message."""
    controller, handler = server
    handler.received.clear()
    smtp = smtplib.SMTP(controller.hostname, controller.port)
    try:
        send(smtp)
        error = None
    except smtplib.SMTPException as raised:
        error = (type(raised), raised.args)
    still_open = smtp.sock is not None and smtp.noop()[0] == 250
    smtp.close()
    return handler.received[:], error, still_open


LINES = st.lists(st.sampled_from([b"", b".", b"..", b".x", b"x.", b"a line", b"\r", b"\n", b". ."]), max_size=12)
ADDRESSES = st.sampled_from(
    [
        ("news@example.org", "reader@example.org"),
        ("refused-sender@example.org", "reader@example.org"),
        ("news@example.org", "refused@example.org"),
        ("news@example.org", "gone-at-rcpt@example.org"),
        ("news@example.org", "gone-at-data@example.org"),
        ("news@example.org", "spam@example.org"),
    ]
)


@hypothesis_settings(max_examples=60)
@given(lines=LINES, crlf_at_the_end=st.booleans(), addresses=ADDRESSES)
def test_the_server_gets_what_smtplib_sends_and_refuses_it_the_same_way(server, lines, crlf_at_the_end, addresses):
    sender, recipient = addresses
    message = b"\r\n".join(lines) + (b"\r\n" if crlf_at_the_end else b"")
    theirs = outcome(server, lambda smtp: smtp.sendmail(sender, [recipient], message))
    ours = outcome(server, lambda smtp: smtp_sendmail(smtp, sender, recipient, message))
    assert ours == theirs


def test_a_line_starting_with_a_period_arrives_whole(server):
    message = b"Subject: dots\r\n\r\n.mj-outlook-group-fix { width:100% !important; }\r\n..\r\n.\r\nend"
    received, error, _ = outcome(server, lambda smtp: smtp_sendmail(smtp, "a@example.org", "b@example.org", message))
    assert error is None and received == [("a@example.org", ["b@example.org"], message + b"\r\n")]
