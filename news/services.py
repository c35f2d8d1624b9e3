"""Refreshing member feeds: fetch the due sources concurrently, then store what changed."""

import asyncio
import datetime
import logging
from collections import Counter
from urllib.parse import urlsplit

from django.db import IntegrityError, transaction
from django.utils import timezone

from .client import feed_client, feed_fetch
from .models import FeedSource, NewsItem
from .parsing import NotAFeed, digest, parse_feed

logger = logging.getLogger(__name__)

CONCURRENCY = 10
PER_HOST = 2
REFRESH_INTERVAL = datetime.timedelta(hours=1)
MAX_BACKOFF = datetime.timedelta(days=1)
MAX_RETRY_AFTER = datetime.timedelta(days=2)
FAILURES_BEFORE_PAUSE = 8


async def _fetch_all(sources):
    """[(source, FetchResult)] with at most CONCURRENCY requests, PER_HOST per host."""
    overall = asyncio.Semaphore(CONCURRENCY)
    per_host = {}

    async def fetch(client, source):
        host = (urlsplit(source.url).hostname or "").lower()
        host_slots = per_host.setdefault(host, asyncio.Semaphore(PER_HOST))
        async with overall, host_slots:
            return source, await feed_fetch(client, url=source.url, etag=source.etag, last_modified=source.last_modified)

    async with feed_client() as client:
        return await asyncio.gather(*(fetch(client, source) for source in sources))


def feed_sources_sync():
    """A feed source for every published partnership's feed URL; a changed URL moves its source."""
    from network.models import PartnershipPage

    created = 0
    for partnership in PartnershipPage.objects.live().exclude(feed_url=""):
        source = FeedSource.objects.filter(partnership=partnership).first()
        if source is None:
            if not FeedSource.objects.filter(url=partnership.feed_url).exists():
                FeedSource.objects.create(partnership=partnership, name=f"{partnership.title} news", url=partnership.feed_url)
                created += 1
        elif source.url != partnership.feed_url and source.last_success_at is None:
            source.url = partnership.feed_url
            source.save(update_fields=["url"])
    return created


def feed_sources_due(*, force=False):
    sources = FeedSource.objects.filter(status=FeedSource.Status.ACTIVE)
    return sources if force else sources.filter(next_fetch_at__lte=timezone.now())


def feed_sources_refresh(*, sources):
    """Fetch `sources` and store their items. Returns a Counter of outcomes for the summary."""
    sources = list(sources)
    totals = Counter()
    if not sources:
        return totals
    for source, result in asyncio.run(_fetch_all(sources)):
        outcome = _apply(source, result)
        totals[outcome["status"]] += 1
        totals["new items"] += outcome.get("new", 0)
        totals["updated"] += outcome.get("updated", 0)
        logger.info("feed refreshed", extra={"feed": source.pk, "url": source.url, **outcome})
    return totals


def _apply(source, result):
    now = timezone.now()
    source.last_fetched_at = now
    source.last_status_code = result.status
    if result.moved_to and result.moved_to != source.url and not FeedSource.objects.filter(url=result.moved_to).exists():
        source.url = result.moved_to
    if result.error or result.status not in (200, 304):
        return _failure(source, result, now)
    if result.not_modified:
        _success(source, result, now)
        return {"status": "not modified"}
    try:
        entries = parse_feed(result.body, url=result.url, content_type=result.content_type)
    except NotAFeed as error:
        result.error = str(error)
        return _failure(source, result, now)
    with transaction.atomic():
        new, updated = items_store(source=source, entries=entries)
        if new:
            source.last_new_item_at = now
        _success(source, result, now)
    return {"status": "fetched", "new": new, "updated": updated}


def _success(source, result, now):
    source.etag = result.etag[:500]
    source.last_modified = result.last_modified[:100]
    source.last_success_at = now
    source.error_count = 0
    source.failing_since = None
    source.last_error = ""
    source.next_fetch_at = now + REFRESH_INTERVAL
    source.save()


def _failure(source, result, now):
    source.error_count += 1
    source.failing_since = source.failing_since or now
    source.last_error = result.error or f"HTTP {result.status}"
    if result.status == 410:
        source.status = FeedSource.Status.RETIRED
        outcome = "retired"
    elif result.status in (429, 503) and result.retry_after is not None:
        source.next_fetch_at = now + min(datetime.timedelta(seconds=result.retry_after), MAX_RETRY_AFTER)
        outcome = "failed"
    else:
        source.next_fetch_at = now + min(REFRESH_INTERVAL * 2 ** (source.error_count - 1), MAX_BACKOFF)
        outcome = "failed"
    if source.error_count >= FAILURES_BEFORE_PAUSE and source.status == FeedSource.Status.ACTIVE:
        source.status = FeedSource.Status.PAUSED
        outcome = "paused"
    source.save()
    return {"status": outcome, "error": source.last_error}


def _identity(entry, mode):
    if mode == FeedSource.Identity.GUID:
        return entry.guid
    if mode == FeedSource.Identity.LINK:
        return entry.link
    return entry.content_hash


def _identity_mode(source, entries):
    """The strongest identity that is present and unique across this batch of entries."""
    modes = [FeedSource.Identity.GUID, FeedSource.Identity.LINK, FeedSource.Identity.HASH]
    for mode in modes[modes.index(source.identity):]:
        values = [_identity(entry, mode) for entry in entries]
        if all(values) and len(set(values)) == len(values):
            return mode
    return FeedSource.Identity.HASH


def items_store(*, source, entries):
    """Insert new entries and update edited ones in place. Returns (new, updated)."""
    mode = _identity_mode(source, entries)
    if mode != source.identity:
        source.identity = mode  # weaker from now on; never silently stronger again
    keyed = {digest(_identity(entry, mode)): entry for entry in entries}
    existing = {item.identity_key: item for item in source.items.filter(identity_key__in=keyed)}
    new = updated = 0
    for key, entry in keyed.items():
        item = existing.get(key)
        if item is None:
            try:
                with transaction.atomic():
                    NewsItem.objects.create(
                        source=source, identity_key=key, guid=entry.guid, link=entry.link, title=entry.title,
                        summary=entry.summary, content_html=entry.content_html, image_url=entry.image_url,
                        published_at=entry.published_at, content_hash=entry.content_hash, story_key=entry.story_key,
                    )
            except IntegrityError:
                continue
            new += 1
        elif item.content_hash != entry.content_hash:
            for name in ("guid", "link", "title", "summary", "content_html", "image_url", "content_hash", "story_key"):
                setattr(item, name, getattr(entry, name))
            item.save()
            updated += 1
    return new, updated
