from django.apps import AppConfig


class NewsletterConfig(AppConfig):
    name = "newsletter"
    verbose_name = "Newsletter"

    def ready(self):
        from anymail.signals import tracking
        from wagtail.signals import published

        from .models import NewsletterIssue
        from .receivers import issue_published, mail_provider_event

        tracking.connect(mail_provider_event, dispatch_uid="newsletter.mail_provider_event")
        published.connect(issue_published, sender=NewsletterIssue, dispatch_uid="newsletter.issue_published")
