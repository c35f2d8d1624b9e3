"""Refreshing member feeds: fetch the due sources concurrently, then store what changed."""

import asyncio
import contextlib
import datetime
import logging
import queue
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from modelsearch.backends import get_search_backends

from website.page_cache import page_cache_invalidate

from .client import feed_client, feed_fetch
from .discovery import feed_discover
from .models import FeedSource, NewsItem
from .parsing import FeedParserPool, NotAFeed, digest, parse_feed

logger = logging.getLogger(__name__)

PER_HOST = 2  # the global limit is the FEEDS_CONCURRENCY setting
STORE_BATCH = 100  # feeds stored in one transaction at most
STORE_GATHER_SECONDS = 0.2
REFRESH_INTERVAL = datetime.timedelta(hours=1)
MAX_BACKOFF = datetime.timedelta(days=1)
MAX_RETRY_AFTER = datetime.timedelta(days=2)
FAILURES_BEFORE_PAUSE = 8
FAILING_DAYS_BEFORE_NOTICE = 3
SILENT_DAYS_BEFORE_NOTICE = 90
DISCOVERY_RETRY = datetime.timedelta(days=7)


async def _fetch_each(sources, deliver):
    """Fetch `sources`, handing each (source, FetchResult) to `deliver` as soon as it is
    answered: at most FEEDS_CONCURRENCY requests at once, PER_HOST per host. A feed
    waits for its host's turn before it takes a global slot, so the feeds of one busy
    host never hold slots that other hosts' feeds could use."""
    overall = asyncio.Semaphore(settings.FEEDS_CONCURRENCY)
    per_host = {}

    async def fetch(client, source):
        host = (urlsplit(source.url).hostname or "").lower()
        host_slots = per_host.setdefault(host, asyncio.Semaphore(PER_HOST))
        async with host_slots, overall:
            result = await feed_fetch(client, url=source.url, etag=source.etag, last_modified=source.last_modified)
        deliver((source, result))

    async with feed_client() as client:
        await asyncio.gather(*(fetch(client, source) for source in sources))


def feed_sources_sync(*, discover=False):
    """A feed source for every published partnership's feed URL; a changed URL moves its source.

    With `discover`, partnerships that give only a website get the feed found there
    (a website where none was found is tried again after DISCOVERY_RETRY).
    """
    from network.models import PartnershipPage

    created = 0
    without_feed = []
    for partnership in PartnershipPage.objects.live().exclude(feed_url="", website=""):
        source = FeedSource.objects.filter(partnership=partnership).first()
        if not partnership.feed_url:
            if source is None:
                without_feed.append(partnership)
        elif source is None:
            if not FeedSource.objects.filter(url=partnership.feed_url).exists():
                FeedSource.objects.create(
                    partnership=partnership, name=f"{partnership.title} news", url=partnership.feed_url
                )
                created += 1
        elif source.url != partnership.feed_url and source.last_success_at is None:
            source.url = partnership.feed_url
            source.save(update_fields=["url"])
    if discover:
        created += _discover_for(without_feed)
    return created


def _discover_for(partnerships):
    websites = [p for p in partnerships if not cache.get(f"news:no-feed:{p.website}")]
    if not websites:
        return 0

    async def discover_all():
        async with feed_client() as client:
            return await asyncio.gather(*(feed_discover(client, url=p.website) for p in websites))

    created = 0
    for partnership, url in zip(websites, asyncio.run(discover_all()), strict=True):
        if url is None or FeedSource.objects.filter(url=url).exists():
            cache.set(f"news:no-feed:{partnership.website}", True, DISCOVERY_RETRY.total_seconds())
        else:
            FeedSource.objects.create(partnership=partnership, name=f"{partnership.title} news", url=url)
            created += 1
    return created


def feed_source_reactivate(*, source):
    """Staff's one-click retry, first half: an active feed, due now (the caller fetches it)."""
    source.status = FeedSource.Status.ACTIVE
    source.next_fetch_at = timezone.now()
    source.save(update_fields=["status", "next_fetch_at"])


def feed_sources_due(*, force=False):
    sources = FeedSource.objects.filter(status=FeedSource.Status.ACTIVE)
    return sources if force else sources.filter(next_fetch_at__lte=timezone.now())


def feed_sources_refresh(*, sources, progress=None, index=None):
    """Fetch `sources` and store their items. Returns a Counter of outcomes for the summary.

    The fetching runs in a thread of its own (one event loop) that hands each answer at
    once to FEEDS_PARSE_PROCESSES processes to parse (`FeedParserPool`; parsed here when
    0), while this thread stores the answers that have arrived, up to STORE_BATCH feeds at
    a time (those that came within STORE_GATHER_SECONDS of the first), so the waiting on
    the network, the parsing and the storing overlap on both cores, and few answers need
    few transactions. `progress`, if given, is called with (feeds done, feeds in all) after each batch. `index` is given the ids of
    the items each batch inserted, to add them to the search index: by default at once
    (`news_items_index`); a pass on a worker queues that as a task instead.
    """
    sources = list(sources)
    totals = Counter()
    if not sources:
        return totals
    answers = queue.SimpleQueue()
    parser = FeedParserPool(settings.FEEDS_PARSE_PROCESSES) if settings.FEEDS_PARSE_PROCESSES else None

    def deliver(answer):
        source, result = answer
        parsing = None
        if parser and _parsable(result):
            parsing = parser.submit(result.body, url=result.url, content_type=result.content_type, now=timezone.now())
        answers.put((source, result, parsing))

    def fetch_all():
        try:
            asyncio.run(_fetch_each(sources, deliver))
        finally:
            answers.put(_FETCHING_DONE)

    with contextlib.ExitStack() as stack:
        if parser:
            stack.enter_context(parser)
        executor = stack.enter_context(ThreadPoolExecutor(max_workers=1, thread_name_prefix="feed-fetch"))
        fetching = executor.submit(fetch_all)
        done, finished = 0, False
        while not finished:
            batch = [answers.get()]
            gathering_until = time.monotonic() + STORE_GATHER_SECONDS
            while len(batch) < STORE_BATCH and batch[-1] is not _FETCHING_DONE:
                try:
                    batch.append(answers.get(timeout=max(0, gathering_until - time.monotonic())))
                except queue.Empty:
                    break
            finished = batch[-1] is _FETCHING_DONE
            if finished:
                batch.pop()
            if batch:
                _batch_store(batch, totals, index=index or _index_now, parser=parser)
                done += len(batch)
                if progress:
                    progress(done, len(sources))
        fetching.result()  # an error in the fetching thread is raised here
    return totals


_FETCHING_DONE = object()


def _batch_store(fetched, totals, *, index, parser):
    """Store a batch of answers in one transaction: one read of the items they already
    have, one insert of the new ones, each feed's fetch state; then have the new items
    indexed together and tell contacts about problems."""
    now = timezone.now()
    sources = [source for source, _result, _parsing in fetched]
    before = [_fetch_state(source) for source in sources]
    parsed = [(source, result, _entries(result, parsing, parser)) for source, result, parsing in fetched]
    keyed = {source.pk: _items_keyed(source=source, entries=entries) for source, _, entries in parsed if entries}
    outcomes, fresh, moved_to = [], [], set()
    with transaction.atomic():
        existing = _items_existing(keyed)
        for source, result, _ in parsed:
            outcome, items = _apply(
                source, result, keyed.get(source.pk, {}), existing=existing, now=now, moved_to=moved_to
            )
            outcomes.append(outcome)
            fresh.extend(items)
        inserted = _items_insert(fresh)
        new_per_source = Counter(item.source_id for item in inserted)
        for source, outcome in zip(sources, outcomes, strict=True):
            if outcome["status"] == "fetched":
                outcome["new"] = new_per_source[source.pk]
                if outcome["new"]:
                    source.last_new_item_at = now
        _fetch_states_save(sources, before)
    if inserted:
        index([item.pk for item in inserted])
    before = [_fetch_state(source) for source in sources]
    for source, outcome in zip(sources, outcomes, strict=True):
        _problem_notify(source)
        totals[outcome["status"]] += 1
        totals["new items"] += outcome.get("new", 0)
        totals["updated"] += outcome.get("updated", 0)
        logger.info("feed refreshed", extra={"feed": source.pk, "url": source.url, **outcome})
    _fetch_states_save(sources, before)


def _fetch_state(source):
    return {name: getattr(source, name) for name in FeedSource.FETCH_STATE_FIELDS}


def _fetch_states_save(sources, before):
    """Write the fetch state fields that changed, one UPDATE per distinct set of changes
    (a pass of 304s writes the same few values to a whole batch at once), and without a
    save signal: no receiver has anything to do with fetch state (the page cache ignores
    these fields; the one reference Wagtail's reference index records for a feed, its
    partnership, is never changed by a fetch)."""
    changes = {}
    for source, earlier in zip(sources, before, strict=True):
        changed = tuple((name, value) for name, value in _fetch_state(source).items() if earlier[name] != value)
        if changed:
            changes.setdefault(changed, []).append(source.pk)
    for changed, pks in changes.items():
        FeedSource.objects.filter(pk__in=pks).update(**dict(changed))


def _index_now(item_ids):
    news_items_index(item_ids=item_ids)


def news_items_index(*, item_ids):
    """Add these items to Wagtail's search index in one go, then start a new page-cache
    generation so site search shows them."""
    items = list(NewsItem.objects.filter(pk__in=item_ids))
    for backend in get_search_backends(with_auto_update=True):
        backend.add_bulk(NewsItem, items)
    page_cache_invalidate()


def _parsable(result):
    return not result.error and result.status == 200


def _entries(result, parsing, parser):
    """The entries of a successful answer, or None (a failure, a 304, or not a feed: then
    `result.error` says why); from `parser`'s processes if it started `parsing` them."""
    if not _parsable(result):
        return None
    try:
        if parsing:
            return parser.entries(
                parsing, result.body, url=result.url, content_type=result.content_type, now=timezone.now()
            )
        return parse_feed(result.body, url=result.url, content_type=result.content_type)
    except NotAFeed as error:
        result.error = str(error)
        return None


def _apply(source, result, keyed, *, existing, now, moved_to):
    """The fetch's outcome on `source` (its fields set, not saved) and its new items (not
    inserted). `moved_to` holds the addresses this batch already moved feeds to."""
    source.last_fetched_at = now
    source.last_status_code = result.status
    if (
        result.moved_to
        and result.moved_to != source.url
        and result.moved_to not in moved_to
        and not FeedSource.objects.filter(url=result.moved_to).exists()
    ):
        source.moved_from, source.url = source.url, result.moved_to
        moved_to.add(source.url)
    if result.error or result.status not in (200, 304):
        return _failure(source, result, now), []
    if result.not_modified:
        _success(source, result, now)
        return {"status": "not modified"}, []
    fresh, updated = _items_prepare(source=source, keyed=keyed, existing=existing)
    _success(source, result, now)
    return {"status": "fetched", "updated": updated}, fresh


def _success(source, result, now):
    source.etag = result.etag[:500]
    source.last_modified = result.last_modified[:100]
    source.last_success_at = now
    source.error_count = 0
    source.failing_since = None
    source.last_error = ""
    source.next_fetch_at = now + REFRESH_INTERVAL


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
    return {"status": outcome, "error": source.last_error}


def _problem(source, now):
    """The feed's problem a contact should hear about, if any: failing, moved or silent."""
    if source.failing_since and now - source.failing_since >= datetime.timedelta(days=FAILING_DAYS_BEFORE_NOTICE):
        return "failing"
    if source.moved_from:
        return "moved"
    quiet_since = source.last_new_item_at or source.created_at
    if source.last_success_at and now - quiet_since >= datetime.timedelta(days=SILENT_DAYS_BEFORE_NOTICE):
        return "silent"
    return ""


def _problem_notify(source):
    """One short email to the partnership's contact per problem, not one per failed fetch;
    once the feed is healthy again, a later problem is told again. The caller saves the
    source's `problem_notified` and `moved_from`."""
    problem = _problem(source, timezone.now())
    if problem == source.problem_notified:
        return
    contact = source.partnership.contact_email if source.partnership_id else ""
    if problem and contact:
        context = {
            "source": source,
            "problem": problem,
            "partnership": source.partnership,
            "failing_days": FAILING_DAYS_BEFORE_NOTICE,
            "silent_days": SILENT_DAYS_BEFORE_NOTICE,
            "site_name": settings.WAGTAIL_SITE_NAME,
            "base_url": settings.BASE_URL,
        }
        subject = render_to_string("email/feed_problem_subject.txt", context).strip()
        send_mail(subject, render_to_string("email/feed_problem.txt", context), None, [contact])
        logger.info("feed problem notified", extra={"feed": source.pk, "problem": problem})
    source.problem_notified = problem
    source.moved_from = ""  # a move is told once


def _identity(entry, mode):
    if mode == FeedSource.Identity.GUID:
        return entry.guid
    if mode == FeedSource.Identity.LINK:
        return entry.link
    return entry.content_hash


def _identity_mode(source, entries):
    """The strongest identity that is present and unique across this batch of entries."""
    modes = [FeedSource.Identity.GUID, FeedSource.Identity.LINK, FeedSource.Identity.HASH]
    for mode in modes[modes.index(source.identity) :]:
        values = [_identity(entry, mode) for entry in entries]
        if all(values) and len(set(values)) == len(values):
            return mode
    return FeedSource.Identity.HASH


def items_store(*, source, entries):
    """Insert new entries and update edited ones in place. Returns (new, updated)."""
    keyed = _items_keyed(source=source, entries=entries)
    fresh, updated = _items_prepare(source=source, keyed=keyed, existing=_items_existing({source.pk: keyed}))
    return _items_create(fresh), updated


def _items_keyed(*, source, entries):
    """The entries by identity key (the strongest identity this batch of entries allows)."""
    mode = _identity_mode(source, entries)
    if mode != source.identity:
        source.identity = mode  # weaker from now on; never silently stronger again
    return {digest(_identity(entry, mode)): entry for entry in entries}


def _items_existing(keyed_per_source):
    """The stored items of these keys, by (source id, key): one query for many feeds."""
    keys = {key for keyed in keyed_per_source.values() for key in keyed}
    if not keys:
        return {}
    items = NewsItem.objects.filter(source_id__in=keyed_per_source, identity_key__in=keys)
    return {(item.source_id, item.identity_key): item for item in items}


def _items_prepare(*, source, keyed, existing):
    """Update edited entries in place; return (the new entries as unsaved items, updated)."""
    fresh, updated = [], 0
    for key, entry in keyed.items():
        item = existing.get((source.pk, key))
        if item is None:
            fresh.append(
                NewsItem(
                    source=source,
                    identity_key=key,
                    guid=entry.guid,
                    link=entry.link,
                    title=entry.title,
                    summary=entry.summary,
                    content_html=entry.content_html,
                    image_url=entry.image_url,
                    published_at=entry.published_at,
                    content_hash=entry.content_hash,
                    story_key=entry.story_key,
                )
            )
        elif item.content_hash != entry.content_hash:
            for name in ("guid", "link", "title", "summary", "content_html", "image_url", "content_hash", "story_key"):
                setattr(item, name, getattr(entry, name))
            item.save()
            updated += 1
    return fresh, updated


def _items_create(items):
    """Insert new items and index them at once. Returns how many were inserted."""
    inserted = _items_insert(items)
    if inserted:
        news_items_index(item_ids=[item.pk for item in inserted])
    return len(inserted)


def _items_insert(items):
    """Insert new items in one statement; if another worker stored some of them meanwhile,
    fall back to one by one, skipping those. Returns the items inserted (the caller has
    them indexed)."""
    if not items:
        return []
    try:
        with transaction.atomic():
            NewsItem.objects.bulk_create(items)
    except IntegrityError:
        created = []
        for item in items:
            item.pk = None
            try:
                with transaction.atomic():
                    item.save()  # indexed by Wagtail's save signal
            except IntegrityError:
                continue
            created.append(item)
        return created
    page_cache_invalidate()  # a bulk insert sends no save signal
    return items
