"""The newsletter's background work: the weekly draft, and delivery in batches that any
number of workers share (inline with the immediate backend in development)."""

import math

from django_tasks import task

from .models import Delivery, NewsletterIssue
from .services.delivery import BATCH_SIZE, deliveries_enqueue, issue_deliver
from .services.issues import issue_build, issue_due


@task()
def build_weekly_issue():
    """This week's draft for staff to review (nothing in a quiet week)."""
    issue = issue_build()
    return issue.pk if issue else None


@task()
def send_due_issue():
    """Queue one delivery task per batch of the due issue's unsent deliveries. Safe to run
    again at any time (from cron): batches are claimed in the ledger, not by the queue,
    so extra tasks find nothing to do, and a dead worker's batch is taken over once its
    lease ends."""
    issue = issue_due()
    if issue is None:
        return None
    deliveries_enqueue(issue=issue)
    pending = issue.deliveries.exclude(state__in=[Delivery.State.SENT, Delivery.State.FAILED]).count()
    batches = max(1, math.ceil(pending / BATCH_SIZE))  # one even when empty: it marks the issue sent
    for _ in range(batches):
        deliver_issue_batch.enqueue(issue.pk)
    return {"issue": issue.pk, "batches": batches}


@task()
def deliver_issue_batch(issue_id):
    issue = NewsletterIssue.objects.filter(pk=issue_id, status=NewsletterIssue.Status.APPROVED).first()
    if issue is None:
        return None
    result = issue_deliver(issue=issue, max_batches=1)
    return {key: result[key] for key in ("sent", "failed", "remaining", "in_progress")}
