"""Fetching member feeds politely and safely: one async httpx client, guarded connections,
conditional requests, manual redirects, a total deadline and a bounded body."""

import asyncio
import collections
import contextlib
import email.utils
import zlib
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx
from django.conf import settings

from .guard import GuardedNetworkBackend, RefusedAddress

TOTAL_DEADLINE_SECONDS = 20
CONNECT_TIMEOUT_SECONDS = 5
MAX_BODY_BYTES = 5 * 1024 * 1024
MAX_REDIRECTS = 5
KEEPALIVE_PER_ORIGIN = 2  # idle connections kept per origin: what the fetcher's politeness uses at once
FEED_CONTENT_TYPES = ("xml", "rss", "atom", "json", "text/plain", "octet-stream")


# httpcore's errors as the httpx errors callers catch (same names, httpx's public classes).
HTTPCORE_ERRORS = {
    httpcore.ConnectTimeout: httpx.ConnectTimeout,
    httpcore.ReadTimeout: httpx.ReadTimeout,
    httpcore.WriteTimeout: httpx.WriteTimeout,
    httpcore.PoolTimeout: httpx.PoolTimeout,
    httpcore.ConnectError: httpx.ConnectError,
    httpcore.ReadError: httpx.ReadError,
    httpcore.WriteError: httpx.WriteError,
    httpcore.RemoteProtocolError: httpx.RemoteProtocolError,
    httpcore.LocalProtocolError: httpx.LocalProtocolError,
    httpcore.UnsupportedProtocol: httpx.UnsupportedProtocol,
}


@contextlib.contextmanager
def _as_httpx_errors():
    try:
        yield
    except tuple(HTTPCORE_ERRORS) as error:
        httpx_error = next(mapped for core, mapped in HTTPCORE_ERRORS.items() if isinstance(error, core))
        raise httpx_error(str(error)) from error


class _GuardedStream(httpx.AsyncByteStream):
    def __init__(self, stream, *, on_close):
        self._stream = stream
        self._on_close = on_close

    async def __aiter__(self):
        with _as_httpx_errors():
            async for chunk in self._stream:
                yield chunk

    async def aclose(self):
        try:
            await self._stream.aclose()
        finally:
            if self._on_close:
                self._on_close, on_close = None, self._on_close
                await on_close()


class GuardedTransport(httpx.AsyncBaseTransport):
    """An httpx transport (httpx's public extension point) over httpcore connection
    pools, one per origin, that open every connection through the SSRF guard's network
    backend.

    One pool per origin, not one for all: httpcore's pool looks over every connection it
    holds, several times, on each request and each answer, so one pool of 100 connections
    spent more CPU on that than on HTTP (#16); a host's own pool holds the two its
    feeds use. The bounds of one pool stay: at most `connections` requests at once in
    all (a request waits for a slot up to the pool timeout), and at most `connections`
    idle connections kept, KEEPALIVE_PER_ORIGIN for each of the origins used last.
    """

    def __init__(self, *, connections):
        self._connections = connections
        self._slots = asyncio.Semaphore(self._connections)
        self._ssl_context = httpx.create_ssl_context()
        self._network_backend = GuardedNetworkBackend()
        self._pools = collections.OrderedDict()  # origin -> pool, the least recently used first
        self._in_flight = collections.Counter()  # origin -> requests whose answer is not closed

    def _pool(self, origin):
        pool = self._pools.pop(origin, None) or httpcore.AsyncConnectionPool(
            ssl_context=self._ssl_context,
            max_connections=self._connections,
            max_keepalive_connections=KEEPALIVE_PER_ORIGIN,
            keepalive_expiry=5.0,
            retries=0,
            network_backend=self._network_backend,
        )
        self._pools[origin] = pool
        return pool

    async def _close_surplus_pools(self):
        """Close the least recently used pools with nothing in flight, down to the cap."""
        surplus = len(self._pools) - self._connections // KEEPALIVE_PER_ORIGIN
        if surplus <= 0:
            return
        for origin in [origin for origin in self._pools if not self._in_flight[origin]][:surplus]:
            await self._pools.pop(origin).aclose()

    async def _take_slot(self, request):
        try:
            async with asyncio.timeout(request.extensions.get("timeout", {}).get("pool")):
                await self._slots.acquire()
        except TimeoutError:
            raise httpx.PoolTimeout("no connection slot free within the pool timeout") from None

    async def handle_async_request(self, request):
        core_request = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=request.url.raw_scheme,
                host=request.url.raw_host,
                port=request.url.port,
                target=request.url.raw_path,
            ),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        origin = (request.url.raw_scheme, request.url.raw_host, request.url.port)
        await self._take_slot(request)
        self._in_flight[origin] += 1

        async def release():
            self._in_flight[origin] -= 1
            if not self._in_flight[origin]:
                del self._in_flight[origin]
            self._slots.release()
            await self._close_surplus_pools()

        try:
            pool = self._pool(origin)
            with _as_httpx_errors():
                response = await pool.handle_async_request(core_request)
        except BaseException:
            await release()
            raise
        return httpx.Response(
            status_code=response.status,
            headers=response.headers,
            stream=_GuardedStream(response.stream, on_close=release),
            extensions=response.extensions,
        )

    async def aclose(self):
        while self._pools:
            await self._pools.popitem(last=False)[1].aclose()


def feed_client():
    return httpx.AsyncClient(
        # At least as many connections as feeds fetched at once, each kept open for the
        # host's next feed: a request never waits for a slot, a host's feeds share one.
        transport=GuardedTransport(connections=max(100, settings.FEEDS_CONCURRENCY)),
        timeout=httpx.Timeout(10.0, connect=CONNECT_TIMEOUT_SECONDS),
        follow_redirects=False,
        trust_env=False,  # an environment proxy must not route around the guard
        headers={
            "User-Agent": f"NetworkCommonsFeedFetcher/1.0 (+{settings.BASE_URL})",
            "Accept": "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, */*;q=0.5",
            "Accept-Encoding": "gzip, deflate",
        },
    )


@dataclass
class FetchResult:
    url: str
    status: int | None = None
    body: bytes | None = None
    content_type: str = ""
    etag: str = ""
    last_modified: str = ""
    moved_to: str = ""  # set when every redirect on the way was permanent (301/308)
    retry_after: int | None = None
    error: str = ""
    redirects: list = field(default_factory=list)

    @property
    def not_modified(self):
        return self.status == 304


class FetchRefused(Exception):
    """A reason not to fetch or not to keep a response (bad scheme, too large, wrong type...)."""


def _check_url(url):
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchRefused(f"only http and https URLs are fetched, not {url[:80]!r}")


def retry_after_seconds(value):
    """Retry-After as seconds: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return int(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    from django.utils import timezone

    return max(0, int((moment - timezone.now()).total_seconds()))


async def _read_bounded(response):
    """The decompressed body, refusing anything over MAX_BODY_BYTES (a gzip bomb included)."""
    encoding = response.headers.get("content-encoding", "").lower().strip()
    decompressor = None
    if encoding in ("gzip", "x-gzip", "deflate"):
        decompressor = zlib.decompressobj(zlib.MAX_WBITS | 32)  # gzip or zlib header
    elif encoding not in ("", "identity"):
        raise FetchRefused(f"unsupported content encoding {encoding!r}")
    chunks, size = [], 0
    async for raw in response.aiter_raw():
        data = raw
        while data:
            if decompressor is None:
                piece, data = data, b""
            else:
                piece = decompressor.decompress(data, MAX_BODY_BYTES + 1 - size)
                data = decompressor.unconsumed_tail
            size += len(piece)
            if size > MAX_BODY_BYTES:
                raise FetchRefused(f"body larger than {MAX_BODY_BYTES // 1024 // 1024} MB")
            chunks.append(piece)
            if decompressor is not None and not piece:
                break
    return b"".join(chunks)


async def _release_if_bodiless(response):
    """Finish an answer that has no body (a 304, or Content-Length: 0), so its connection
    goes back to the pool for the host's next feed: httpcore closes a connection whose
    answer was not read to the end. Nothing is read from the network here (the framing
    already says the answer is over); an answer with a body is left unread and its
    connection closed, as before."""
    if response.status_code == 304 or response.headers.get("content-length", "").strip() == "0":
        await response.aread()


async def feed_fetch(client, *, url, etag="", last_modified=""):
    """GET one feed within TOTAL_DEADLINE_SECONDS, following at most MAX_REDIRECTS."""
    result = FetchResult(url=url)
    try:
        async with asyncio.timeout(TOTAL_DEADLINE_SECONDS):
            await _fetch(client, result, etag=etag, last_modified=last_modified)
    except TimeoutError:
        result.error = f"no complete answer within {TOTAL_DEADLINE_SECONDS} s"
    except RefusedAddress as error:
        result.error = f"refused: {error}"
    except FetchRefused as error:
        result.error = str(error)
    except (httpx.HTTPError, httpcore.ConnectError) as error:
        cause = error.__cause__ or error.__context__
        if isinstance(cause, RefusedAddress):
            result.error = f"refused: {cause}"
        else:
            result.error = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    return result


async def _fetch(client, result, *, etag, last_modified):
    url, permanent, seen = result.url, True, {result.url}
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    for _ in range(MAX_REDIRECTS + 1):
        _check_url(url)
        async with client.stream("GET", url, headers=headers) as response:
            result.status = response.status_code
            if response.status_code in (301, 302, 303, 307, 308):
                location = response.headers.get("location")
                if not location:
                    raise FetchRefused(f"{response.status_code} without a Location header")
                target = urljoin(url, location)
                if target in seen:
                    raise FetchRefused("redirect loop")
                seen.add(target)
                permanent = permanent and response.status_code in (301, 308)
                result.redirects.append((response.status_code, target))
                await _release_if_bodiless(response)
                url = target
                continue
            result.url = url
            if permanent and result.redirects:
                result.moved_to = url
            result.etag = response.headers.get("etag", "")
            result.last_modified = response.headers.get("last-modified", "")
            result.retry_after = retry_after_seconds(response.headers.get("retry-after"))
            result.content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
            if response.status_code == 200:
                if result.content_type and not any(
                    kind in result.content_type for kind in FEED_CONTENT_TYPES + ("html",)
                ):
                    raise FetchRefused(f"not a feed: content type {result.content_type}")
                result.body = await _read_bounded(response)
            else:
                await _release_if_bodiless(response)
            return
    raise FetchRefused(f"more than {MAX_REDIRECTS} redirects")
