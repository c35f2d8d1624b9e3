from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models.functions import Lower
from django.http import HttpResponse
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Orderable,
    PreviewableMixin,
    RevisionMixin,
    WorkflowMixin,
)

from website.middleware import EMAIL_PREVIEW_CONTENT_SECURITY_POLICY


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
    outcomes = models.ManyToManyField("taxonomy.Outcome", blank=True, related_name="+")
    regions = models.JSONField(default=list, blank=True)
    consent_at = models.DateTimeField(null=True, blank=True, help_text="When the address was confirmed.")
    consent_source = models.CharField(max_length=200, blank=True, help_text="Where the consent came from.")
    paused_until = models.DateField(null=True, blank=True)
    bounce_count = models.PositiveSmallIntegerField(default=0, help_text="Bounces that may have been temporary.")
    status_changed_at = models.DateTimeField(auto_now_add=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["email"]
        constraints = [models.UniqueConstraint(Lower("email"), name="newsletter_subscriber_email_unique")]

    def __str__(self):
        return self.email


class NewsletterIssue(WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, PreviewableMixin, ClusterableModel):
    """One weekly issue: assembled automatically as a draft, adjusted by staff, who preview
    it in the editor exactly as the email renders, and approved through Wagtail: publishing
    (directly, or by the last step of its moderation workflow) approves it, and the
    published revision is what subscribers get. `status` is the delivery stage, which only
    publishing and delivery move, never the edit form."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        APPROVED = "approved", "Approved"
        SENT = "sent", "Sent"

    subject = models.CharField(max_length=200)
    intro = models.TextField(blank=True)
    period_start = models.DateTimeField()
    period_end = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True, editable=False
    )
    send_at = models.DateTimeField(
        null=True, blank=True, help_text="When the issue goes out once approved (empty or past: at once)."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="newsletter_issue")
    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="newsletter_issue",
        for_concrete_model=False,
    )

    panels = [
        FieldPanel("subject"),
        FieldPanel("intro"),
        FieldPanel("send_at"),
        InlinePanel("items", label="Item", heading="Items (drag to reorder)"),
    ]

    class Meta:
        ordering = ["-period_end"]

    def __str__(self):
        return self.subject

    @property
    def revisions(self):
        return self._revisions

    def with_content_json(self, content):
        """A revision carries the issue's content, not its delivery stage: publishing an
        old revision must not turn a sent issue back into a draft."""
        obj = super().with_content_json(content)
        obj.status, obj.sent_at = self.status, self.sent_at
        return obj

    preview_modes = [
        ("", "Email"),
        ("case_studies_first", "Email for readers who follow outcome areas"),
        ("text", "Plain-text part"),
    ]

    def serve_preview(self, request, mode_name):
        from .rendering import DEFAULT_ORDER, OUTCOMES_ORDER, issue_personalised

        order = OUTCOMES_ORDER if mode_name == "case_studies_first" else DEFAULT_ORDER
        html_body, text_body = issue_personalised(
            issue=self, order=order, email=request.user.email, name=request.user.first_name
        )
        if mode_name == "text":
            return HttpResponse(text_body, content_type="text/plain; charset=utf-8")
        response = HttpResponse(html_body)
        # The archived email's policy (inline styles, no script), framed by the admin only.
        response["Content-Security-Policy"] = EMAIL_PREVIEW_CONTENT_SECURITY_POLICY
        return response


class IssueItem(Orderable):
    """A post, a member's news item, a case study or a link, as the email shows it."""

    class Section(models.TextChoices):
        POSTS = "posts", "From the network"
        NEWS = "news", "Members' news"
        CASE_STUDIES = "case_studies", "New case studies"

    issue = ParentalKey(NewsletterIssue, on_delete=models.CASCADE, related_name="items")
    section = models.CharField(max_length=12, choices=Section.choices)
    title = models.CharField(max_length=300)
    url = models.URLField(max_length=1000)
    summary = models.TextField(blank=True)
    source = models.CharField(max_length=200, blank=True, help_text="e.g. the partnership a news item is from.")

    panels = [
        FieldPanel("section"),
        FieldPanel("title"),
        FieldPanel("url"),
        FieldPanel("summary"),
        FieldPanel("source"),
    ]


class Delivery(models.Model):
    """The delivery ledger: one row per issue and subscriber, so sending is resumable and
    idempotent. `claimed`: reserved by a worker, not attempted; `sending`: handed to the
    mail server, result not yet written (the only state a crash can leave ambiguous)."""

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        CLAIMED = "claimed", "Claimed by a worker"
        SENDING = "sending", "Being handed to the mail server"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    issue = models.ForeignKey(NewsletterIssue, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    message_id = models.CharField(max_length=300, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["issue", "subscriber"], name="newsletter_delivery_once")]
        indexes = [models.Index(fields=["issue", "state"])]

    def __str__(self):
        return f"{self.issue_id} to {self.subscriber_id}: {self.state}"
