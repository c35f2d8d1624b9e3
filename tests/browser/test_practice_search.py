"""A visitor searches the practice library in Chromium: suggestions while typing, two
facets, a result, and back to the same filtered results."""

import re
import uuid

import pytest

from tests.conftest import demo_data_restore
from website.elasticsearch import elasticsearch_client

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_site(live_server, transactional_db, demo_snapshot, settings):
    if settings.ELASTICSEARCH_URL:
        settings.ELASTICSEARCH_INDEX_PREFIX = f"test-browser-{uuid.uuid4().hex[:8]}"
    demo_data_restore(demo_snapshot, media_root=settings.MEDIA_ROOT)
    yield live_server.url
    if settings.ELASTICSEARCH_URL:
        client = elasticsearch_client()
        names = list(client.indices.get(index=f"{settings.ELASTICSEARCH_INDEX_PREFIX}-*", allow_no_indices=True))
        if names:
            client.indices.delete(index=",".join(names))


def count(page):
    return int(page.locator(".results-count").inner_text().split()[0])


def test_visitor_searches_narrows_by_two_facets_opens_a_result_and_comes_back(page, demo_site, settings):
    page.goto(demo_site + "/practices/")
    expected_backend = "elasticsearch" if settings.ELASTICSEARCH_URL else "database"
    assert page.locator("[data-search-backend]").get_attribute("data-search-backend") == expected_backend
    total = count(page)
    assert total >= 30

    box = page.get_by_role("combobox", name="Search practices")
    box.press_sequentially("readin", delay=40)
    suggestions = page.get_by_role("listbox", name="Suggested case studies")
    suggestions.get_by_role("option").first.wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    assert any("reading" in text.lower() for text in suggestions.get_by_role("option").all_inner_texts())
    box.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"
    box.fill("reading")
    box.press("Enter")
    page.wait_for_url(re.compile(r"q=reading"))
    found = count(page)
    assert 0 < found < total
    assert page.locator(".practice-result mark").count() > 0

    page.get_by_role("group", name="Practice topic").get_by_label(re.compile(r"K-12 partnerships")).check()
    page.wait_for_url(re.compile(r"topic=k12"))
    with_topic = count(page)
    assert 0 < with_topic <= found
    page.get_by_role("group", name="Outcome area").get_by_label(re.compile(r"Early-grade reading")).check()
    page.wait_for_url(re.compile(r"outcome=early-grade-reading"))
    narrowed_url = page.url
    narrowed = count(page)
    assert 0 < narrowed <= with_topic
    assert "q=reading" in narrowed_url and "topic=k12" in narrowed_url

    first = page.locator(".practice-result h3 a").first
    title = first.inner_text()
    first.click()
    page.wait_for_url(re.compile(r"/practices/[a-z0-9-]+/$"))
    assert page.get_by_role("heading", level=1).inner_text() == title

    page.go_back()
    page.wait_for_url(narrowed_url)
    assert count(page) == narrowed
    assert page.get_by_role("combobox", name="Search practices").input_value() == "reading"
    assert page.get_by_role("group", name="Practice topic").get_by_label(re.compile(r"K-12 partnerships")).is_checked()
    assert page.get_by_role("group", name="Outcome area").get_by_label(re.compile(r"Early-grade reading")).is_checked()
    assert page.get_by_role("link", name="Remove filter: K-12 partnerships").is_visible()
