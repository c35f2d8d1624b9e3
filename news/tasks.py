from django_tasks import task

from .models import FeedSource
from .services import feed_sources_due, feed_sources_refresh, feed_sources_sync


@task()
def refresh_due_feeds():
    """One refresh pass over the feeds that are due: what `refresh_feeds --enqueue` queues."""
    feed_sources_sync(discover=True)
    totals = feed_sources_refresh(sources=feed_sources_due())
    return dict(totals)


@task()
def refresh_feed_sources(source_ids):
    """Fetch these feeds now (staff's retry from the feed-health view)."""
    return dict(feed_sources_refresh(sources=FeedSource.objects.filter(pk__in=source_ids)))
