"""Every indexable page of the demo site describes itself: a meaningful meta description,
an absolute canonical URL, Open Graph tags of the right type, and JSON-LD that parses and
has the fields schema.org's consumers require."""

import json
import re

from bs4 import BeautifulSoup

# Written by the page's author, not a generic line: long enough to say something.
MIN_DESCRIPTION_LENGTH = 30
ARTICLE_PATHS = re.compile(r"^/(blog|practices)/(?!category/|tag/|author/|series/|\d{4}/|suggest/|evidence/)[\w-]+/$")
JSONLD_REQUIRED = {"BlogPosting": ("headline", "datePublished", "author", "url", "publisher")}


def indexable(html_documents):
    """{url: soup} of the crawled pages a search engine may index."""
    pages = {}
    for url, document in html_documents.items():
        if document.status != 200 or not url.startswith("/"):
            continue
        soup = BeautifulSoup(document.body, "html.parser")
        robots = soup.select_one('meta[name="robots"]')
        if robots and "noindex" in robots["content"]:
            continue
        pages[url] = soup
    return pages


def test_every_indexable_page_has_a_description_and_a_canonical_url(html_documents):
    pages = indexable(html_documents)
    assert len(pages) > 100
    problems = {}
    for url, soup in pages.items():
        description = soup.select_one('meta[name="description"]')
        canonical = soup.select_one('link[rel="canonical"]')
        found = []
        if description is None or len(description["content"].strip()) < MIN_DESCRIPTION_LENGTH:
            found.append(f"description: {description and description['content']!r}")
        if canonical is None or not canonical["href"].startswith(("http://", "https://")):
            found.append("no absolute canonical URL")
        elif canonical["href"].split("://", 1)[1].partition("/")[2] != url.lstrip("/").split("?")[0]:
            found.append(f"canonical {canonical['href']} is another page")
        if found:
            problems[url] = found
    assert problems == {}


def test_posts_and_case_studies_are_articles_and_the_rest_websites(html_documents):
    wrong = {}
    for url, soup in indexable(html_documents).items():
        expected = "article" if ARTICLE_PATHS.match(url) and url not in ("/blog/", "/practices/") else "website"
        og_type = soup.select_one('meta[property="og:type"]')
        if og_type is None or og_type["content"] != expected:
            wrong[url] = og_type and og_type["content"]
    assert wrong == {}
    assert any(ARTICLE_PATHS.match(url) for url in html_documents)


def test_pages_outside_the_page_tree_describe_themselves(html_documents):
    for url in ("/newsletter/archive/", "/newsletter/subscribe/"):
        soup = BeautifulSoup(html_documents[url].body, "html.parser")
        assert soup.select_one('link[rel="canonical"]')["href"].endswith(url)
        assert soup.select_one('meta[name="description"]')["content"]
    issue_pages = [url for url in html_documents if re.fullmatch(r"/newsletter/archive/\d+/", url)]
    assert issue_pages
    for url in issue_pages:
        soup = BeautifulSoup(html_documents[url].body, "html.parser")
        assert soup.select_one('link[rel="canonical"]')["href"].endswith(url)


def test_json_ld_parses_and_has_the_required_fields(html_documents):
    checked, problems = 0, {}
    for url, document in html_documents.items():
        for script in BeautifulSoup(document.body, "html.parser").select('script[type="application/ld+json"]'):
            data = json.loads(script.string)
            checked += 1
            assert data["@context"] == "https://schema.org", url
            missing = [field for field in JSONLD_REQUIRED.get(data["@type"], ()) if not data.get(field)]
            if any(not author.get("name") for author in data.get("author", [])):
                missing.append("author name")
            if missing:
                problems[url] = missing
    assert checked >= 10
    assert problems == {}
