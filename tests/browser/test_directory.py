"""A visitor filters the network directory in Chromium and follows the map."""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_site(live_server, demo_data):
    return live_server.url


def result_places(page):
    return page.locator(".partnership-card__place").all_inner_texts()


def test_visitor_filters_the_directory_and_follows_a_map_state(page, demo_site):
    page.goto(demo_site + "/network/")
    total = int(page.locator(".results-count").inner_text().split()[0])
    assert total >= 30

    # Ticking a box applies the filter at once (JavaScript) and the URL can be shared.
    page.get_by_role("group", name="Region", exact=True).get_by_label("Midwest").check()
    page.wait_for_url(re.compile(r"region=midwest"))
    midwest = int(page.locator(".results-count").inner_text().split()[0])
    assert 0 < midwest < total
    page.get_by_role("group", name="Stage", exact=True).get_by_label("Sustaining").check()
    page.wait_for_url(re.compile(r"region=midwest.*stage=sustaining|stage=sustaining.*region=midwest"))
    assert all("Sustaining" in place for place in result_places(page))

    # The map keeps the other filters and narrows to the state chosen.
    page.get_by_role("link", name=re.compile(r"^OH, Ohio: \d+ partnership")).click()
    page.wait_for_url(re.compile(r"state=OH"))
    places = result_places(page)
    assert places and all("Ohio" in place and "Sustaining" in place for place in places)
    assert page.get_by_role("group", name="State", exact=True).get_by_label("Ohio").is_checked()

    # A shared link reproduces the same view in a fresh page.
    shared = page.url
    page.goto("about:blank")
    page.goto(shared)
    assert result_places(page) == places


def test_filters_work_without_javascript(browser, demo_site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(demo_site + "/network/")
        page.get_by_role("group", name="Stage", exact=True).get_by_label("Proof Point").check()
        page.get_by_role("button", name="Apply filters").click()
        page.wait_for_url(re.compile(r"stage=proof-point"))
        places = result_places(page)
        assert places and all("Proof Point" in place for place in places)
    finally:
        context.close()
