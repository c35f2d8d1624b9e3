from django.apps import AppConfig


class NewsletterConfig(AppConfig):
    name = "newsletter"
    verbose_name = "Newsletter"

    def ready(self):
        from anymail.signals import tracking

        from .receivers import mail_provider_event

        tracking.connect(mail_provider_event, dispatch_uid="newsletter.mail_provider_event")
