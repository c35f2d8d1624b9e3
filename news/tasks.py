from django_tasks import task

from .models import FeedSource
from .services import feed_sources_due, feed_sources_refresh, feed_sources_sync, news_items_index


@task()
def refresh_due_feeds():
    """One refresh pass over the feeds that are due: what `refresh_feeds --enqueue` queues.
    The new items are indexed by further tasks, so the pass itself only fetches and stores."""
    feed_sources_sync(discover=True)
    totals = feed_sources_refresh(sources=feed_sources_due(), index=index_news_items_later)
    return dict(totals)


@task()
def refresh_feed_sources(source_ids):
    """Fetch these feeds now (staff's retry from the feed-health view)."""
    return dict(
        feed_sources_refresh(sources=FeedSource.objects.filter(pk__in=source_ids), index=index_news_items_later)
    )


@task()
def index_news_items(item_ids):
    """Add newly stored member news to site search (a batch of one refresh pass)."""
    news_items_index(item_ids=item_ids)


def index_news_items_later(item_ids):
    index_news_items.enqueue(item_ids=item_ids)
