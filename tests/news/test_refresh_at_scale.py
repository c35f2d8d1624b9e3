"""A refresh pass over many feeds on several hosts: both concurrency limits hold, answers
are stored in batches while others are still being fetched, and what a pass stores is
found by site search, whether indexed at once or by the task a worker's pass queues."""

import asyncio
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from bs4 import BeautifulSoup

from news import services
from news.client import GuardedTransport
from news.models import FeedSource, NewsItem
from news.services import PER_HOST, feed_sources_refresh
from news.tasks import refresh_due_feeds
from tests.news.conftest import rss

pytestmark = pytest.mark.django_db

HOSTS = ("127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4")
FEEDS_PER_HOST = 5


class CountingServers:
    """One server per loopback host, each answer 0.2 s late (a 304 to a request that
    names the feed's ETag), counting the requests in flight and the connections open,
    per host and in all, their peaks, and the connections opened per host."""

    def __init__(self):
        self.lock = threading.Lock()
        self.in_flight, self.connections, self.opened = {}, {}, {}
        self.peak_in_flight, self.peak_connections = {}, {}
        self.peak_in_flight_overall = 0
        counting = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as real feed hosts do

            def do_GET(self):
                host = self.server.server_address[0]
                with counting.lock:
                    counting.in_flight[host] = counting.in_flight.get(host, 0) + 1
                    counting.peak_in_flight[host] = max(counting.peak_in_flight.get(host, 0), counting.in_flight[host])
                    overall = sum(counting.in_flight.values())
                    counting.peak_in_flight_overall = max(counting.peak_in_flight_overall, overall)
                time.sleep(0.2)
                number = self.path.rsplit("/", 1)[-1]
                etag = f'"{number}"'
                if self.headers.get("If-None-Match") == etag:
                    with counting.lock:
                        counting.in_flight[host] -= 1
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                body = rss(
                    {
                        "guid": number,
                        "title": f"Literacy coaches report {number}",
                        "link": f"https://m.example.org/{number}",
                    }
                )
                with counting.lock:
                    counting.in_flight[host] -= 1
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("ETag", etag)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def process_request_thread(self, request, client_address):
                host = self.server_address[0]
                with counting.lock:
                    counting.opened[host] = counting.opened.get(host, 0) + 1
                    counting.connections[host] = counting.connections.get(host, 0) + 1
                    counting.peak_connections[host] = max(
                        counting.peak_connections.get(host, 0), counting.connections[host]
                    )
                try:
                    super().process_request_thread(request, client_address)
                finally:
                    with counting.lock:
                        counting.connections[host] -= 1

        self.servers = [Server((host, 0), Handler) for host in HOSTS]
        for server in self.servers:
            threading.Thread(target=server.serve_forever, daemon=True).start()

    def addresses(self):
        return [f"{host}:{port}" for host, port in (server.server_address for server in self.servers)]

    def close(self):
        for server in self.servers:
            server.shutdown()
            server.server_close()


@pytest.fixture
def counting_servers(settings):
    servers = CountingServers()
    settings.FEEDS_ALLOWED_PRIVATE_HOSTS = servers.addresses()
    yield servers
    servers.close()


@pytest.fixture
def sources(counting_servers):
    return [
        FeedSource.objects.create(name=f"Feed {host} {n}", url=f"http://{host}/feed/{index}")
        for index, (host, n) in enumerate(
            (address, n) for address in counting_servers.addresses() for n in range(FEEDS_PER_HOST)
        )
    ]


def test_the_global_limit_holds_and_so_does_the_per_host_one(counting_servers, sources, settings):
    settings.FEEDS_CONCURRENCY = 3

    totals = feed_sources_refresh(sources=sources)

    assert totals["fetched"] == len(sources)
    assert counting_servers.peak_in_flight_overall == 3, "never more than FEEDS_CONCURRENCY at once, and that many"
    assert max(counting_servers.peak_in_flight.values()) <= PER_HOST


def test_a_higher_global_limit_leaves_only_the_per_host_one(counting_servers, sources, settings):
    settings.FEEDS_CONCURRENCY = 100

    feed_sources_refresh(sources=sources)

    assert counting_servers.peak_in_flight == dict.fromkeys(HOSTS, PER_HOST), "each host at its limit, never above"
    assert counting_servers.peak_in_flight_overall == PER_HOST * len(HOSTS)
    assert max(counting_servers.peak_connections.values()) <= PER_HOST, "no host gets more connections either"


def test_a_pass_of_304s_keeps_each_hosts_connections_for_its_next_feeds(counting_servers, sources):
    feed_sources_refresh(sources=sources)
    counting_servers.opened.clear()
    for source in sources:
        source.refresh_from_db()

    totals = feed_sources_refresh(sources=sources)

    assert totals["not modified"] == len(sources)
    assert counting_servers.opened == dict.fromkeys(HOSTS, PER_HOST), "not one connection per feed"


def test_the_client_has_at_most_its_connections_in_flight_and_as_many_kept_idle(counting_servers):
    async def fetch_all():
        async with httpx.AsyncClient(transport=GuardedTransport(connections=4)) as client:
            await asyncio.gather(
                *(
                    client.get(f"http://{address}/feed/{n}")
                    for address in counting_servers.addresses()
                    for n in range(5)
                )
            )
            for _ in range(100):  # the server sees a closed connection a moment later
                if sum(counting_servers.connections.values()) <= 4:
                    break
                await asyncio.sleep(0.02)
            return sum(counting_servers.connections.values())

    kept_idle = asyncio.run(fetch_all())

    assert counting_servers.peak_in_flight_overall == 4, "the fifth request waits for a slot, across origins"
    assert kept_idle <= 4, "2 idle for each of the 2 origins used last; the others' pools are closed"


def test_answers_are_stored_in_batches_while_the_rest_are_fetched(counting_servers, sources, monkeypatch):
    monkeypatch.setattr(services, "STORE_BATCH", 3)
    batches = []

    totals = feed_sources_refresh(sources=sources, progress=lambda done, total: batches.append((done, total)))

    assert (totals["fetched"], totals["new items"]) == (len(sources), len(sources))
    assert len(batches) > 1 and batches[-1] == (len(sources), len(sources))
    assert all(1 <= later - earlier <= 3 for (earlier, _), (later, _) in zip([(0, 0), *batches], batches, strict=False))
    assert NewsItem.objects.count() == len(sources)
    assert not FeedSource.objects.filter(last_success_at=None).exists(), "every feed's fetch state is written"


def test_an_error_while_fetching_is_raised_not_waited_for(sources, monkeypatch):
    async def broken(*args, **kwargs):
        raise RuntimeError("the fetcher broke")

    monkeypatch.setattr(services, "feed_fetch", broken)

    with pytest.raises(RuntimeError, match="the fetcher broke"):
        feed_sources_refresh(sources=sources)


def site_search(client, query):
    """The number of results site search reports, and the titles on its first page."""
    soup = BeautifulSoup(client.get("/search/", {"q": query}).content, "html.parser")
    count = int(soup.select_one(".results-count").get_text().split()[0])
    return count, {heading.get_text() for heading in soup.select(".search-results h2")}


def test_items_indexed_in_bulk_are_found_by_site_search(client, home_page, counting_servers, sources):
    feed_sources_refresh(sources=sources)

    count, titles = site_search(client, "literacy coaches")
    assert count == len(sources)
    assert titles and titles <= {f"Literacy coaches report {index}" for index in range(len(sources))}


def test_items_a_worker_pass_stored_are_found_once_its_index_tasks_ran(client, home_page, counting_servers, sources):
    refresh_due_feeds.enqueue()  # the immediate backend runs it, and the index tasks it queues, at once

    assert site_search(client, "literacy coaches")[0] == len(sources)
