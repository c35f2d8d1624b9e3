"""A visitor in a real Chromium: keyboard entry, navigation and search."""

import pytest

# A live server needs committed data: these tests flush the database afterwards, and
# load_demo_data rebuilds what migrations had created.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_site(live_server, demo_data):
    return live_server.url


def test_keyboard_user_skips_to_content_then_browses_and_searches(page, demo_site):
    page.goto(demo_site + "/")

    page.keyboard.press("Tab")
    skip_link = page.locator("a.skip-link")
    assert skip_link.evaluate("el => el === document.activeElement")
    assert skip_link.bounding_box()["y"] >= 0, "skip link becomes visible on focus"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"

    page.get_by_role("navigation", name="Main").get_by_role("link", name="About the network").click()
    assert page.locator("h1").inner_text() == "About the network"
    assert page.get_by_role("link", name="About the network").first.get_attribute("aria-current") == "page"

    page.get_by_label("Search the site").first.fill("membership")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=membership")
    assert page.locator(".search-results a", has_text="Join the network").is_visible()


def test_narrow_screen_menu_toggles_the_navigation(page, demo_site):
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(demo_site + "/")

    menu = page.get_by_role("button", name="Menu")
    nav_link = page.get_by_role("navigation", name="Main").get_by_role("link", name="Contact")
    assert menu.is_visible() and not nav_link.is_visible()
    menu.click()
    assert menu.get_attribute("aria-expanded") == "true" and nav_link.is_visible()
