"""Mail-provider events (through django-anymail's tracking webhooks) reach the subscribers."""

from .services.subscribers import subscriber_mail_event


def mail_provider_event(sender, event, esp_name, **kwargs):
    subscriber_mail_event(
        email=event.recipient,
        event_type=event.event_type,
        reject_reason=event.reject_reason,
        response=" ".join(filter(None, [event.mta_response, event.description])),
    )
