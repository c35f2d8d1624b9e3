"""axe-core in a real Chromium over every page type and the sign-up, search and directory
flows: no WCAG 2.2 A/AA violation, on wide and narrow screens."""

from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture
def demo_site(live_server, demo_data):
    return live_server.url


@pytest.fixture
def axe(page):
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm ci` (scripts/test.sh does)")
    source = AXE.read_text()

    def violations():
        # evaluate() runs outside the page's Content-Security-Policy, as an extension would.
        page.evaluate(source)
        found = page.evaluate(
            """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
            return result.violations.map((v) => `${v.id}: ${v.help} -> ${v.nodes.slice(0, 3)
                .map((n) => n.target.join(" ")).join(" | ")}`);
        }""",
            WCAG_22_AA,
        )
        return found

    return violations


def personal_pages():
    """The pages a subscriber's links open: confirm, preferences, data, unsubscribe."""
    from newsletter.models import Subscriber, SubscriptionRequest
    from newsletter.tokens import token_make

    reader = Subscriber.objects.create(email="a11y-reader@example.org")
    asked = SubscriptionRequest.objects.create(
        subscriber=reader, name="Ada", interests={"regions": ["midwest"]}, source="sign-up form on /"
    )
    return [
        f"/newsletter/confirm/{token_make(reader, purpose='confirm', request_id=asked.pk)}/",
        f"/newsletter/preferences/{token_make(reader, purpose='preferences')}/",
        f"/newsletter/data/{token_make(reader, purpose='data')}/",
        f"/newsletter/unsubscribe/{token_make(reader, purpose='unsubscribe')}/",
    ]


def page_types():
    from blog.models import BlogPage
    from events.models import EventPage
    from network.models import PartnershipPage
    from newsletter.models import NewsletterIssue
    from practices.models import CaseStudyPage

    return [
        "/",
        "/about/",
        "/network/",
        "/network/?region=midwest&stage=sustaining",
        PartnershipPage.objects.live().order_by("pk").first().url,
        "/blog/",
        BlogPage.objects.live().order_by("pk").first().url,
        "/blog/series/network-in-the-news/",
        "/practices/",
        "/practices/?q=reading&topic=data-use",
        CaseStudyPage.objects.live().order_by("pk").first().url,
        "/news/",
        "/events/",
        "/indicators/",
        "/indicators/third-grade-reading/?group=black&sort=-value",
        "/practices/evidence/",
        EventPage.objects.live().order_by("pk").first().url,
        "/newsletter/subscribe/",
        "/newsletter/subscribe/check-your-email/",
        "/newsletter/archive/",
        f"/newsletter/archive/{NewsletterIssue.objects.filter(status='sent').first().pk}/",
        *personal_pages(),
        "/search/?q=reading",
        "/no-such-page/",
    ]


@pytest.mark.parametrize("width", [1280, 390])
def test_every_page_type_has_no_wcag_violation(page, demo_site, axe, width):
    page.set_viewport_size({"width": width, "height": 900})
    failures = {}
    for path in page_types():
        page.goto(demo_site + path)
        if found := axe():
            failures[path] = found
    assert not failures, failures


def test_the_flows_keep_no_wcag_violation_as_they_change_the_page(page, demo_site, axe):
    page.goto(demo_site + "/practices/")
    page.get_by_role("combobox").first.fill("kindergar")
    page.wait_for_selector("[role=option]")
    assert axe() == [], "practice search with its suggestions open"

    page.goto(demo_site + "/network/")
    page.get_by_label("Midwest").check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/network/?*region=midwest*")
    assert axe() == [], "directory after filtering"

    page.goto(demo_site + "/newsletter/subscribe/")
    form = page.locator("main form")
    form.get_by_label("Email address").fill("reader@example")  # no domain: the server refuses it
    form.get_by_role("button", name="Subscribe").click()
    page.wait_for_selector("main .form-error")
    assert form.get_by_label("Email address").get_attribute("aria-invalid") == "true"
    assert axe() == [], "sign-up form with its errors"


def tab_to(page, selector, *, limit=300):
    """Press Tab until the element matching `selector` has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(selector) => document.activeElement.matches(selector)", selector):
            return
    raise AssertionError(f"{selector} cannot be reached with Tab")


def test_the_flows_work_with_the_keyboard_alone(page, demo_site, mailoutbox):
    from newsletter.models import Subscriber

    page.goto(demo_site + "/practices/")
    tab_to(page, "[role=combobox]")
    page.keyboard.type("kindergar")
    page.wait_for_selector("[role=option]")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url("**/practices/*/")
    assert "kindergarten" in page.locator("h1").inner_text().lower()

    page.goto(demo_site + "/network/")
    tab_to(page, "input[name=region][value=midwest]")
    page.keyboard.press("Space")  # applies the filter at once
    page.wait_for_url("**region=midwest**")
    page.wait_for_load_state("load")
    assert page.evaluate("document.activeElement.value") == "midwest", "the focus stays where the user was"
    assert page.locator(".partnership-card").count() > 0
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # and the next filter, without starting again from the top
    page.wait_for_url(lambda url: url.count("region=") == 2)

    tab_to(page, "#footer-signup-email")
    page.keyboard.type("keyboard.reader@example.org")
    page.keyboard.press("Enter")
    page.wait_for_url("**/newsletter/subscribe/check-your-email/")
    assert Subscriber.objects.get(email="keyboard.reader@example.org").status == Subscriber.Status.PENDING
