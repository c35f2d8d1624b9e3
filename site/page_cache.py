"""Whole-page caching of Wagtail pages, their feeds, site search and the sitemap for
anonymous visitors.

A page is rendered once per generation and path; every anonymous visitor gets that HTML
with their own CSRF token put in place of the one it was rendered with (every page has
the newsletter form), so cached pages stay postable. Anything the public can see
changing (a page published, unpublished, moved or deleted, a snippet or setting saved,
member news stored) starts a new generation, so nobody sees a stale page after a
publish. Browsers revalidate: an ETag names the generation and a matching
If-None-Match gets a 304.

With several processes, keep the cache in Redis (CACHE_URL) so a new generation reaches
all of them; with the local-memory default each process notices at most
PAGE_CACHE_SECONDS later.
"""

import hashlib
import os
import re

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse, HttpResponseNotModified
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, CSRF_TOKEN_LENGTH
from django.utils.cache import patch_vary_headers

from website.compression import accepted_encodings, compressed_frame, compressible, frame_join

GENERATION_KEY = "page-cache:generation"
TOKEN_PLACEHOLDER = "__csrf_token__"
# What the page cache notes in the WSGI environ (`request.META`) for `website.page_replay`:
# the generation and the key it looked up, and the kept page it answered with and in
# which form.
PAGE_CACHE_KEY = "website.page_cache.key"
PAGE_CACHE_ANSWER = "website.page_cache.answer"
_TOKEN_VALUE = re.compile(r'(name="csrfmiddlewaretoken" value=")([^"]+)(")')
_KEPT_HEADERS = ("Content-Type", "Content-Language", "Content-Security-Policy", "X-Robots-Tag", "Link")
# Views whose answer depends only on the URL and on published content, which every
# publish invalidates: Wagtail pages (and their routes: listings, RSS/Atom feeds), site
# search and the sitemap. Not the newsletter's archive: an issue is marked sent by a
# queryset update, which sends no signal.
CACHED_VIEWS = frozenset({"wagtail_serve", "search", "sitemap"})
CACHED_TYPES = ("text/html", "application/rss+xml", "application/atom+xml", "application/xml", "text/xml")


# Random bytes onto the 62 characters of a CSRF secret: 248 = 4 x 62, so bytes 0-247 map
# four to a character and 248-255 are dropped, which keeps every character equally likely.
_BYTE_TO_CHAR = bytes(ord(CSRF_ALLOWED_CHARS[byte % len(CSRF_ALLOWED_CHARS)]) for byte in range(248)) + bytes(8)
_DROPPED_BYTES = bytes(range(248, 256))
_CHAR_INDEX = {char: index for index, char in enumerate(CSRF_ALLOWED_CHARS)}
_CHAR_SUMS = {
    (char, mask): CSRF_ALLOWED_CHARS[(index + mask_index) % len(CSRF_ALLOWED_CHARS)]
    for char, index in _CHAR_INDEX.items()
    for mask, mask_index in _CHAR_INDEX.items()
}


def csrf_secret_new():
    while True:
        chars = os.urandom(2 * CSRF_SECRET_LENGTH).translate(_BYTE_TO_CHAR, _DROPPED_BYTES)
        if len(chars) >= CSRF_SECRET_LENGTH:
            return chars[:CSRF_SECRET_LENGTH].decode()


def visitor_csrf_token(request):
    """What `django.middleware.csrf.get_token` returns and leaves in `request.META` (the
    visitor's secret, from their cookie or new, and the mark that has
    CsrfViewMiddleware set the cookie), the secret masked the same way, with the same
    alphabet and lengths. Django draws each of the 64 random characters through
    `secrets.choice`, one system call apiece: a third of a cached page's time."""
    secret = request.META.get("CSRF_COOKIE")
    if secret is None:
        secret = request.META["CSRF_COOKIE"] = csrf_secret_new()
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    return csrf_secret_masked(secret)


def csrf_secret_masked(secret):
    """A token for `secret`, masked afresh (Django's BREACH defence), as Django masks it."""
    mask = csrf_secret_new()
    return mask + "".join(map(_CHAR_SUMS.__getitem__, zip(secret, mask, strict=True)))


def page_cache_generation():
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        generation = cache.get(GENERATION_KEY, 1)
    return generation


# How long a read is kept for its generation. The generation lives in the cache too, so
# with Redis a publish reaches every process at once; with the local-memory default
# another process sees it when its copy expires.
KEPT_READ_SECONDS = 60
_MISSING = object()


def page_cache_kept(name, read, *, seconds=KEPT_READ_SECONDS):
    """`read()`, kept for the current generation under `name`: what a page shows of other
    content (its navigation, cards, a post's related posts) without asking the database
    on every render. Any publish starts a new generation, so nothing kept outlives it.
    The page is still rendered every time; this is not the page cache, and not off with it."""
    # Hashed: a name may carry a visitor's slug or many ids, and a cache key must stay
    # short and plain (memcached refuses spaces and keys over 250 characters).
    key = f"page-cache-kept:{page_cache_generation()}:{hashlib.sha256(name.encode()).hexdigest()}"
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = read()
        cache.set(key, value, seconds)
    return value


def page_cache_invalidate(**kwargs):
    """Start a new generation (a signal receiver, hence **kwargs), now and again when the
    transaction commits: a save's signal comes before its commit, and a request in between
    reads the rows as they were, which must not be kept for the rest of the generation (a
    view restriction added, a page unpublished). Outside a transaction, twice at once."""
    _generation_next()
    transaction.on_commit(_generation_next)


def _generation_next():
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # no generation yet: the next request starts one
        cache.add(GENERATION_KEY, 1, timeout=None)


def page_cache_content_saved(sender, update_fields=None, **kwargs):
    """A post_save receiver: a new generation, unless the save wrote only fields the model
    declares visitors never see (`page_cache_unseen_fields`, e.g. a feed's fetch state)."""
    unseen = getattr(sender, "page_cache_unseen_fields", frozenset())
    if update_fields and unseen.issuperset(update_fields):
        return
    page_cache_invalidate()


def _page_entry(response):
    """What the cache keeps of a page: its bytes cut where each CSRF token goes, the
    headers that describe it, and the cut bytes gzip-compressed once (`website.compression`)."""
    body = _TOKEN_VALUE.sub(rf"\g<1>{TOKEN_PLACEHOLDER}\g<3>", response.content.decode(response.charset))
    parts = [part.encode(response.charset) for part in body.split(TOKEN_PLACEHOLDER)]
    gzip_frame = compressed_frame(parts, token_length=CSRF_TOKEN_LENGTH) if compressible(response) else None
    headers = {name: response[name] for name in _KEPT_HEADERS if name in response}
    return {"parts": parts, "headers": headers, "gzip": gzip_frame}


def page_body(entry, token, *, compressed):
    """The kept page with a visitor's CSRF `token` (bytes) in its form, if it has one:
    gzip-compressed (`compressed`, the entry has a gzip frame) or plain."""
    return frame_join(entry["gzip"], token) if compressed else token.join(entry["parts"])


def _page_response(request, entry, *, hit):
    """The kept page, gzip-compressed when the visitor accepts gzip (CompressionMiddleware
    leaves a response that has its Content-Encoding, and compresses the plain page for a
    client that accepts only brotli). Noted in the request for `website.page_replay`."""
    compressed = entry["gzip"] is not None and "gzip" in accepted_encodings(request)
    request.META[PAGE_CACHE_ANSWER] = (entry, compressed)
    token = visitor_csrf_token(request).encode() if len(entry["parts"]) > 1 else b""
    response = HttpResponse(page_body(entry, token, compressed=compressed), headers=entry["headers"])
    if compressed:
        response["Content-Encoding"] = "gzip"
        patch_vary_headers(response, ["Cookie", "Accept-Encoding"])  # in the order the middleware gives them
    response["X-Page-Cache"] = "hit" if hit else "miss"
    return response


def _page_key(request):
    """The cache key and the ETag of the page a request asks for, in this generation."""
    generation = page_cache_generation()
    digest = hashlib.sha256(f"{request.get_host()}{request.get_full_path()}".encode()).hexdigest()
    key = f"page-cache:{generation}:{digest}"
    request.META[PAGE_CACHE_KEY] = (generation, key)
    return key, f'W/"{generation}-{digest[:16]}"'


def _anonymous_read(request):
    return (
        settings.PAGE_CACHE_SECONDS
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.path.startswith(tuple(settings.PAGE_CACHE_EXEMPT_PATHS))
    )


class AnonymousPageCacheMiddleware:
    """Sits inside CsrfViewMiddleware, so the token it hands out also sets the cookie."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _anonymous_read(request):
            return self.get_response(request)
        key, etag = _page_key(request)
        if etag in request.headers.get("If-None-Match", ""):
            return self._validators(HttpResponseNotModified(), etag)
        entry = cache.get(key)
        hit = entry is not None
        if not hit:
            response = self.get_response(request)
            if not self._cacheable(request, response):
                return response
            entry = _page_entry(response)
            cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
        return self._validators(_page_response(request, entry, hit=hit), etag)

    @staticmethod
    def _validators(response, etag):
        response["ETag"] = etag
        response["Cache-Control"] = "no-cache"  # browsers may keep it, and ask again each time
        patch_vary_headers(response, ["Cookie"])
        return response

    @staticmethod
    def _cacheable(request, response):
        match = request.resolver_match
        return (
            match is not None
            and match.view_name in CACHED_VIEWS
            and response.status_code == 200
            and not response.streaming
            and response.get("Content-Type", "").startswith(CACHED_TYPES)
            and "private" not in response.get("Cache-Control", "")
            and not response.cookies.keys() - {settings.CSRF_COOKIE_NAME}
        )
