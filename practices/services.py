"""Writes to the case-study index: keeping it in step with the pages, and rebuilding it.

Searches and writes go through an alias; a rebuild fills a new index, swaps the alias
in one atomic call and drops the old index, so search never goes dark.
"""

import logging
from dataclasses import dataclass, field

from django.utils import timezone
from elasticsearch import NotFoundError
from elasticsearch.helpers import bulk, scan

from website.elasticsearch import elasticsearch_client

from .documents import CaseStudyDocument, case_study_document, case_study_index_body
from .models import CaseStudyPage
from .selectors import case_study_visible

logger = logging.getLogger(__name__)
BULK_CHUNK = 200
FORCE_MERGE_TIMEOUT_SECONDS = 300  # it answers when the merge is done


def _pages_for_documents(queryset):
    return queryset.prefetch_related("partnership_links__partnership", "outcomes", "topics")


def _actions(pages, index):
    for page in pages:
        document = case_study_document(page)
        yield {"_op_type": "index", "_index": index, "_id": page.pk, "_source": document.to_dict()}


def case_study_index_create(*, client=None):
    """Create an empty index behind the alias, unless the alias already exists. Returns the index name."""
    client = client or elasticsearch_client()
    alias = CaseStudyDocument.alias_name()
    if client.indices.exists_alias(name=alias):
        return next(iter(client.indices.get_alias(name=alias)))
    index = f"{alias}-{timezone.now():%Y%m%d%H%M%S%f}"
    client.indices.create(index=index, **case_study_index_body(client))
    client.indices.put_alias(index=index, name=alias)
    return index


def case_study_index_sync(*, page_ids):
    """Index the given pages that are published and public; remove the others from the index."""
    client = elasticsearch_client()
    case_study_index_create(client=client)
    alias = CaseStudyDocument.alias_name()
    visible = list(_pages_for_documents(case_study_visible().filter(pk__in=page_ids)))
    actions = list(_actions(visible, alias))
    shown = {page.pk for page in visible}
    actions += [{"_op_type": "delete", "_index": alias, "_id": pk} for pk in page_ids if pk not in shown]
    _, errors = bulk(client, actions, raise_on_error=False, refresh=True)
    errors = [error for error in errors if error.get("delete", {}).get("status") != 404]
    if errors:
        raise RuntimeError(f"case-study index: {len(errors)} writes failed, first: {errors[0]}")
    return {"indexed": len(shown), "removed": len(page_ids) - len(shown)}


@dataclass
class RebuildReport:
    index: str = ""
    indexed: int = 0
    reconciled: int = 0
    dropped: list = field(default_factory=list)


def case_study_index_rebuild(*, on_progress=None):
    """Build a fresh index from the database, swap the alias to it, drop the old index.

    Pages published, changed or removed while the rebuild ran are reconciled after the
    swap, so nothing an editor did in the meantime is lost. `on_progress(done, total)`
    is called after every chunk.
    """
    client = elasticsearch_client()
    alias = CaseStudyDocument.alias_name()
    started = timezone.now()
    report = RebuildReport(index=f"{alias}-{started:%Y%m%d%H%M%S%f}")
    client.indices.create(index=report.index, **case_study_index_body(client))
    pages = _pages_for_documents(case_study_visible().order_by("pk"))
    total = pages.count()
    for start in range(0, total, BULK_CHUNK):
        chunk = list(pages[start : start + BULK_CHUNK])
        bulk(client, _actions(chunk, report.index))
        report.indexed += len(chunk)
        if on_progress:
            on_progress(report.indexed, total)
    client.indices.refresh(index=report.index)
    # One segment before visitors search it: the rewrite, the facet counts and the
    # highlighter each walk every segment (about 5% of a search's time at 10,000 case
    # studies, against the five segments bulk indexing left). Later writes add segments
    # that the node merges in the background as usual.
    elasticsearch_client(timeout=FORCE_MERGE_TIMEOUT_SECONDS).indices.forcemerge(index=report.index, max_num_segments=1)

    old = list(client.indices.get_alias(name=alias)) if client.indices.exists_alias(name=alias) else []
    if client.indices.exists(index=alias) and not old:
        client.indices.delete(index=alias)  # a plain index squatting the alias name
    client.indices.update_aliases(
        actions=[{"remove": {"index": name, "alias": alias}} for name in old]
        + [{"add": {"index": report.index, "alias": alias}}]
    )
    for name in old:
        client.indices.delete(index=name, ignore_unavailable=True)
    report.dropped = old

    changed = CaseStudyPage.objects.filter(latest_revision_created_at__gte=started).values_list("pk", flat=True)
    stale = case_study_index_drift(client=client)
    to_sync = set(changed) | stale["missing"] | stale["extra"]
    if to_sync:
        case_study_index_sync(page_ids=sorted(to_sync))
    report.reconciled = len(to_sync)
    return report


def case_study_index_drift(*, client=None):
    """Which published case studies the index lacks, and which indexed ones should not be there."""
    client = client or elasticsearch_client()
    alias = CaseStudyDocument.alias_name()
    try:
        indexed = {int(hit["_id"]) for hit in scan(client, index=alias, query={"_source": False})}
    except NotFoundError:
        indexed = set()
    visible = set(case_study_visible().values_list("pk", flat=True))
    return {"missing": visible - indexed, "extra": indexed - visible}
