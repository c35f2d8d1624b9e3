"""Wagtail's site lookup and a page's view restrictions are kept for the page-cache
generation (no query for them on a warm render); a restriction or a site saved or deleted
must show on the very next request, also when the page cache is off."""

import pytest
from wagtail.models import Page, PageViewRestriction, Site

from tests.factories import BlogIndexPageFactory, BlogPageFactory, StandardPageFactory
from website.models import FooterSettings, NavigationSettings
from website.page_cache import page_cache_kept

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(home_page):
    for site_setting in (FooterSettings, NavigationSettings):  # created on first use: a save, a new generation
        site_setting.for_site(home_page.get_site())
    blog = BlogIndexPageFactory(parent=home_page)
    return BlogPageFactory(parent=blog, title="A public post")


def shown(client, page):
    response = client.get(page.url)
    return response.status_code == 200 and page.title in response.content.decode()


def test_a_warm_post_asks_the_database_nothing(client, post, django_assert_num_queries):
    assert shown(client, post)
    with django_assert_num_queries(0):
        assert shown(client, post)


@pytest.mark.parametrize("on", ["the post", "its blog", "the home page"])
def test_a_page_restricted_after_a_render_is_not_shown_to_an_anonymous_visitor(client, post, on):
    restricted = {"the post": post, "its blog": post.get_parent(), "the home page": post.get_parent().get_parent()}
    assert shown(client, post) and shown(client, post)

    restriction = PageViewRestriction.objects.create(page=restricted[on], restriction_type=PageViewRestriction.LOGIN)
    response = client.get(post.url)
    assert response.status_code == 302 and "/login/" in response["Location"]

    restriction.delete()
    assert shown(client, post)


def test_a_password_added_after_a_render_asks_for_it(client, post):
    assert shown(client, post)
    PageViewRestriction.objects.create(page=post, restriction_type=PageViewRestriction.PASSWORD, password="s3cret")
    response = client.get(post.url)
    assert post.title not in response.content.decode() and 'name="password"' in response.content.decode()


def test_a_restriction_edited_to_a_password_after_a_render_asks_for_it(client, post):
    restriction = PageViewRestriction.objects.create(page=post, restriction_type=PageViewRestriction.LOGIN)
    assert client.get(post.url).status_code == 302
    restriction.restriction_type, restriction.password = PageViewRestriction.PASSWORD, "s3cret"
    restriction.save()
    assert 'name="password"' in client.get(post.url).content.decode()


def test_a_render_between_a_restriction_saved_and_its_commit_is_not_kept(
    client, post, django_capture_on_commit_callbacks
):
    """A save's signal comes before its commit: a request on another connection still
    reads no restriction, and keeps that. The commit starts another generation."""
    assert shown(client, post)
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(page=post, restriction_type=PageViewRestriction.LOGIN)
        page_cache_kept(f"page-view-restrictions:{post.pk}", lambda: ([post.pk], []))  # what that request kept
    assert client.get(post.url).status_code == 302


def test_the_admin_privacy_view_reads_restrictions_afresh(post):
    """A queryset derived from the kept one (the privacy view orders it) asks the database."""
    assert list(post.get_view_restrictions()) == []
    restriction = PageViewRestriction.objects.create(page=post, restriction_type=PageViewRestriction.LOGIN)
    page_cache_kept(f"page-view-restrictions:{post.pk}", lambda: ([post.pk], []))
    assert list(post.get_view_restrictions().order_by("-page__depth")) == [restriction]


def test_a_site_renamed_after_a_render_shows_its_new_name(client, home_page):
    site = Site.objects.get()
    assert f"| {site.site_name}</title>" in client.get("/").content.decode()
    site.site_name = "The Renamed Network"
    site.save()
    assert "| The Renamed Network</title>" in client.get("/").content.decode()


def test_a_site_given_another_root_page_serves_it_at_once(client, home_page):
    other_root = StandardPageFactory(parent=Page.get_first_root_node(), title="Another front page", slug="other")
    assert "Another front page" not in client.get("/").content.decode()
    site = Site.objects.get()
    site.root_page = other_root
    site.save()
    assert "Another front page" in client.get("/").content.decode()


def test_a_site_added_for_another_host_serves_that_host(client, home_page):
    other_root = StandardPageFactory(parent=Page.get_first_root_node(), title="Partner front page", slug="partner")
    assert "Partner front page" not in client.get("/", HTTP_HOST="partner.example.org").content.decode()
    Site.objects.create(hostname="partner.example.org", port=80, root_page=other_root, site_name="Partner")
    assert "Partner front page" in client.get("/", HTTP_HOST="partner.example.org").content.decode()
    Site.objects.get(hostname="partner.example.org").delete()
    assert "Partner front page" not in client.get("/", HTTP_HOST="partner.example.org").content.decode()
