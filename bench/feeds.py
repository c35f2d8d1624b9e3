"""Feed refresh benchmark: 1,000 feeds served on loopback, each answer 100 ms late.

Prints the wall time of a first pass (every feed fetched, parsed and stored) and of a
second pass (every feed answers 304 to the conditional GET), each beside its floor
measured in the same run (the feeds are served by a process of their own, so the floor
is the fetcher's alone): the same feeds fetched through the same client with the same
politeness (global and per-host limits), parsed with feedparser alone as each answer
arrives and never stored (for the second pass: the conditional requests alone). As in
production the pass queues the indexing of its new items on the tasks framework; a
`db_worker` then runs those tasks, timed on their own line. The naive baseline,
sequential `feedparser.parse(url)`, is printed too.

    scripts/bench.sh feeds
    BENCH_FEEDS=200 scripts/bench.sh feeds
"""

import asyncio
import multiprocessing
import os
import threading
import time
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from bench import setup_django

FEEDS = int(os.environ.get("BENCH_FEEDS", "1000"))
HOSTS = 50  # feeds are spread over 127.0.0.2 ... so per-host politeness applies as in real life
LATENCY_SECONDS = 0.1
ITEMS_PER_FEED = 10


def _rss(number):
    import datetime

    latest = datetime.datetime(2026, 11, 20, 12, tzinfo=datetime.UTC)
    items = "".join(
        f"<item><guid>https://member-{number}.example.org/news/{item}</guid>"
        f"<link>https://member-{number}.example.org/news/{item}</link><title>Story {item} from member {number}</title>"
        f"<description>&lt;p&gt;What happened at member {number}, part {item}.&lt;/p&gt;</description>"
        f"<pubDate>{format_datetime(latest - datetime.timedelta(hours=item))}</pubDate></item>"
        for item in range(ITEMS_PER_FEED)
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Member {number}</title>'
        f"<link>https://member-{number}.example.org/</link><description>News</description>{items}</channel></rss>"
    ).encode()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        time.sleep(LATENCY_SECONDS)
        number = int(self.path.rsplit("/", 1)[-1])
        etag = f'"feed-{number}"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = _rss(number)
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("ETag", etag)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def _serve(connection):
    servers = []
    for host in range(HOSTS):
        server = ThreadingHTTPServer((f"127.0.0.{host + 2}", 0), _Handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    connection.send([server.server_address for server in servers])
    connection.recv()  # until the benchmark is done
    for server in servers:
        server.shutdown()


def _servers_started():
    """The feed servers' addresses, and a function that stops them. They run in a process
    of their own, so their threads share neither the GIL nor the profile of the fetcher
    being measured."""
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    process = context.Process(target=_serve, args=(theirs,), daemon=True)
    process.start()
    addresses = ours.recv()

    def stop():
        ours.send("stop")
        process.join()

    return addresses, stop


async def _floor(urls, *, conditional):
    """The fetcher's politeness without its work: fetch every URL (per host, then
    globally limited, as news.services does), parse each 200 with feedparser at once."""
    from urllib.parse import urlsplit

    import feedparser
    from django.conf import settings

    from news.client import feed_client, feed_fetch
    from news.services import PER_HOST

    overall = asyncio.Semaphore(settings.FEEDS_CONCURRENCY)
    per_host = {}
    statuses = []

    async def one(client, url):
        host_slots = per_host.setdefault(urlsplit(url).hostname, asyncio.Semaphore(PER_HOST))
        etag = f'"feed-{url.rsplit("/", 1)[-1]}"' if conditional else ""
        async with host_slots, overall:
            result = await feed_fetch(client, url=url, etag=etag)
        if result.body:
            feedparser.parse(result.body)
        statuses.append(result.status)

    async with feed_client() as client:
        await asyncio.gather(*(one(client, url) for url in urls))
    return statuses


def main():
    # As in production: the pass runs on a worker and queues the indexing of what it stored.
    os.environ.setdefault("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
    setup_django(database="feeds")
    import feedparser
    from django.conf import settings
    from django.core.management import call_command

    from news.models import FeedSource
    from news.services import PER_HOST, feed_sources_refresh
    from news.tasks import index_news_items_later

    call_command("migrate", verbosity=0)
    addresses, servers_stop = _servers_started()
    settings.FEEDS_ALLOWED_PRIVATE_HOSTS = [f"{host}:{port}" for host, port in addresses]
    urls = [f"http://{addresses[n % HOSTS][0]}:{addresses[n % HOSTS][1]}/feed/{n}" for n in range(FEEDS)]
    FeedSource.objects.filter(name__startswith="Bench feed").delete()
    FeedSource.objects.bulk_create(FeedSource(name=f"Bench feed {n:04d}", url=url) for n, url in enumerate(urls))
    sources = FeedSource.objects.filter(name__startswith="Bench feed")

    print(
        f"{FEEDS} feeds on {HOSTS} loopback hosts (served by a process of their own), "
        f"{LATENCY_SECONDS * 1000:.0f} ms per answer, {ITEMS_PER_FEED} items each; "
        f"fetcher: {settings.FEEDS_CONCURRENCY} at once, {PER_HOST} per host"
    )
    print("load average at the start: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    started = time.perf_counter()
    first = feed_sources_refresh(sources=sources, index=index_news_items_later)
    first_seconds = time.perf_counter() - started
    started = time.perf_counter()
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    index_seconds = time.perf_counter() - started
    started = time.perf_counter()
    second = feed_sources_refresh(sources=sources, index=index_news_items_later)
    second_seconds = time.perf_counter() - started
    started = time.perf_counter()
    floor_statuses = asyncio.run(_floor(urls, conditional=False))
    floor_seconds = time.perf_counter() - started
    started = time.perf_counter()
    floor_304_statuses = asyncio.run(_floor(urls, conditional=True))
    floor_304_seconds = time.perf_counter() - started
    started = time.perf_counter()
    for url in urls:
        feedparser.parse(url)
    naive_seconds = time.perf_counter() - started
    servers_stop()

    print(f"{'pass':<44} {'wall s':>8} {'feeds/s':>8} {'vs floor':>9} {'vs naive':>9}")
    for label, seconds, floor in (
        (f"first pass ({first['fetched']} fetched, {first['new items']} items)", first_seconds, floor_seconds),
        ("index tasks queued by the first pass", index_seconds, None),
        ("first pass + its index tasks, one by one", first_seconds + index_seconds, floor_seconds),
        (f"second pass ({second['not modified']} not modified)", second_seconds, floor_304_seconds),
        (f"floor: fetch + feedparser ({floor_statuses.count(200)} x 200)", floor_seconds, floor_seconds),
        (f"floor: conditional fetch ({floor_304_statuses.count(304)} x 304)", floor_304_seconds, floor_304_seconds),
        ("naive: sequential feedparser.parse", naive_seconds, None),
    ):
        vs_floor = f"{seconds / floor:>8.2f}x" if floor else f"{'':>9}"
        print(f"{label:<44} {seconds:>8.1f} {FEEDS / seconds:>8.1f} {vs_floor} {naive_seconds / seconds:>8.1f}x")
    print("load average at the end: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
