import os
import re
import shutil

import pytest
from django.db import connections
from playwright.sync_api import expect

from tests.conftest import service_unavailable

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# How long a browser step may wait before the test fails: a hang detector, not a speed
# check (the benchmarks measure speed). A shared 2-core machine under load took over
# 10 s for a page the live server renders in 50 ms when idle.
STEP_TIMEOUT_MS = 30_000
expect.set_options(timeout=STEP_TIMEOUT_MS)

# An init script: every frame collects the Content-Security-Policy violations it meets.
RECORD_POLICY_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation",
    (event) => window.__violations.push(event.violatedDirective + " " + event.blockedURI));
"""


def admin_log_in(page, base_url, username, password):
    page.goto(base_url + "/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/admin/$"))


@pytest.fixture(scope="session")
def live_server(live_server):
    """pytest-django's live server, serving what website.wsgi serves: Django's handler
    with the page replay around it (which answers only when the page cache is on)."""
    from website.page_replay import PageReplay

    server = live_server.thread.httpd
    server.set_app(PageReplay(server.get_app()))
    return live_server


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        service_unavailable(f"Chromium not found at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in the test thread for the session;
    # the ORM calls the tests make around it are synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        try:
            yield browser
            browser.close()
        finally:
            # While Playwright's loop runs in this thread, asgiref keeps Django's connections
            # apart from the thread's own (as for async code): close them here, or one stays
            # open and the test database cannot be dropped at the end of the session.
            connections.close_all()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(STEP_TIMEOUT_MS)
    yield page
    context.close()
