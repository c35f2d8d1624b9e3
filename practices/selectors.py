"""Reads for the practice library."""

from django.db.models import Count, Prefetch, Q

from network.models import PartnershipPage
from taxonomy.models import Topic
from website.selectors import page_public_q

from .models import CaseStudyPage, CaseStudyPartnership


def case_study_visible():
    """Case studies a visitor may see: the one definition of a published case study."""
    return CaseStudyPage.objects.live().filter(page_public_q())


def case_study_with_cards(queryset):
    """`queryset` with what a case-study card shows loaded in a fixed number of queries."""
    return queryset.prefetch_related(
        Prefetch(
            "partnership_links",
            queryset=CaseStudyPartnership.objects.select_related("partnership").filter(
                partnership__in=PartnershipPage.objects.live().filter(page_public_q())
            ),
        ),
        Prefetch("topics", queryset=Topic.objects.all()),
    )


def case_study_related(*, case_study, limit):
    """The editor's chosen related case studies, topped up with those sharing most topics."""
    chosen = [link.case_study_id for link in case_study.related_links.all()]
    visible = case_study_visible().exclude(pk=case_study.pk)
    picked = list(case_study_with_cards(visible.filter(pk__in=chosen)))
    picked.sort(key=lambda page: chosen.index(page.pk))
    if len(picked) < limit:
        topic_ids = [topic.pk for topic in case_study.topics.all()]  # a preview's unsaved choice
        similar = (
            visible.exclude(pk__in=[page.pk for page in picked])
            .annotate(shared=Count("topics", filter=Q(topics__in=topic_ids)))
            .filter(shared__gt=0)
            .order_by("-shared", "-year", "title")
        )
        picked += list(case_study_with_cards(similar)[: limit - len(picked)])
    return picked[:limit]


def case_study_for_partnership(*, partnership, limit):
    """The newest case studies a partnership is behind."""
    return list(
        case_study_visible()
        .filter(partnership_links__partnership=partnership)
        .order_by("-year", "title")
        .distinct()[:limit]
    )
