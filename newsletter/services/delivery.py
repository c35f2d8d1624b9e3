"""Delivery: the ledger, batched sending by any number of workers (each over several SMTP
connections at once), test sends."""

import contextlib
import datetime
import itertools
import logging
import smtplib
from concurrent.futures import ThreadPoolExecutor

from django import db
from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from wagtail.log_actions import log

from ..messages import SMTP_BACKEND, DigestMessages
from ..models import Delivery, NewsletterIssue, Subscriber
from ..rendering import IssueRenderer, stand_in

logger = logging.getLogger(__name__)

BATCH_SIZE = 200
MAX_ATTEMPTS = 5
LEASE = datetime.timedelta(minutes=10)


def deliveries_enqueue(*, issue):
    """A ledger row for every active, unpaused subscriber who has none for this issue."""
    today = timezone.localdate()
    recipients = (
        Subscriber.objects.filter(status=Subscriber.Status.ACTIVE)
        .exclude(paused_until__gt=today)
        .exclude(deliveries__issue=issue)
        .values_list("pk", flat=True)
    )
    rows = [Delivery(issue=issue, subscriber_id=pk) for pk in recipients.iterator()]
    Delivery.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    return len(rows)


def _claim(issue, *, lease, batch_size):
    """Reserve a batch for this worker; rows another worker holds are skipped, rows whose
    lease ran out (their worker died) are taken over first, then pending ones in order.

    Two queries, each reading only its own states' entries of the (issue, state, id) index:
    with both in one OR, a claim read past every row already sent (on PostgreSQL every
    earlier issue's too) or sorted every pending one, so claims slowed as an issue went out."""
    stale = timezone.now() - lease
    unfinished = Delivery.objects.select_for_update(skip_locked=True).filter(issue=issue)
    with transaction.atomic():
        rows = list(
            unfinished.filter(
                state__in=[Delivery.State.CLAIMED, Delivery.State.SENDING], claimed_at__lte=stale
            ).values_list("pk", flat=True)[:batch_size]
        )
        if len(rows) < batch_size:
            rows += (
                unfinished.filter(state=Delivery.State.PENDING)
                .order_by("pk")
                .values_list("pk", flat=True)[: batch_size - len(rows)]
            )
        Delivery.objects.filter(pk__in=rows).update(state=Delivery.State.CLAIMED, claimed_at=timezone.now())
    return rows


def issue_deliver(*, issue, lease=LEASE, batch_size=BATCH_SIZE, max_batches=None, on_progress=None):
    """Send `issue` to every active subscriber exactly once, resumably: run it again after
    any crash, on any number of workers (`max_batches`: stop after that many batches, as one
    task of many does). Returns {"sent", "failed", "remaining" (pending), "in_progress"
    (held by other workers), "compiles"}.

    Messages go in rounds, one on each of the worker's connections at once: over SMTP
    `NEWSLETTER_SMTP_CONNECTIONS` sessions (one connection waits for the server's four
    answers per message, and our work between two messages adds to that), through any
    other backend one message at a time. A round's deliveries are marked `sending` just
    before their messages are handed to the server, and each is marked `sent` once the
    server accepted it, in the same commit as the next round's `sending` (or at the end of
    the batch): one commit per round, and a crash leaves at most one round per worker
    (`NEWSLETTER_SMTP_CONNECTIONS` messages) whose fate is unknown (`sending`), sent again
    once its lease ends.
    """
    deliveries_enqueue(issue=issue)
    renderer = IssueRenderer(issue)
    smtp = settings.EMAIL_BACKEND == SMTP_BACKEND
    digest = DigestMessages(renderer, prebuilt=smtp)
    width = max(1, settings.NEWSLETTER_SMTP_CONNECTIONS) if smtp else 1
    totals = {"sent": 0, "failed": 0}
    batches = 0
    with ThreadPoolExecutor(max_workers=max(1, width - 1), thread_name_prefix="newsletter-smtp") as pool:
        while (max_batches is None or batches < max_batches) and (
            rows := _claim(issue, lease=lease, batch_size=batch_size)
        ):
            batches += 1
            if not _batch_deliver(rows, digest=digest, width=width, pool=pool, totals=totals, on_progress=on_progress):
                break
    remaining = issue.deliveries.filter(state=Delivery.State.PENDING).count()
    in_progress = issue.deliveries.filter(state__in=[Delivery.State.CLAIMED, Delivery.State.SENDING]).count()
    if not remaining and not in_progress:
        NewsletterIssue.objects.filter(pk=issue.pk).update(status=NewsletterIssue.Status.SENT, sent_at=timezone.now())
    logger.info("newsletter delivery", extra={"issue": issue.pk, **totals, "remaining": remaining})
    if totals["sent"] or totals["failed"]:  # the admin's history of the issue shows every run that sent
        log(issue, "newsletter.deliver", data={**totals, "remaining": remaining})
    return {**totals, "remaining": remaining, "in_progress": in_progress, "compiles": renderer.compiles}


def _batch_deliver(rows, *, digest, width, pool, totals, on_progress):
    """Send one claimed batch in rounds of `width` messages, one per connection. A
    recipient refused for good (5xx) fails that message alone; a temporary answer or a
    lost connection puts its message back, and once the round's other answers are
    recorded returns False: the run stops, the rest of the batch back to pending."""
    connections = [get_connection() for _ in range(width)]
    ledger = _Ledger()
    try:
        try:
            for connection in connections:  # SMTP sessions for the batch (send() alone opens one per message)
                connection.open()
        except (smtplib.SMTPException, OSError) as error:
            raise _ConnectionLost(error) from error
        deliveries = iter(
            Delivery.objects.filter(pk__in=rows)
            .select_related("subscriber")
            .annotate(
                series_count=Count("subscriber__series", distinct=True),
                outcome_count=Count("subscriber__outcomes", distinct=True),
            )
            .order_by("pk")
        )
        while round_ := list(itertools.islice(deliveries, width)):
            copies = []
            for delivery in round_:
                subscriber = delivery.subscriber
                subscriber.follows_series = delivery.series_count > 0
                subscriber.follows_outcomes = delivery.outcome_count > 0
                copies.append(digest.copy(subscriber))
            ledger.sending([delivery.pk for delivery in round_])
            outcomes = _round_send(copies, connections, pool, from_email=digest.from_email)
            lost = bug = None
            for delivery, outcome in zip(round_, outcomes, strict=True):
                if isinstance(outcome, (smtplib.SMTPException, OSError)):
                    failed = delivery.attempts + 1 >= MAX_ATTEMPTS or _permanent(outcome)
                    Delivery.objects.filter(pk=delivery.pk).update(
                        state=Delivery.State.FAILED if failed else Delivery.State.PENDING, error=str(outcome)[:1000]
                    )
                    totals["failed"] += failed
                    lost = lost or (None if failed else outcome)
                elif isinstance(outcome, Exception):
                    bug = bug or outcome
                else:
                    ledger.sent(delivery.pk, message_id=outcome)
                    totals["sent"] += 1
                    if on_progress:
                        on_progress(totals["sent"])
            if bug:  # after the round's accepted messages are in the ledger
                raise bug
            if lost:
                raise _ConnectionLost(lost) from lost
    except _ConnectionLost as lost:
        logger.warning("newsletter delivery: mail server connection lost, stopping this run: %s", lost)
        Delivery.objects.filter(pk__in=rows, state=Delivery.State.CLAIMED).update(state=Delivery.State.PENDING)
        return False
    finally:
        ledger.flush()  # what the server accepted, whatever stopped the batch
        for connection in connections:
            connection.close()
    return True


def _round_send(copies, connections, pool, *, from_email):
    """Each copy over its own connection, all at once (threads: waiting on a socket
    releases the GIL), the first in this thread; the Message-ID each copy went with, or
    the exception it raised."""
    others = [
        pool.submit(_outcome, copy, connection, from_email=from_email)
        for copy, connection in zip(copies[1:], connections[1:], strict=False)
    ]
    return [_outcome(copies[0], connections[0], from_email=from_email), *(future.result() for future in others)]


def _outcome(copy, connection, *, from_email):
    try:
        return _send(copy, connection, from_email=from_email)
    except Exception as error:  # handed back to the round, which records the others first
        return error


def _send(copy, connection, *, from_email):
    """Hand one copy to the backend; returns the Message-ID to record (a provider's own id
    under Anymail, when it gives one)."""
    if copy.smtp_bytes is not None:  # what Django's SMTP backend does with a message's bytes
        smtp_sendmail(connection.connection, from_email, copy.recipient, copy.smtp_bytes)
        return copy.message_id
    copy.message.connection = connection
    copy.message.send()
    status = getattr(copy.message, "anymail_status", None)
    return copy.message_id if status is None or status.message_id is None else str(status.message_id)


def smtp_sendmail(smtp, sender, recipient, message):
    """`smtp.sendmail(sender, [recipient], message)` for a message in bytes, the same
    commands, bytes and errors, but for how it doubles the period that starts a line:
    smtplib runs a regular expression over the whole message (a quarter of delivery's CPU
    time), bytes.replace does the same in a tenth of it."""
    smtp.ehlo_or_helo_if_needed()
    options = [f"size={len(message)}"] if smtp.does_esmtp and smtp.has_extn("size") else []
    code, answer = smtp.mail(sender, options)
    if code != 250:
        _smtp_give_up(smtp, code)
        raise smtplib.SMTPSenderRefused(code, answer, sender)
    code, answer = smtp.rcpt(recipient)
    if code not in (250, 251):
        _smtp_give_up(smtp, code)
        raise smtplib.SMTPRecipientsRefused({recipient: (code, answer)})
    smtp.putcmd("data")
    code, answer = smtp.getreply()
    if code != 354:
        raise smtplib.SMTPDataError(code, answer)
    stuffed = (b"." if message.startswith(b".") else b"") + message.replace(b"\n.", b"\n..")
    smtp.send(stuffed + (b"" if stuffed.endswith(b"\r\n") else b"\r\n") + b".\r\n")
    code, answer = smtp.getreply()
    if code != 250:
        _smtp_give_up(smtp, code)
        raise smtplib.SMTPDataError(code, answer)


def _smtp_give_up(smtp, code):
    """As sendmail does after a refusal: a 421 ends the session, anything else resets it."""
    if code == 421:
        smtp.close()
    else:
        with contextlib.suppress(smtplib.SMTPServerDisconnected):
            smtp.rset()


class _Ledger:
    """One batch's ledger writes in raw SQL, one statement per round for each state (the
    ORM's two UPDATEs per message were a quarter of the time, and one statement per
    message still a fifth): a round's `sent` waits for the next round's `sending` and goes
    in the same transaction, so each round costs one commit and no message is ever
    recorded later than the next round is handed over."""

    def __init__(self):
        self._table = db.connection.ops.quote_name(Delivery._meta.db_table)
        self._accepted = []  # (pk, sent_at, message_id)

    def sent(self, pk, *, message_id):
        self._accepted.append((pk, db.connection.ops.adapt_datetimefield_value(timezone.now()), message_id))

    def sending(self, pks):
        with transaction.atomic(), db.connection.cursor() as cursor, _pipeline(db.connection):
            self._write_accepted(cursor)
            cursor.execute(
                f"UPDATE {self._table} SET state = %s, attempts = attempts + 1 WHERE id IN ({_marks(len(pks))})",
                [Delivery.State.SENDING.value, *pks],
            )

    def flush(self):
        if self._accepted:
            with transaction.atomic(), db.connection.cursor() as cursor:
                self._write_accepted(cursor)

    def _write_accepted(self, cursor):
        if not self._accepted:
            return
        pks, times, message_ids = zip(*self._accepted, strict=True)
        cases = " ".join(["WHEN %s THEN %s"] * len(pks))
        cursor.execute(
            f"UPDATE {self._table} SET state = %s, error = '', sent_at = CASE id {cases} END, "
            f"message_id = CASE id {cases} END WHERE id IN ({_marks(len(pks))})",
            [
                Delivery.State.SENT.value,
                *itertools.chain(*zip(pks, times, strict=True)),
                *itertools.chain(*zip(pks, message_ids, strict=True)),
                *pks,
            ],
        )
        self._accepted = []


def _marks(count):
    return ", ".join(["%s"] * count)


def _pipeline(connection):
    """On PostgreSQL, a round's two statements go to the server together with its commit
    (psycopg's pipeline mode: one wait for all instead of one each)."""
    if connection.vendor == "postgresql":
        return connection.connection.pipeline()
    return contextlib.nullcontext()


class _ConnectionLost(Exception):
    pass


def _permanent(error):
    """5xx answers about the recipient: no point trying again."""
    return isinstance(error, smtplib.SMTPRecipientsRefused) or (
        isinstance(error, smtplib.SMTPResponseException) and 500 <= error.smtp_code < 600
    )


def issue_test_send(*, issue, email, name=""):
    """A copy for staff to check, personalised as for a subscriber with no interests."""
    message = DigestMessages(IssueRenderer(issue), prebuilt=False).copy(stand_in(email=email, name=name)).message
    message.subject = f"[Test] {issue.subject}"
    message.send()
