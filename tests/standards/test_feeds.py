"""Every RSS and Atom feed of the demo site is valid: Atom against the RFC 4287 RELAX NG
schema plus the rules the schema states only in prose (an author for every entry, from
the entry or the feed), RSS against what RSS 2.0 requires, and both read by feedparser
without complaint."""

from pathlib import Path

import feedparser
import pytest
import rnc2rng
from lxml import etree

SCHEMA = Path(__file__).resolve().parents[1] / "fixtures" / "atom.rnc"
ATOM = {"atom": "http://www.w3.org/2005/Atom"}
# A listing of each kind, announced by the pages that show it.
EXPECTED_FEEDS = [
    "/blog/rss/",
    "/blog/atom/",
    "/blog/series/network-in-the-news/rss/",
    "/blog/series/network-in-the-news/atom/",
    "/news/rss/",
    "/news/atom/",
    "/newsletter/archive/rss/",
    "/newsletter/archive/atom/",
]


@pytest.fixture(scope="module")
def atom_schema():
    """RFC 4287 appendix B, converted from the compact syntax (lxml reads only the XML one)."""
    grammar = rnc2rng.dumps(rnc2rng.loads(SCHEMA.read_text()))
    # The grammar's `local` prefix names the empty namespace, which XML cannot declare.
    return etree.RelaxNG(etree.fromstring(grammar.replace('xmlns:local=""', "").encode()))


@pytest.fixture(scope="module")
def feeds(demo_documents):
    return {url: document for url, document in demo_documents.items() if document.is_feed}


def atom_problems(body, schema):
    tree = etree.fromstring(body)
    problems = [] if schema.validate(tree) else [str(error) for error in schema.error_log]
    feed_has_author = bool(tree.xpath("atom:author/atom:name", namespaces=ATOM))
    for number, entry in enumerate(tree.xpath("atom:entry", namespaces=ATOM)):
        for required in ("id", "title", "updated"):
            if not entry.xpath(f"atom:{required}", namespaces=ATOM):
                problems.append(f"entry {number} has no {required}")
        if not feed_has_author and not entry.xpath("atom:author/atom:name", namespaces=ATOM):
            problems.append(f"entry {number} has no author, nor has the feed")
    return problems


def rss_problems(body):
    channel = etree.fromstring(body).find("channel")
    problems = [f"channel has no {name}" for name in ("title", "link", "description") if channel.find(name) is None]
    for number, item in enumerate(channel.findall("item")):
        if item.find("title") is None and item.find("description") is None:
            problems.append(f"item {number} has neither title nor description")
        if item.find("guid") is None:
            problems.append(f"item {number} has no guid")
    return problems


def test_the_schema_rejects_an_entry_without_updated(atom_schema):
    entry_without_updated = b"""<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><id>urn:x</id>
        <updated>2026-01-01T00:00:00Z</updated><author><name>a</name></author>
        <entry><title>e</title><id>urn:e</id><link href="https://example.org/"/></entry></feed>"""
    assert atom_problems(entry_without_updated, atom_schema)


def test_every_listing_kind_has_its_feeds(feeds):
    assert [url for url in EXPECTED_FEEDS if url not in feeds] == []
    assert any(url.startswith("/blog/category/") for url in feeds), sorted(feeds)
    partnership_feeds = {url.rsplit("/", 2)[1] for url in feeds if url.startswith("/news/from/")}
    assert partnership_feeds == {"rss", "atom"}, "a partnership's own news, both kinds"


def test_every_feed_is_valid(feeds, atom_schema):
    problems = {}
    for url, document in feeds.items():
        found = (
            atom_problems(document.body, atom_schema)
            if "atom" in document.content_type
            else rss_problems(document.body)
        )
        parsed = feedparser.parse(document.body)
        if parsed.bozo:
            found.append(f"feedparser: {parsed.bozo_exception}")
        if not parsed.entries:
            found.append("no entries")
        if found:
            problems[url] = found
    assert problems == {}, problems
