"""Reads for the newsletter's views."""

from .models import Subscriber


def subscription_request_open(*, subscriber, request_id):
    """The sign-up request a confirmation link names, while it can still be confirmed:
    the address is waiting for confirmation or has unsubscribed (never one that bounced or
    complained), and no confirmation or unsubscribe has made the request lapse since."""
    if subscriber is None or request_id is None:
        return None
    if subscriber.status not in (Subscriber.Status.PENDING, Subscriber.Status.UNSUBSCRIBED):
        return None
    return subscriber.requests.filter(pk=request_id).first()
