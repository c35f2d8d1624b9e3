from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models.functions import Lower
from django.http import HttpResponse
from django.utils import timezone
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


class SubscriptionRequest(models.Model):
    """A sign-up waiting for the address owner: anyone can type an address into the form,
    so what they asked for stays here, untouched by the subscriber's record, until the
    owner follows the link emailed for this very request and confirms."""

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="requests")
    name = models.CharField(max_length=120, blank=True)
    interests = models.JSONField(default=dict, blank=True, help_text="Series and outcome ids, region slugs.")
    source = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.subscriber} asked on {self.created_at:%Y-%m-%d %H:%M}"


class ConsentEvent(models.Model):
    """The audit trail of consent and its withdrawal: when, from where, to what. Leaving
    keeps it (it is the proof of both); only erasing the subscriber removes it."""

    class Kind(models.TextChoices):
        CONSENTED = "consented", "Consented"
        WITHDRAWN = "withdrawn", "Withdrew consent"

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="consent_events")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now)
    source = models.CharField(max_length=200)
    details = models.JSONField(default=dict, blank=True, help_text="What was agreed to, or the status reached.")

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.subscriber} {self.kind} {self.at:%Y-%m-%d %H:%M} ({self.source})"


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
    """A post, a member's news item, a case study, an event or a link, as the email shows it."""

    class Section(models.TextChoices):
        POSTS = "posts", "From the network"
        NEWS = "news", "Members' news"
        CASE_STUDIES = "case_studies", "New case studies"
        EVENTS = "events", "Coming up"

    issue = ParentalKey(NewsletterIssue, on_delete=models.CASCADE, related_name="items")
    section = models.CharField(max_length=12, choices=Section.choices)
    title = models.CharField(max_length=300)
    url = models.URLField(max_length=1000)
    summary = models.TextField(blank=True)
    source = models.CharField(max_length=200, blank=True, help_text="e.g. the partnership a news item is from.")
    partnership = models.ForeignKey(
        "network.PartnershipPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The member whose news this is: its editors see how often the link was followed.",
    )

    panels = [
        FieldPanel("section"),
        FieldPanel("title"),
        FieldPanel("url"),
        FieldPanel("summary"),
        FieldPanel("source"),
        FieldPanel("partnership"),
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
        indexes = [models.Index(fields=["issue", "state", "id"])]  # a claim reads one range of it, in id order

    def __str__(self):
        return f"{self.issue_id} to {self.subscriber_id}: {self.state}"


class IssueLinkClicks(models.Model):
    """How many times one link of one issue was followed through the site's redirect: a
    single number per (issue, link). Nothing about who followed it, or when, is kept."""

    item = models.OneToOneField(IssueItem, on_delete=models.CASCADE, primary_key=True, related_name="clicks")
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name_plural = "issue link clicks"

    def __str__(self):
        return f"{self.item_id}: {self.count}"
