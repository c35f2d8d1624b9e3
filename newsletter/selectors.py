"""Reads for the newsletter."""

from .models import NewsletterIssue


def issue_sent():
    """The issues subscribers got, newest first: the public archive."""
    return NewsletterIssue.objects.filter(status=NewsletterIssue.Status.SENT).order_by("-sent_at")
