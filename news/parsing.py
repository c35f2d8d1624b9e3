"""Feed documents (RSS, Atom, JSON Feed) to normalized, sanitized entries."""

import datetime
import hashlib
import json
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit

import feedparser
from django.utils import timezone

from website.sanitize import plain_text, sanitize_html, text_to_html

MAX_ENTRIES = 200


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


def parse_feed(body, *, url, content_type=""):
    """The entries of a feed document, newest first, at most MAX_ENTRIES."""
    now = timezone.now()
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
