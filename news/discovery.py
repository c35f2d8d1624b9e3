"""Feed autodiscovery: from a website's address to its feed's.

The page's own `<link rel="alternate">` feeds first (RSS, Atom, JSON Feed), then the
paths sites commonly use. Every candidate is fetched through the same guarded client
as the feeds themselves and must parse as a feed.
"""

import asyncio
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from .client import feed_client, feed_fetch
from .parsing import NotAFeed, parse_feed

FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/feed+json",
    "application/json",
    "application/rdf+xml",
    "text/xml",
    "application/xml",
)
COMMON_PATHS = (
    "/feed",
    "/feed/",
    "/rss",
    "/rss.xml",
    "/feed.xml",
    "/atom.xml",
    "/index.xml",
    "/feed.json",
    "/news/feed/",
    "/blog/feed/",
)
MAX_CANDIDATES = 5


class _AlternateLinks(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag != "link":
            return
        attributes = {name.lower(): (value or "") for name, value in attrs}
        rels = attributes.get("rel", "").lower().split()
        kind = attributes.get("type", "").lower().split(";")[0].strip()
        if "alternate" in rels and kind in FEED_TYPES and attributes.get("href"):
            self.hrefs.append(attributes["href"].strip())


def alternate_feed_links(html, *, base_url):
    """The feed links a page announces, made absolute, in page order."""
    parser = _AlternateLinks()
    parser.feed(html)
    return list(dict.fromkeys(urljoin(base_url, href) for href in parser.hrefs))[:MAX_CANDIDATES]


async def _is_feed(client, url):
    result = await feed_fetch(client, url=url)
    if result.error or result.status != 200 or not result.body:
        return None, result
    try:
        parse_feed(result.body, url=result.url, content_type=result.content_type)
    except NotAFeed:
        return None, result
    return result.url, result


async def feed_discover(client, *, url):
    """The feed URL for a website (or a feed URL itself), or None when none is found."""
    found, page = await _is_feed(client, url)
    if found:
        return found
    candidates = []
    if page.body and not page.error and "html" in page.content_type:
        candidates += alternate_feed_links(page.body.decode("utf-8", "replace"), base_url=page.url)
    root = "{0.scheme}://{0.netloc}".format(urlsplit(page.url or url))
    candidates += [root + path for path in COMMON_PATHS if root + path not in candidates]
    for candidate in candidates:
        found, _ = await _is_feed(client, candidate)
        if found:
            return found
    return None


def feed_url_discover(url):
    """Synchronous `feed_discover` with its own client, for forms and commands."""

    async def run():
        async with feed_client() as client:
            return await feed_discover(client, url=url)

    return asyncio.run(run())
