"""The demo site, crawled once per test session for the standards checks (HTML, feeds,
metadata): every page reachable by links and the sitemap, the error pages, and each step
of the newsletter sign-up and preference flows, with their status and body.

The demo content lives in one transaction that is rolled back at the end of the session,
so the rest of the suite never sees it."""

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core import mail
from django.db import transaction
from django.test import Client, RequestFactory, TestCase, override_settings
from django.views.defaults import server_error

from tests.conftest import demo_data_restore

# Listings link to many filtered views of themselves; a few of each show every template
# branch without crawling every combination of facets.
QUERY_VARIANTS_PER_PATH = 4
SKIPPED_PREFIXES = ("/admin/", "/django-admin/", "/documents/", "/media/", "/static/", "/anymail/")


def pytest_collection_modifyitems(items):
    """These tests read the crawl, which writes the demo data: they are database tests, so
    a test database is set up even when they run alone (pytest-django sets up only the
    databases the collected tests ask for)."""
    here = Path(__file__).parent
    for item in items:
        if item.path.is_relative_to(here):
            item.add_marker(pytest.mark.django_db)


@dataclass
class Document:
    url: str
    status: int
    content_type: str
    body: bytes

    @property
    def is_html(self):
        return self.content_type.startswith("text/html")

    @property
    def is_feed(self):
        return self.content_type.startswith(("application/rss+xml", "application/atom+xml"))

    @property
    def text(self):
        return self.body.decode()


def _site_hosts():
    """The host names this site's absolute links can carry (BASE_URL, the Wagtail site's)."""
    from wagtail.models import Site

    site = Site.objects.get(is_default_site=True)
    port = "" if site.port in (80, 443) else f":{site.port}"
    return {"", "testserver", urlsplit(settings.BASE_URL).netloc, f"{site.hostname}{port}"}


class Crawl:
    def __init__(self, client):
        self.client = client
        self.documents = {}
        self.queue = []
        self.variants = {}
        self.hosts = _site_hosts()

    def enqueue(self, url):
        url = urldefrag(url)[0]
        parts = urlsplit(url)
        if parts.netloc not in self.hosts or not parts.path.startswith("/"):
            return
        url = parts.path + (f"?{parts.query}" if parts.query else "")
        if url in self.documents or url in self.queue or parts.path.startswith(SKIPPED_PREFIXES):
            return
        if parts.query:
            seen = self.variants.setdefault(parts.path, set())
            if len(seen) >= QUERY_VARIANTS_PER_PATH:
                return
            seen.add(parts.query)
        self.queue.append(url)

    def record(self, url, response):
        document = Document(url, response.status_code, response.get("Content-Type", ""), response.content)
        self.documents[url] = document
        return document

    def run(self):
        while self.queue:
            url = self.queue.pop(0)
            document = self.record(url, self.client.get(url))
            if document.is_html:
                for link in BeautifulSoup(document.body, "html.parser").select("a[href], link[href]"):
                    if link.name == "a" or "alternate" in (link.get("rel") or []):
                        self.enqueue(link["href"])
            elif url == "/sitemap.xml":
                for loc in re.findall(rb"<loc>([^<]+)</loc>", document.body):
                    self.enqueue(loc.decode())


def _subscription_flow(crawl, client):
    """Every page a subscriber meets, from the form (empty, with errors, rate-limited) to
    erasing their data, recorded under a descriptive name."""
    from newsletter.models import Subscriber
    from newsletter.tokens import subscriber_links

    record = crawl.record
    record("signup: with errors", client.post("/newsletter/subscribe/", {"email": "not an address"}))
    with TestCase.captureOnCommitCallbacks(execute=True):  # the confirmation email goes on commit
        answer = client.post("/newsletter/subscribe/", {"email": "reader@example.org", "name": "Reader"}, follow=True)
    record("signup: check your email", answer)
    confirm_url = re.search(r"https?://[^/\s]+(/newsletter/confirm/[^\s]+/)", mail.outbox[-1].body).group(1)
    record("signup: confirmed", client.get(confirm_url))
    record("signup: link invalid", client.get("/newsletter/confirm/not-a-token/"))
    links = subscriber_links(Subscriber.objects.get(email="reader@example.org"))
    preferences, unsubscribe = (urlsplit(links[name]).path for name in ("preferences_url", "unsubscribe_url"))
    record("preferences", client.get(preferences))
    record("preferences: saved", client.post(preferences, {"name": "Reader", "paused_until": ""}))
    record("preferences: with errors", client.post(preferences, {"paused_until": "not a date"}))
    record("unsubscribe: asks", client.get(unsubscribe))
    record("unsubscribe: done", client.post(unsubscribe))
    record("erase: done", client.post(f"{preferences}erase/"))
    for _ in range(25):
        answer = client.post("/newsletter/subscribe/", {"email": "flood@example.org"})
    record("signup: too many", answer)


def _error_pages(crawl, client):
    crawl.record("/no-such-page/", client.get("/no-such-page/"))
    crawl.record("500 page", server_error(RequestFactory().get("/")))


@pytest.fixture(scope="session")
def demo_documents(django_db_setup, django_db_blocker, demo_snapshot, tmp_path_factory):
    """{url or step name: Document} for the whole demo site (a few hundred documents)."""
    media = tmp_path_factory.mktemp("standards-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=str(media)), transaction.atomic():
        demo_data_restore(demo_snapshot, media_root=media)
        client = Client(raise_request_exception=False)
        crawl = Crawl(client)
        for start in ("/", "/sitemap.xml", "/newsletter/subscribe/", "/search/?q=reading"):
            crawl.enqueue(start)
        crawl.run()
        _error_pages(crawl, client)
        _subscription_flow(crawl, Client(raise_request_exception=False))
        transaction.set_rollback(True)
    return crawl.documents


@pytest.fixture(scope="session")
def html_documents(demo_documents):
    return {url: document for url, document in demo_documents.items() if document.is_html}
