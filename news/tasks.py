from django_tasks import task

from .services import feed_sources_due, feed_sources_refresh, feed_sources_sync


@task()
def refresh_due_feeds():
    """One refresh pass over the feeds that are due: what `refresh_feeds --enqueue` queues."""
    feed_sources_sync()
    totals = feed_sources_refresh(sources=feed_sources_due())
    return dict(totals)
