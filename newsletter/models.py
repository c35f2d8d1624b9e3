from django.db import models
from django.db.models.functions import Lower


class Subscriber(models.Model):
    """Someone who asked for the weekly digest, with their consent and their interests."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for confirmation"
        ACTIVE = "active", "Active"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"
        BOUNCED = "bounced", "Bounced"
        COMPLAINED = "complained", "Complained"

    email = models.EmailField(max_length=254)
    name = models.CharField(max_length=120, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True)
    series = models.ManyToManyField("blog.Series", blank=True, related_name="+")
    outcomes = models.ManyToManyField("network.Outcome", blank=True, related_name="+")
    regions = models.JSONField(default=list, blank=True)
    consent_at = models.DateTimeField(null=True, blank=True, help_text="When the address was confirmed.")
    consent_source = models.CharField(max_length=200, blank=True, help_text="Where the consent came from.")
    paused_until = models.DateField(null=True, blank=True)
    status_changed_at = models.DateTimeField(auto_now_add=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["email"]
        constraints = [models.UniqueConstraint(Lower("email"), name="newsletter_subscriber_email_unique")]

    def __str__(self):
        return self.email
