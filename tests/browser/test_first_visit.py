"""What a newcomer meets first, in Chromium on the demo site: one sign-up form on the home
page, the site named once in the footer, a favicon, cards filling their row, results in the
first screen of a phone, and not one request to another machine (admin included)."""

from urllib.parse import urlsplit

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def demo_site(live_server, demo_data):
    return live_server.url


def test_the_home_page_has_one_sign_up_form_a_footer_naming_the_site_once_and_a_favicon(page, demo_site):
    page.goto(demo_site + "/")

    assert page.locator("form.newsletter-signup").count() == 1
    assert page.locator("footer").inner_text().count("Network Commons") == 1
    icon = page.locator("link[rel=icon]").get_attribute("href")
    assert page.request.get(demo_site + icon).ok
    favicon = page.request.get(demo_site + "/favicon.ico")
    assert favicon.ok and favicon.headers["content-type"].startswith("image/")


def test_a_card_grid_fills_its_row(page, demo_site):
    page.goto(demo_site + "/")
    grid = page.locator(".card-grid").first
    cards = grid.locator(".card")
    assert cards.count() == 3
    row, last = grid.bounding_box(), cards.nth(2).bounding_box()
    assert abs((row["x"] + row["width"]) - (last["x"] + last["width"])) < 2, "no empty column after the cards"


@pytest.mark.parametrize(("path", "result"), [("/network/", ".partnership-card"), ("/practices/", ".practice-result")])
def test_a_phone_shows_results_in_the_first_screen_and_filters_behind_a_toggle(page, demo_site, path, result):
    page.set_viewport_size(PHONE)
    page.goto(demo_site + path)

    assert page.locator(result).first.bounding_box()["y"] < PHONE["height"] - 100
    facet = page.locator("fieldset.facet").first
    assert not facet.is_visible()
    page.get_by_text("Filters and sort").click()
    assert facet.is_visible()


def test_no_request_leaves_the_site_on_public_or_admin_pages(page, demo_site):
    from wagtail.models import Page

    origin = "{0.scheme}://{0.netloc}".format(urlsplit(demo_site))
    requested = []
    page.on("request", lambda request: requested.append(request.url))

    for path in ["/", "/network/", "/blog/", "/practices/", "/news/", "/search/?q=reading", "/newsletter/subscribe/"]:
        page.goto(demo_site + path)
        page.wait_for_load_state("networkidle")
    page.goto(demo_site + "/admin/login/")
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill("network-demo")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/admin/")
    post = Page.objects.get(slug="blog").get_children().first()
    for path in ["/admin/", "/admin/pages/", f"/admin/pages/{post.pk}/edit/", "/admin/account/"]:
        page.goto(demo_site + path)
        page.wait_for_load_state("networkidle")

    elsewhere = sorted({url for url in requested if not url.startswith((origin + "/", "data:", "blob:"))})
    assert elsewhere == []
    assert len(requested) > 20
