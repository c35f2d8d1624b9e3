"""Feed documents (RSS, Atom, JSON Feed) to normalized, sanitized entries."""

import datetime
import hashlib
import json
import multiprocessing
import threading
import time
from concurrent.futures import CancelledError, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit

import feedparser
from django.utils import timezone

from website.sanitize import plain_text, sanitize_html, text_to_html

MAX_ENTRIES = 200
PARSE_TIMEOUT_SECONDS = 60  # a feed's parsing in a pool process; a 5 MB feed takes a few seconds


class NotAFeed(Exception):
    """The document fetched is not a feed we can read (an HTML page, broken XML...)."""


@dataclass
class Entry:
    guid: str
    link: str
    title: str
    summary: str
    content_html: str
    image_url: str
    published_at: datetime.datetime

    @property
    def content_hash(self):
        return digest("\n".join([self.title, self.link, self.summary, self.content_html]))

    @property
    def story_key(self):
        return story_key(title=self.title, link=self.link)


STORY_TITLE_MIN_WORDS = 4  # "Board meeting" from two partners is not one story


def story_key(*, title, link):
    """The same story posted by several partnerships: the same title (each partner often
    links its own copy of it), or, for a title too short to tell, the same link, query dropped."""
    words = title.lower().split()
    if len(words) >= STORY_TITLE_MIN_WORDS or not link:
        return digest(" ".join(words))
    parts = urlsplit(link)
    return digest(urlunsplit((parts.scheme, parts.netloc.lower(), parts.path.rstrip("/"), "", "")))


def digest(value):
    return hashlib.sha256(value.encode("utf-8", "replace")).hexdigest()


def safe_link(value, *, base):
    """An absolute http(s) URL, or "" for anything else (javascript:, data:, mailto:...)."""
    if not value:
        return ""
    url = urljoin(base, value.strip())
    return url if urlsplit(url).scheme in ("http", "https") and len(url) <= 1000 else ""


def entry_date(value, *, now):
    """A published date that is neither missing nor in the future."""
    if value is None:
        return now
    if isinstance(value, time.struct_time):
        value = datetime.datetime(*value[:6], tzinfo=datetime.UTC)
    return min(value, now)


def parse_feed(body, *, url, content_type="", now=None):
    """The entries of a feed document, newest first, at most MAX_ENTRIES. Given `now`, it
    needs no Django settings (a pool process has none)."""
    now = now or timezone.now()
    head = body[:2048].lstrip().lower()
    if "json" in content_type or head.startswith(b"{"):
        entries = _parse_json_feed(body, url=url, now=now)
    else:
        entries = _parse_xml_feed(body, url=url, content_type=content_type, now=now, head=head)
    entries.sort(key=lambda entry: entry.published_at, reverse=True)
    return entries[:MAX_ENTRIES]


def _parse_xml_feed(body, *, url, content_type, now, head):
    parsed = feedparser.parse(
        body,
        response_headers={"content-location": url, "content-type": content_type or "application/xml"},
        sanitize_html=False,
        resolve_relative_uris=False,
    )
    if not parsed.get("version"):
        if b"<html" in head or b"<!doctype html" in head:
            raise NotAFeed("an HTML page, not a feed")
        raise NotAFeed(f"not a feed ({parsed.get('bozo_exception', 'unknown format')})")
    entries = []
    for raw in parsed.entries[: MAX_ENTRIES * 2]:
        link = safe_link(raw.get("link"), base=url)
        content = ""
        if raw.get("content"):
            block = raw.content[0]
            content = _as_html(block.get("value", ""), block.get("type", "text/html"))
        summary_html = _as_html(raw.get("summary", ""), raw.get("summary_detail", {}).get("type", "text/html"))
        title = plain_text(raw.get("title", ""), limit=500) or plain_text(summary_html, limit=120) or link
        if not title:
            continue
        image = ""
        for candidate in raw.get("media_thumbnail", []) + raw.get("media_content", []):
            image = safe_link(candidate.get("url"), base=url)
            if image:
                break
        if not image:
            for enclosure in raw.get("enclosures", []):
                if enclosure.get("type", "").startswith("image/"):
                    image = safe_link(enclosure.get("href"), base=url)
                    break
        entries.append(
            Entry(
                guid=(raw.get("id") or "")[:1000],
                link=link,
                title=title,
                summary=plain_text(summary_html or content, limit=600),
                content_html=content or summary_html,
                image_url=image,
                published_at=entry_date(raw.get("published_parsed") or raw.get("updated_parsed"), now=now),
            )
        )
    return entries


def _as_html(value, kind):
    """Feed content as sanitized HTML; text/plain content is escaped, never interpreted."""
    if "html" in (kind or ""):
        return sanitize_html(value)
    return text_to_html(value)


def _parse_json_feed(body, *, url, now):
    try:
        data = json.loads(body)
    except ValueError as error:
        raise NotAFeed(f"not valid JSON: {error}") from error
    if not isinstance(data, dict) or "jsonfeed.org" not in str(data.get("version", "")):
        raise NotAFeed("JSON that is not a JSON Feed")
    entries = []
    for raw in data.get("items", [])[: MAX_ENTRIES * 2]:
        if not isinstance(raw, dict):
            continue
        content = (
            sanitize_html(raw["content_html"])
            if isinstance(raw.get("content_html"), str)
            else text_to_html(str(raw.get("content_text") or ""))
        )
        link = safe_link(str(raw.get("url") or ""), base=url)
        title = plain_text(str(raw.get("title") or ""), limit=500) or plain_text(content, limit=120) or link
        if not title:
            continue
        published = None
        if raw.get("date_published"):
            try:
                published = datetime.datetime.fromisoformat(str(raw["date_published"]).replace("Z", "+00:00"))
                if published.tzinfo is None:
                    published = published.replace(tzinfo=datetime.UTC)
            except ValueError:
                published = None
        entries.append(
            Entry(
                guid=str(raw.get("id") or "")[:1000],
                link=link,
                title=title,
                summary=plain_text(str(raw.get("summary") or "") or content, limit=600),
                content_html=content,
                image_url=safe_link(str(raw.get("image") or ""), base=url),
                published_at=entry_date(published, now=now),
            )
        )
    return entries


class FeedParserPool:
    """`parse_feed` in worker processes, so parsing and sanitising run on another core
    than the fetch loop and the storing, instead of sharing their GIL (#16).

    The workers are spawned, not forked: the parent has threads and database connections,
    and a worker imports this module alone (no Django setup, no database); it is given the
    bytes and `now`, and returns plain `Entry` objects or NotAFeed. A worker that dies on a
    feed (a crash in a C library) or takes longer than PARSE_TIMEOUT_SECONDS breaks the
    pool: the pool is replaced and each feed caught in it (or waited for in vain) is parsed
    again, one at a time in a process of its own, so only the feed that did it fails, with
    a NotAFeed saying why.
    """

    def __init__(self, processes, *, parse=parse_feed):
        self._processes = processes
        self._parse = parse  # a module-level function a spawned process can import
        self._lock = threading.Lock()  # submit runs in the fetch thread, entries in the storing one
        self._executor = self._started(processes)
        self._quarantine_lock = threading.Lock()
        self._quarantine = None  # started when a feed breaks the pool

    @staticmethod
    def _started(processes):
        return ProcessPoolExecutor(max_workers=processes, mp_context=multiprocessing.get_context("spawn"))

    def submit(self, body, *, url, content_type, now):
        """Start parsing a feed; `entries` of what this returns waits for its entries."""
        with self._lock:
            executor = self._executor
            try:
                return executor, executor.submit(self._parse, body, url=url, content_type=content_type, now=now)
            except BrokenProcessPool:
                return executor, None

    def entries(self, parsing, body, *, url, content_type, now):
        """The entries `submit` started parsing, or NotAFeed."""
        executor, future = parsing
        try:
            if future is None:
                raise BrokenProcessPool
            return future.result(timeout=PARSE_TIMEOUT_SECONDS)
        # Cancelled: queued in a pool stopped for a feed stuck before it; a wait in vain may
        # have been spent behind such a feed too.
        except (BrokenProcessPool, CancelledError, TimeoutError):
            self._replace(executor)
        with self._quarantine_lock:  # one at a time: if its process dies, this feed is the one that does it
            self._quarantine = self._quarantine or self._started(1)
            try:
                return self._quarantine.submit(self._parse, body, url=url, content_type=content_type, now=now).result(
                    timeout=PARSE_TIMEOUT_SECONDS
                )
            except TimeoutError:
                self._quarantine, stuck = None, self._quarantine
                _stopped(stuck)
                raise NotAFeed(f"parsing took longer than {PARSE_TIMEOUT_SECONDS} s") from None
            except BrokenProcessPool:
                self._quarantine, broken = None, self._quarantine
                _stopped(broken)
                raise NotAFeed("the parser's process died on this feed") from None

    def _replace(self, executor):
        with self._lock:
            if self._executor is executor:
                self._executor = self._started(self._processes)
        _stopped(executor)

    def close(self, *, wait=True):
        """Stop the processes: once their work is done, or at once (`wait=False`)."""
        with self._lock, self._quarantine_lock:
            for executor in (self._executor, self._quarantine):
                if executor is not None:
                    _stopped(executor, wait=wait)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, *exc_info):
        self.close(wait=exc_type is None)  # after an error, no parse is waited for any more


def _stopped(executor, *, wait=False):
    """Stop an executor's processes, also one stuck in a feed: `shutdown` alone waits for
    running work, and ProcessPoolExecutor can end its processes only from Python 3.14 on."""
    if not wait:
        for process in list((executor._processes or {}).values()):
            process.kill()
    executor.shutdown(wait=wait, cancel_futures=True)
