"""Anonymous visitors get pages from the cache; a publish, a snippet or a setting saved
shows at once; forms on cached pages still post; editors always see the live site."""

import re

import pytest
from django.test import Client

from newsletter.models import Subscriber
from tests.factories import BlogIndexPageFactory, BlogPageFactory, StandardPageFactory
from website.models import FooterSettings, NavigationSettings

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached(settings, home_page):
    settings.PAGE_CACHE_SECONDS = 300
    for site_setting in (FooterSettings, NavigationSettings):  # created on first use: a save, a new generation
        site_setting.for_site(home_page.get_site())
    return StandardPageFactory(parent=home_page, title="About the network", slug="about")


def token_in(response):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode()).group(1)


def test_the_second_anonymous_visit_is_served_from_the_cache_without_a_query(cached, client, django_assert_num_queries):
    assert client.get("/about/")["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        response = client.get("/about/")
    assert response.status_code == 200 and response["X-Page-Cache"] == "hit"
    assert "About the network" in response.content.decode()
    assert response["Content-Security-Policy"].startswith("default-src 'self'")


def test_each_visitor_gets_their_own_working_csrf_token(cached, mailoutbox):
    Client().get("/about/")  # fills the cache
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get("/about/")
    assert page["X-Page-Cache"] == "hit" and "csrftoken" in page.cookies
    other = Client().get("/about/")
    assert token_in(page) != token_in(other)

    response = visitor.post(
        "/newsletter/subscribe/",
        {"email": "reader@example.org", "csrfmiddlewaretoken": token_in(page), "from": "/about/"},
    )
    assert response.status_code == 302 and Subscriber.objects.filter(email="reader@example.org").exists()


def test_publishing_shows_at_once(cached, client):
    client.get("/about/")
    cached.title = "About our network"
    cached.save_revision().publish()
    response = client.get("/about/")
    assert response["X-Page-Cache"] == "miss" and "About our network" in response.content.decode()


def test_a_draft_changes_nothing_visitors_see_but_a_setting_does(cached, client, home_page):
    client.get("/about/")
    cached.title = "Draft title"
    cached.save_revision()
    assert "Draft title" not in client.get("/about/").content.decode()

    footer = FooterSettings.for_site(home_page.get_site())
    footer.postal_address = "1 Network Way, Milwaukee, WI"
    footer.save()
    assert "1 Network Way" in client.get("/about/").content.decode()


def test_browsers_revalidate_with_the_etag(cached, client):
    etag = client.get("/about/")["ETag"]
    assert client.get("/about/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    cached.save_revision().publish()
    assert client.get("/about/", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_editors_errors_and_other_views_are_never_cached(cached, client, django_user_model):
    assert "X-Page-Cache" not in client.get("/missing/")
    assert "X-Page-Cache" not in client.get("/newsletter/subscribe/")
    editor = django_user_model.objects.create_superuser("editor", "editor@example.org", "pw")
    client.force_login(editor)
    assert "X-Page-Cache" not in client.get("/about/")


def test_off_by_default_in_development_and_tests(home_page, client, settings):
    assert settings.PAGE_CACHE_SECONDS == 0
    assert "X-Page-Cache" not in client.get("/")


def test_feeds_and_the_sitemap_answer_conditional_requests(client, home_page):
    for url in ("/newsletter/archive/rss/", "/sitemap.xml"):
        etag = client.get(url)["ETag"]
        assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304, url


@pytest.mark.parametrize("url", ["/search/?q=post", "/blog/rss/", "/blog/atom/", "/sitemap.xml"])
def test_search_feeds_and_the_sitemap_are_cached_until_a_publish(
    cached, client, home_page, url, django_capture_on_commit_callbacks
):
    blog = BlogIndexPageFactory(parent=home_page, title="Blog", slug="blog")
    BlogPageFactory(parent=blog, title="About the first post", slug="first")
    assert client.get(url)["X-Page-Cache"] == "miss"
    hit = client.get(url)
    assert hit.status_code == 200 and hit["X-Page-Cache"] == "hit"
    assert hit["Content-Type"] == client.get(url)["Content-Type"]

    with django_capture_on_commit_callbacks(execute=True):  # the search index is updated on commit
        post = BlogPageFactory(parent=blog, title="About the second post", slug="second")
        post.save_revision().publish()
    fresh = client.get(url)
    assert fresh["X-Page-Cache"] == "miss" and "second" in fresh.content.decode(), url


def test_kept_reads_have_cache_keys_any_backend_takes_and_end_with_the_generation():
    """A kept read's name may carry a visitor's slug, a month as a tuple or hundreds of ids;
    its key is still one memcached accepts, and a new generation reads again."""
    import warnings

    from django.core.cache.backends.base import CacheKeyWarning

    from website.page_cache import page_cache_invalidate, page_cache_kept

    reads = []
    names = ["blog-listing:1:month:(2026, 7):12:1", "page-cards:" + ",".join(map(str, range(500))), "tag:ünïcode slug"]
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheKeyWarning)
        for name in names:
            assert page_cache_kept(name, lambda name=name: reads.append(name) or name) == name
            assert page_cache_kept(name, lambda name=name: reads.append(name) or name) == name
    assert reads == names, "each read once per generation"
    page_cache_invalidate()
    assert page_cache_kept(names[0], lambda: "read again") == "read again"


def test_a_cached_pages_token_is_djangos_masked_secret_and_a_returning_visitor_keeps_theirs(cached):
    """The page cache masks the visitor's CSRF secret itself (Django's way costs a system
    call per character): Django must read each token back to the cookie's secret."""
    from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_TOKEN_LENGTH, _unmask_cipher_token

    Client().get("/about/")  # fills the cache
    visitor = Client()
    first = visitor.get("/about/")
    secret = first.cookies["csrftoken"].value
    tokens = [token_in(first), *(token_in(visitor.get("/about/")) for _ in range(20))]
    assert all(len(token) == CSRF_TOKEN_LENGTH and set(token) <= set(CSRF_ALLOWED_CHARS) for token in tokens)
    assert {_unmask_cipher_token(token) for token in tokens} == {secret}, "one secret per visitor"
    assert len(set(tokens)) == len(tokens), "masked afresh on every response"
    assert visitor.cookies["csrftoken"].value == secret
    assert Client().get("/about/").cookies["csrftoken"].value != secret
