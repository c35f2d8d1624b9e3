"""Page events that change what practice search should show, turned into index tasks.

The task is queued once the editor's transaction commits, so a slow or absent
Elasticsearch never fails a save; `manage.py search_index check` finds any drift.
"""

from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from network.models import PartnershipPage
from website.elasticsearch import elasticsearch_enabled

from .models import CaseStudyPage


def _enqueue(page_ids):
    from .tasks import sync_case_study_index

    page_ids = sorted(set(page_ids))
    if page_ids and elasticsearch_enabled():
        transaction.on_commit(partial(sync_case_study_index.enqueue, page_ids=page_ids))


def _case_studies_at_or_below(page):
    return CaseStudyPage.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True)


def case_study_changed(sender, instance, **kwargs):
    _enqueue([instance.pk])


def partnership_changed(sender, instance, **kwargs):
    """Case studies carry their partnerships' names and slugs."""
    _enqueue(CaseStudyPage.objects.filter(partnership_links__partnership=instance).values_list("pk", flat=True))


def page_moved(sender, instance, **kwargs):
    _enqueue(_case_studies_at_or_below(instance))


def privacy_changed(sender, instance, **kwargs):
    page = Page.objects.filter(pk=instance.page_id).first()  # gone when the page itself was deleted
    if page:
        _enqueue(_case_studies_at_or_below(page))


def connect():
    page_published.connect(case_study_changed, sender=CaseStudyPage)
    page_unpublished.connect(case_study_changed, sender=CaseStudyPage)
    post_delete.connect(case_study_changed, sender=CaseStudyPage)
    page_published.connect(partnership_changed, sender=PartnershipPage)
    page_unpublished.connect(partnership_changed, sender=PartnershipPage)
    post_page_move.connect(page_moved)
    post_save.connect(privacy_changed, sender=PageViewRestriction)
    post_delete.connect(privacy_changed, sender=PageViewRestriction)
