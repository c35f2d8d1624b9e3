"""Newsletter delivery benchmark: one issue to 100,000 subscribers through a local SMTP sink.

Prints messages per second end to end (ledger claims, personalisation, MIME, SMTP to an
aiosmtpd sink in its own process, ledger writes), and for the render + personalise step
alone, against the naive baseline of one MJML compile per subscriber (measured on a
sample, because 100,000 compiles would take hours). End to end runs twice in the same run,
on two issues: over one SMTP connection per worker (NEWSLETTER_SMTP_CONNECTIONS=1) and
over the setting's number of connections.

    scripts/bench.sh newsletter
    BENCH_SUBSCRIBERS=10000 scripts/bench.sh newsletter
"""

import hashlib
import os
import smtplib
import socket
import subprocess
import sys
import time

from bench import setup_django

SUBSCRIBERS = int(os.environ.get("BENCH_SUBSCRIBERS", "100000"))
NAIVE_SAMPLE = 200
MESSAGE_SAMPLE = 1000  # distinct messages the raw SMTP baseline cycles through
BASELINE_MESSAGES = 10000
PERSONALISE_GOAL = 20000
ITEMS = {"posts": 8, "news": 8, "case_studies": 8}


def subscribers_ensure():
    """SUBSCRIBERS active subscribers, a third of them following an outcome area (so they
    get the other section order)."""
    from django.core.management import call_command
    from django.db import transaction

    from newsletter.models import Subscriber
    from taxonomy.models import Outcome

    call_command("migrate", verbosity=0)
    Subscriber.objects.filter(email__startswith="bench-", email__gte=f"bench-{SUBSCRIBERS:06d}").delete()
    have = Subscriber.objects.filter(email__startswith="bench-").count()
    if have >= SUBSCRIBERS:
        return
    outcome = Outcome.objects.order_by("pk").first()
    relation = Subscriber.outcomes.through
    with transaction.atomic():
        for start in range(have, SUBSCRIBERS, 5000):
            people = Subscriber.objects.bulk_create(
                Subscriber(
                    email=f"bench-{number:06d}@example.org",
                    name=f"Reader {number}" if number % 2 else "",
                    status=Subscriber.Status.ACTIVE,
                    consent_source="benchmark",
                )
                for number in range(start, min(start + 5000, SUBSCRIBERS))
            )
            relation.objects.bulk_create(
                relation(subscriber_id=person.pk, outcome_id=outcome.pk)
                for number, person in enumerate(people, start=start)
                if number % 3 == 0
            )


def issue_make():
    from django.utils import timezone

    from newsletter.models import IssueItem, NewsletterIssue

    now = timezone.now()
    issue = NewsletterIssue(
        subject="Benchmark digest",
        intro="This week across the network.",
        period_start=now,
        period_end=now,
        status=NewsletterIssue.Status.APPROVED,
        send_at=now,
    )
    issue.items = [
        IssueItem(
            section=section,
            title=f"{section} item {number}: what a partnership learned this week",
            url=f"https://network.example.org/{section}/{number}/",
            source="Akron Learns" if section == "news" else "",
            summary="A paragraph about what changed, who was involved and what the data showed. " * 3,
        )
        for section, count in ITEMS.items()
        for number in range(count)
    ]
    issue.save()
    return issue


def sink_start():
    """An aiosmtpd server that accepts and discards, in its own process (not sharing our GIL)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "aiosmtpd", "-n", "-c", "aiosmtpd.handlers.Sink", "-l", f"127.0.0.1:{port}"]
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process, port
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the SMTP sink did not start")


def raw_smtp_rate(port, messages, count):
    """The baseline: `count` of these (sender, recipient, bytes) cycled through one smtplib
    connection, nothing else."""
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        started = time.perf_counter()
        for number in range(count):
            smtp.sendmail(*messages[number % len(messages)])
        return count / (time.perf_counter() - started)


def main():
    setup_django(database="newsletter")
    from django.conf import settings
    from django.core import signing

    from newsletter.messages import DigestMessages
    from newsletter.models import Subscriber
    from newsletter.rendering import DEFAULT_ORDER, IssueRenderer, greeting_for, section_order
    from newsletter.services.delivery import issue_deliver
    from newsletter.tokens import SALTS, SubscriberLinks, subscriber_links

    subscribers_ensure()
    issue = issue_make()
    one_connection_issue = issue_make()
    people = list(
        Subscriber.objects.filter(email__startswith="bench-").order_by("pk").only("pk", "email", "name")[:SUBSCRIBERS]
    )
    following = set(Subscriber.outcomes.through.objects.values_list("subscriber_id", flat=True))
    for person in people:
        person.follows_series, person.follows_outcomes = False, person.pk in following
    database = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(f"{len(people)} subscribers, issue of {issue.items.count()} items, database {database}")

    renderer = IssueRenderer(issue)
    links = SubscriberLinks()
    started = time.perf_counter()
    for person in people:  # what delivery does for each copy before building its message
        renderer.personalise(
            order=section_order(follows_series=False, follows_outcomes=person.follows_outcomes),
            greeting=greeting_for(person.name),
            **links(person),
        )
    personalise_rate = len(people) / (time.perf_counter() - started)

    started = time.perf_counter()
    for person in people:
        links(person)
    links_rate = len(people) / (time.perf_counter() - started)
    started = time.perf_counter()
    for person in people[:BASELINE_MESSAGES]:  # the links' previous form: Django's signed token each
        payload = [person.pk, hashlib.sha256(person.email.lower().encode()).hexdigest()[:16]]
        for purpose in SubscriberLinks.PURPOSES:
            signing.dumps(payload, salt=SALTS[purpose], compress=True)
    signed_rate = min(len(people), BASELINE_MESSAGES) / (time.perf_counter() - started)
    html_bytes = len(renderer.template()[0].encode())

    digest = DigestMessages(renderer, prebuilt=True)
    started = time.perf_counter()
    copies = [digest.copy(person) for person in people[:MESSAGE_SAMPLE]]
    copy_rate = len(copies) / (time.perf_counter() - started)
    prebuilt_share = sum(copy.smtp_bytes is not None for copy in copies) / len(copies)

    started = time.perf_counter()
    for person in people[:NAIVE_SAMPLE]:  # a renderer per subscriber: one MJML compile each
        IssueRenderer(issue).personalise(
            order=DEFAULT_ORDER, greeting=f"Hello {person.name},", **subscriber_links(person)
        )
    naive_rate = NAIVE_SAMPLE / (time.perf_counter() - started)

    # The baseline's bytes: Django's own message for each subscriber of the sample.
    django_digest = DigestMessages(renderer, prebuilt=False)
    baseline_messages = [
        (digest.from_email, [person.email], django_digest.copy(person).message.message().as_bytes(linesep="\r\n"))
        for person in people[:MESSAGE_SAMPLE]
    ]
    baseline_count = min(len(people), BASELINE_MESSAGES)

    process, port = sink_start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        connections = settings.NEWSLETTER_SMTP_CONNECTIONS
        raw_before = raw_smtp_rate(port, baseline_messages, baseline_count)
        settings.NEWSLETTER_SMTP_CONNECTIONS = 1
        started = time.perf_counter()
        one_result = issue_deliver(issue=one_connection_issue)
        one_elapsed = time.perf_counter() - started
        settings.NEWSLETTER_SMTP_CONNECTIONS = connections
        started = time.perf_counter()
        result = issue_deliver(issue=issue)
        elapsed = time.perf_counter() - started
        raw_after = raw_smtp_rate(port, baseline_messages, baseline_count)
    finally:
        process.terminate()
        process.wait()
    raw_rate = (raw_before + raw_after) / 2
    end_to_end = result["sent"] / elapsed
    one_end_to_end = one_result["sent"] / one_elapsed
    print(f"{'step':<52} {'messages/s':>11}  {'baseline':>9}  {'ratio':>6}")
    print(
        f"{'render + personalise (compiled once per order)':<52} {personalise_rate:>11,.0f}  "
        f"{PERSONALISE_GOAL:>9,}  {personalise_rate / PERSONALISE_GOAL:>5.2f}x   (goal: 20,000/s)"
    )
    print(
        f"{'  vs naive: one MJML compile per subscriber':<52} {personalise_rate:>11,.0f}  {naive_rate:>9,.1f}  "
        f"{personalise_rate / naive_rate:>5.0f}x   (naive on a sample of {NAIVE_SAMPLE})"
    )
    print(
        f"{'  the two links alone (one HMAC)':<52} {links_rate:>11,.0f}  {signed_rate:>9,.0f}  "
        f"{links_rate / signed_rate:>5.1f}x   (baseline: Django's signing.dumps for each link)"
    )
    print(
        f"{'copy: personalise + message bytes':<52} {copy_rate:>11,.0f}  {'':>9}  {'':>6}   "
        f"(sample of {len(copies):,}, {prebuilt_share:.0%} prebuilt)"
    )
    print(
        f"{f'end to end to the SMTP sink, {connections} connections':<52} {end_to_end:>11,.0f}  {raw_rate:>9,.0f}  "
        f"{end_to_end / raw_rate:>5.2f}x   ({result['sent']:,} sent in {elapsed:,.1f} s, {result['failed']} failed, "
        f"MJML compiled {result['compiles']} times, HTML {html_bytes / 1024:.0f} KB)"
    )
    print(
        f"{'  the same over 1 connection':<52} {one_end_to_end:>11,.0f}  {raw_rate:>9,.0f}  "
        f"{one_end_to_end / raw_rate:>5.2f}x   ({one_result['sent']:,} sent in {one_elapsed:,.1f} s, "
        f"{one_result['failed']} failed)"
    )
    print(
        f"{'  baseline: raw smtplib, same bytes, one connection':<52} {raw_rate:>11,.0f}  {'':>9}  {'':>6}   "
        f"({baseline_count:,} messages before and after: {raw_before:,.0f} and {raw_after:,.0f}/s)"
    )
    print(f"load average {' '.join(f'{load:.2f}' for load in os.getloadavg())}")


if __name__ == "__main__":
    main()
