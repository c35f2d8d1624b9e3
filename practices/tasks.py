from django_tasks import task

from .services import case_study_index_sync


@task()
def sync_case_study_index(page_ids):
    """Bring these case studies' index entries in step with their pages (index or remove)."""
    return case_study_index_sync(page_ids=page_ids)
