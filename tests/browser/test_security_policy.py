"""Every page type works in a real Chromium under the site's Content-Security-Policy:
nothing the page needs is blocked, and no page relies on inline script or style."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation",
    (event) => window.__violations.push(event.violatedDirective + " " + event.blockedURI));
"""


@pytest.fixture
def demo_site(live_server, demo_data):
    return live_server.url


def test_no_page_type_breaks_the_content_security_policy(page, demo_site):
    from blog.models import BlogPage
    from network.models import PartnershipPage
    from newsletter.models import NewsletterIssue
    from practices.models import CaseStudyPage

    page.add_init_script(RECORD_VIOLATIONS)
    console_errors = []
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))
    issue = NewsletterIssue.objects.filter(status=NewsletterIssue.Status.SENT).first()
    urls = [
        "/",
        "/network/?state=WI",
        PartnershipPage.objects.live().first().url,
        "/blog/",
        BlogPage.objects.live().first().url,
        "/blog/series/network-in-the-news/",
        "/practices/?q=reading&stage=proof-point",
        CaseStudyPage.objects.live().first().url,
        "/news/",
        "/newsletter/subscribe/",
        "/newsletter/archive/",
        f"/newsletter/archive/{issue.pk}/",
        "/search/?q=reading",
        "/about/",
    ]
    for url in urls:
        response = page.goto(demo_site + url)
        assert response.status == 200, url
        assert response.headers["content-security-policy"], url
        page.wait_for_load_state("load")
        assert page.evaluate("window.__violations") == [], url
    assert not [error for error in console_errors if "Content Security Policy" in error], console_errors

    page.goto(demo_site + "/practices/")
    page.get_by_role("combobox").first.fill("kindergar")
    page.wait_for_selector("[role=option]")  # the suggestion script ran and could fetch
    assert page.evaluate("window.__violations") == []
