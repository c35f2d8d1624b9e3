"""Importing a subscriber list exported from another list tool."""

import csv
import datetime
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from ..models import ConsentEvent, Subscriber
from .subscribers import LEFT, WITHDRAWN, plain_name

IMPORT_STATUSES = {
    "active": Subscriber.Status.ACTIVE,
    "subscribed": Subscriber.Status.ACTIVE,
    "confirmed": Subscriber.Status.ACTIVE,
    "enabled": Subscriber.Status.ACTIVE,
    "pending": Subscriber.Status.PENDING,
    "unconfirmed": Subscriber.Status.PENDING,
    "unsubscribed": Subscriber.Status.UNSUBSCRIBED,
    "blocklisted": Subscriber.Status.UNSUBSCRIBED,
    "bounced": Subscriber.Status.BOUNCED,
    "cleaned": Subscriber.Status.BOUNCED,
    "complained": Subscriber.Status.COMPLAINED,
    "spam": Subscriber.Status.COMPLAINED,
}
IMPORT_CHUNK = 1000
MAX_IMPORT_BYTES = 100 * 2**20


class SubscriberImportError(Exception):
    """The file as a whole cannot be read (bad rows are reported one by one instead)."""


@dataclass
class SubscriberImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list = field(default_factory=list)  # (row number, reason)
    warnings: list = field(default_factory=list)  # (row number, message): kept, with a caveat


def subscriber_rows_read(*, lines):
    """(row number, row) pairs from CSV text lines; column names are matched case-insensitively."""
    reader = csv.DictReader(lines)
    try:
        header = [(name or "").strip().lower() for name in reader.fieldnames or []]
    except csv.Error as error:
        raise SubscriberImportError(f"not a CSV file: {error}") from error
    if "email" not in header:
        raise SubscriberImportError("the first line must name the columns, and one of them must be 'email'")
    reader.fieldnames = header
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise SubscriberImportError(f"after line {reader.line_num}: {error}") from error
        yield reader.line_num, row


def _interest_keys():
    from blog.models import Series
    from taxonomy.geography import REGION_CHOICES
    from taxonomy.models import Outcome

    keys = {}
    for slug, name in REGION_CHOICES:
        keys[slug] = keys[name.lower()] = ("regions", slug)
    for model, kind in ((Series, "series"), (Outcome, "outcomes")):
        for pk, slug, name in model.objects.values_list("pk", "slug", "name"):
            keys[slug.lower()] = keys[name.lower()] = (kind, pk)
    return keys


def _import_row(row, *, interest_keys, default_status):
    """Clean values from one row, or raise ValueError with the reason; also warnings."""
    email = (row.get("email") or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        raise ValueError(f"{email[:80]!r} is not an email address") from None
    if len(email) > 254:
        raise ValueError("email longer than 254 characters")
    status_text = (row.get("status") or "").strip().lower()
    status = IMPORT_STATUSES.get(status_text) if status_text else default_status
    if status is None:
        raise ValueError(f"status {status_text[:40]!r} is not one of {', '.join(sorted(IMPORT_STATUSES))}")
    consent_at = None
    if consent_text := (row.get("consented_at") or "").strip():
        try:
            consent_at = datetime.datetime.fromisoformat(consent_text)
        except ValueError:
            raise ValueError(
                f"consented_at {consent_text[:40]!r} is not a date (use 2025-03-14 or 2025-03-14T09:30:00)"
            ) from None
        if timezone.is_naive(consent_at):
            consent_at = timezone.make_aware(consent_at)
        if consent_at > timezone.now():
            raise ValueError("consented_at is in the future")
    interests, warnings = {"series": set(), "outcomes": set(), "regions": set()}, []
    for key in filter(None, (key.strip() for key in re.split(r"[;,|]", row.get("interests") or ""))):
        if found := interest_keys.get(key.lower()):
            interests[found[0]].add(found[1])
        else:
            warnings.append(f"interest {key[:60]!r} is not a series, outcome area or region: left out")
    return {
        "email": email,
        "name": plain_name(row.get("name") or ""),
        "status": status,
        "consent_at": consent_at,
        "interests": interests,
    }, warnings


def subscribers_import(*, rows, source, default_status=Subscriber.Status.ACTIVE, dry_run=False):
    """Add subscribers exported from another list tool; bad rows are reported, good ones kept.

    An address already here keeps its place: the import fills in a missing name and adds
    interests, and can record that someone left, but never brings back someone who
    unsubscribed, bounced or complained. Rows are written in chunks, each in one transaction.
    """
    report, interest_keys, seen, chunk = SubscriberImportReport(), _interest_keys(), set(), []
    for number, row in rows:
        try:
            values, warnings = _import_row(row, interest_keys=interest_keys, default_status=default_status)
        except ValueError as error:
            report.rejected.append((number, str(error)))
            continue
        if values["email"].lower() in seen:
            report.rejected.append((number, f"{values['email']} appears earlier in this file"))
            continue
        seen.add(values["email"].lower())
        report.warnings.extend((number, warning) for warning in warnings)
        chunk.append(values)
        if len(chunk) == IMPORT_CHUNK:
            _import_chunk(chunk, source=source, report=report, dry_run=dry_run)
            chunk = []
    if chunk:
        _import_chunk(chunk, source=source, report=report, dry_run=dry_run)
    return report


def _import_chunk(chunk, *, source, report, dry_run):
    with transaction.atomic():
        existing = {
            subscriber.email.lower(): subscriber
            for subscriber in Subscriber.objects.annotate(lowered=Lower("email")).filter(
                lowered__in=[values["email"].lower() for values in chunk]
            )
        }
        new, changed, left, links = [], [], [], []
        for values in chunk:
            subscriber = existing.get(values["email"].lower())
            if subscriber is None:
                subscriber = Subscriber(
                    email=values["email"],
                    name=values["name"],
                    status=values["status"],
                    consent_at=values["consent_at"]
                    or (timezone.now() if values["status"] == Subscriber.Status.ACTIVE else None),
                    consent_source=source[:200],
                    regions=sorted(values["interests"]["regions"]),
                )
                new.append(subscriber)
            else:
                before = (subscriber.name, subscriber.status, list(subscriber.regions))
                subscriber.name = subscriber.name or values["name"]
                if values["status"] in LEFT and subscriber.status not in LEFT:
                    left.append((subscriber, subscriber.status))
                    subscriber.status, subscriber.status_changed_at = values["status"], timezone.now()
                subscriber.regions = sorted(set(subscriber.regions) | values["interests"]["regions"])
                if before != (subscriber.name, subscriber.status, subscriber.regions):
                    changed.append(subscriber)
            links.append((subscriber, values["interests"]))
        report.created += len(new)
        if dry_run:
            report.updated += len(changed)
            report.unchanged += len(chunk) - len(new) - len(changed)
            return
        Subscriber.objects.bulk_create(new)
        Subscriber.objects.bulk_update(changed, ["name", "status", "status_changed_at", "regions"])
        ConsentEvent.objects.bulk_create(_import_consent_events(new, left, source=source[:200]))
        added = _import_interests(links)
        changed_pks = {subscriber.pk for subscriber in changed} | added
        report.updated += len(changed_pks - {subscriber.pk for subscriber in new})
        report.unchanged += len(chunk) - len(new) - len(changed_pks - {subscriber.pk for subscriber in new})


def _import_consent_events(new, left, *, source):
    """The audit trail of what the other tool knew: the consent it recorded, and that
    someone withdrew it (unsubscribed or complained, there or according to this file)."""
    events = []
    for subscriber in new:
        if subscriber.consent_at and subscriber.status != Subscriber.Status.PENDING:
            events.append(
                ConsentEvent(
                    subscriber=subscriber,
                    kind=ConsentEvent.Kind.CONSENTED,
                    at=subscriber.consent_at,
                    source=source,
                    details={"list": "weekly digest", "imported_status": subscriber.status},
                )
            )
    for subscriber, previous_status in [(subscriber, None) for subscriber in new] + left:
        if subscriber.status not in WITHDRAWN:  # a bounce is the mailbox failing, not the person leaving
            continue
        events.append(
            ConsentEvent(
                subscriber=subscriber,
                kind=ConsentEvent.Kind.WITHDRAWN,
                at=subscriber.status_changed_at or timezone.now(),
                source=source,
                details={"status": subscriber.status, "previous_status": previous_status},
            )
        )
    return events


def _import_interests(links):
    """Add the rows' series and outcome areas; the pks of existing subscribers that gained one."""
    gained = set()
    for relation, kind in ((Subscriber.series.through, "series"), (Subscriber.outcomes.through, "outcomes")):
        column = "series_id" if kind == "series" else "outcome_id"
        have = set(
            relation.objects.filter(subscriber__in=[subscriber for subscriber, _ in links]).values_list(
                "subscriber_id", column
            )
        )
        rows = [(subscriber.pk, pk) for subscriber, interests in links for pk in interests[kind]]
        missing = [pair for pair in rows if pair not in have]
        relation.objects.bulk_create([relation(subscriber_id=s, **{column: pk}) for s, pk in missing])
        gained.update(s for s, _ in missing)
    return gained
