"""Mail-provider events (through django-anymail's tracking webhooks) reach the subscribers;
Wagtail's publishing of an issue approves it."""

from .services.issues import issue_mark_approved
from .services.subscribers import subscriber_mail_event


def mail_provider_event(sender, event, esp_name, **kwargs):
    subscriber_mail_event(
        email=event.recipient,
        event_type=event.event_type,
        reject_reason=event.reject_reason,
        response=" ".join(filter(None, [event.mta_response, event.description])),
    )


def issue_published(sender, instance, **kwargs):
    """Wagtail publishes an issue from its Publish button, the last step of its moderation
    workflow or `issue_approve`: each one approves it for sending."""
    issue_mark_approved(issue=instance)
