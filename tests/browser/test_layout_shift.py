"""Pages do not jump while they load: the cumulative layout shift Chromium measures on the
home page and a post stays under 0.05 (images have their space reserved)."""

import time

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAX_LAYOUT_SHIFT = 0.05
# Chromium reports every shift to a PerformanceObserver, the ones before it started too
# (buffered); shifts right after input do not count, as in the Core Web Vitals.
LAYOUT_SHIFT = """() => new Promise((resolve) => {
    let total = 0;
    const sources = [];
    new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
            if (entry.hadRecentInput) continue;
            total += entry.value;
            for (const source of entry.sources || []) sources.push(source.node ? source.node.outerHTML.slice(0, 120) : "?");
        }
    }).observe({type: "layout-shift", buffered: true});
    setTimeout(() => resolve({total, sources}), 1500);
})"""


@pytest.fixture
def demo_site(live_server, demo_data):
    return live_server.url


def test_the_measure_sees_a_shift(page):
    """The measure can fail: an image without reserved space pushes the text down."""
    page.set_content(
        '<p>above</p><img src="data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22/%3E" id="late">'
        '<div style="height: 800px">below</div>'
    )
    # Painted first: a shift moves something already seen. Chromium reports none on a fresh
    # page's first document until it has settled, so wait a second, then two frames.
    page.wait_for_timeout(1000)
    page.evaluate("() => new Promise((painted) => requestAnimationFrame(() => requestAnimationFrame(painted)))")
    page.evaluate("""() => { const img = document.getElementById("late");
        img.style.display = "block"; img.style.width = "600px"; img.style.height = "400px"; }""")
    assert page.evaluate(LAYOUT_SHIFT)["total"] > MAX_LAYOUT_SHIFT


@pytest.mark.parametrize("width", [1280, 390])
def test_home_and_post_pages_do_not_shift_while_loading(page, demo_site, width):
    from blog.models import BlogPage

    post = BlogPage.objects.live().exclude(listing_image=None).order_by("pk").first() or BlogPage.objects.live().first()
    page.set_viewport_size({"width": width, "height": 900})
    shifts = {}
    for path in ("/", post.url):
        # A slow network makes images arrive after the text, as they do for real visitors.
        page.route("**/media/**", lambda route: (time.sleep(0.3), route.continue_()))
        page.goto(demo_site + path, wait_until="load")
        shifts[path] = page.evaluate(LAYOUT_SHIFT)
        page.unroute("**/media/**")
    assert {path: shift for path, shift in shifts.items() if shift["total"] >= MAX_LAYOUT_SHIFT} == {}
