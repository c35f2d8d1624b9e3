"""The network's shared vocabulary: what every content app files its pages under.

At the bottom of the app graph: network, practices, news, newsletter and search all
filter and facet by these, and none of them owns them.
"""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet


class Stage(models.TextChoices):
    """The stages of the network's Theory of Action, in the order partnerships move through them."""

    EXPLORING = "exploring", "Exploring"
    EMERGING = "emerging", "Emerging"
    SUSTAINING = "sustaining", "Sustaining"
    SYSTEMS_CHANGE = "systems-change", "Systems Change"
    PROOF_POINT = "proof-point", "Proof Point"


class Term(models.Model):
    """A named, ordered term editors manage as a snippet; pages link to it by slug in URLs."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("sort_order")]

    class Meta:
        abstract = True
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


@register_snippet
class Outcome(Term):
    """A cradle-to-career outcome area the network tracks (kindergarten readiness, ...)."""

    class Meta(Term.Meta):
        pass


@register_snippet
class Topic(Term):
    """A practice topic (data use, equity, policy and advocacy, ...) case studies are filed under."""

    class Meta(Term.Meta):
        pass
