"""An editor previews every page type in the Wagtail admin, in the side panel beside the
form and in a new tab, and a new draft previews with the choices not yet saved."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from news.models import NewsIndexPage
from practices.models import CaseStudyPage
from taxonomy.models import Topic
from tests.browser.conftest import RECORD_POLICY_VIOLATIONS, STEP_TIMEOUT_MS, admin_log_in
from tests.factories import (
    BlogCategoryFactory,
    BlogIndexPageFactory,
    BlogPageFactory,
    CaseStudyIndexPageFactory,
    CaseStudyPageFactory,
    DirectoryPageFactory,
    PartnershipPageFactory,
    SeriesFactory,
    StandardPageFactory,
    home_page_as_site_root,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site_tree(live_server):
    """One published page of every type, and what a post and a case study are filed under."""
    home = home_page_as_site_root()
    directory = DirectoryPageFactory(parent=home)
    tulsa = PartnershipPageFactory(parent=directory, title="Tulsa Learning Alliance")
    tulsa.save_revision().publish()
    PartnershipPageFactory(parent=directory, title="Dayton Promise").save_revision().publish()
    blog = BlogIndexPageFactory(parent=home)
    early_learning = BlogCategoryFactory(name="Early learning")
    BlogCategoryFactory(name="Data use")
    SeriesFactory(name="Network in the News")
    post = BlogPageFactory(
        parent=blog, title="Reading gains in Tulsa", categories=[early_learning], partnerships=[tulsa], tags=["reading"]
    )
    post.save_revision().publish()
    library = CaseStudyIndexPageFactory(parent=home)
    Topic.objects.get_or_create(slug="data-use", defaults={"name": "Data use"})
    Topic.objects.get_or_create(slug="equity", defaults={"name": "Equity"})
    case_study = CaseStudyPageFactory(
        parent=library, title="Attendance teams in Tulsa", partnerships=[tulsa], topics=["data-use"]
    )
    news = home.add_child(instance=NewsIndexPage(title="Network news", slug="news"))
    pages = {
        "home": (home, "What works for kids"),
        "standard": (StandardPageFactory(parent=home, title="About the network"), "About the network"),
        "directory": (directory, "Network directory"),
        "partnership": (tulsa, "Tulsa Learning Alliance"),
        "blog index": (blog, "Reading gains in Tulsa"),
        "blog post": (post, "Reading gains in Tulsa"),
        "case-study index": (library, "Practice library"),
        "case study": (case_study, "Attendance teams in Tulsa"),
        "news index": (news, "Network news"),
    }
    get_user_model().objects.create_superuser("editor", "editor@network.example", "editor-pass")
    return live_server.url, pages


@pytest.fixture
def editor(browser, site_tree):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.add_init_script(RECORD_POLICY_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(STEP_TIMEOUT_MS)
    admin_log_in(page, site_tree[0], "editor", "editor-pass")
    yield page
    page.goto("about:blank")  # the panel stops refreshing before the database is emptied
    context.close()


def open_preview_panel(page):
    """Open the side panel (the admin remembers it open from the last form it showed)."""
    toggle = page.get_by_role("button", name="Toggle preview")
    if toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    expect(page.get_by_role("link", name="Preview in new tab")).to_be_visible()
    return page.frame_locator("#w-preview-iframe")


def test_every_page_type_previews_in_the_side_panel_and_in_a_new_tab(editor, site_tree):
    base_url, pages = site_tree
    for kind, (wagtail_page, text) in pages.items():
        editor.goto(f"{base_url}/admin/pages/{wagtail_page.pk}/edit/")
        panel = open_preview_panel(editor)
        expect(panel.locator("main"), kind).to_contain_text(text)
        framed = next(frame for frame in editor.frames if "/preview/" in frame.url)
        assert framed.evaluate("window.__violations") == [], kind

        with editor.context.expect_page() as new_tab:
            editor.get_by_role("link", name="Preview in new tab").click()
        tab = new_tab.value
        tab.wait_for_load_state()
        expect(tab.locator("main"), kind).to_contain_text(text)
        assert tab.evaluate("window.__violations") == [], kind
        tab.close()


def test_the_preview_may_be_framed_by_the_admin_only(editor, site_tree):
    base_url, pages = site_tree
    post = pages["blog post"][0]
    editor.goto(f"{base_url}/admin/pages/{post.pk}/edit/")
    expect(open_preview_panel(editor).locator("h1")).to_have_text("Reading gains in Tulsa")
    preview = editor.request.get(f"{base_url}/admin/pages/{post.pk}/edit/preview/")
    assert preview.status == 200
    assert "frame-ancestors 'self'" in preview.headers["content-security-policy"]
    public = editor.request.get(base_url + post.url)
    assert "frame-ancestors 'none'" in public.headers["content-security-policy"]


def test_a_new_post_previews_with_its_unsaved_categories_tags_series_and_partnerships(editor, site_tree):
    base_url, pages = site_tree
    blog = pages["blog index"][0]
    editor.goto(f"{base_url}/admin/pages/add/blog/blogpage/{blog.pk}/")
    editor.locator("#id_title").fill("Attendance in Dayton")
    editor.locator("#id_summary").fill("Dayton's attendance teams, a year on.")
    editor.locator("#id_series").select_option(label="Network in the News")
    editor.get_by_label("Early learning").check()
    editor.locator(".tagit-new input").press_sequentially("attendance,")
    expect(editor.locator(".tagit-choice")).to_contain_text("attendance")
    editor.get_by_role("button", name="Add partnership").click()
    chooser = editor.get_by_role("dialog")
    # The results are replaced when the search answers: a box ticked before that is lost.
    with editor.expect_response(lambda response: "q=Dayton" in response.url):
        chooser.get_by_role("textbox", name="Search term").fill("Dayton")
    expect(chooser.get_by_role("checkbox", name="Tulsa Learning Alliance")).to_have_count(0)
    chooser.get_by_role("checkbox", name="Dayton Promise").check()
    expect(chooser.get_by_role("button", name="Confirm selection")).to_be_enabled()
    chooser.get_by_role("button", name="Confirm selection").click()
    expect(editor.locator("#panel-child-content-partnerships-section")).to_contain_text("Dayton Promise")

    panel = open_preview_panel(editor)
    expect(panel.locator("h1")).to_have_text("Attendance in Dayton")
    footer = panel.locator(".post-footer")
    expect(footer.get_by_role("link", name="Dayton Promise")).to_be_visible()
    expect(footer.get_by_role("link", name="Early learning")).to_be_visible()
    expect(footer.get_by_role("link", name="#attendance")).to_be_visible()
    expect(panel.locator(".eyebrow")).to_have_text("Network in the News")
    # related posts come from the unsaved category: the published post filed under it
    expect(panel.locator(".related-posts")).to_contain_text("Reading gains in Tulsa")


def test_a_case_study_previews_with_its_unsaved_topics(editor, site_tree):
    base_url, pages = site_tree
    case_study = pages["case study"][0]
    library = pages["case-study index"][0]
    CaseStudyPageFactory(parent=library, title="Equity audits in Albany", topics=["equity"])
    editor.goto(f"{base_url}/admin/pages/{case_study.pk}/edit/")
    filed_under = editor.locator("#id_topics")
    filed_under.get_by_label("Data use").uncheck()
    filed_under.get_by_label("Equity").check()

    panel = open_preview_panel(editor)
    expect(panel.locator(".post-footer").get_by_role("link", name="Equity")).to_be_visible()
    expect(panel.locator(".post-footer")).not_to_contain_text("Data use")
    expect(panel.locator(".related-posts")).to_contain_text("Equity audits in Albany")
    assert [topic.slug for topic in CaseStudyPage.objects.get(pk=case_study.pk).topics.all()] == ["data-use"]


def test_a_new_partnership_previews_before_it_is_saved(editor, site_tree):
    base_url, pages = site_tree
    directory = pages["directory"][0]
    editor.goto(f"{base_url}/admin/pages/add/network/partnershippage/{directory.pk}/")
    editor.locator("#id_title").fill("Albany Promise")
    editor.locator("#id_summary").fill("Albany's cradle-to-career partnership.")
    editor.locator("#id_state").select_option("NY")
    panel = open_preview_panel(editor)
    expect(panel.locator("h1")).to_have_text("Albany Promise")
    expect(panel.locator("main")).to_contain_text("Albany's cradle-to-career partnership.")
