import pytest
from django.template.loader import render_to_string

from tests.factories import StandardPageFactory

pytestmark = pytest.mark.django_db


def test_robots_txt_keeps_crawlers_out_of_admin_and_search_and_names_the_sitemap(client, settings):
    settings.BASE_URL = "https://network.example"

    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "Disallow: /admin/" in body and "Disallow: /search/" in body
    assert "Sitemap: https://network.example/sitemap.xml" in body


def test_sitemap_lists_live_pages_with_absolute_urls(client, home_page):
    live = StandardPageFactory(parent=home_page, slug="about")
    draft = StandardPageFactory(parent=home_page, slug="draft-page", live=False)

    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    body = response.content.decode()
    assert f"<loc>{live.get_full_url()}</loc>" in body
    assert draft.slug not in body


def test_missing_page_answers_404_with_a_way_forward(client, home_page):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    body = response.content.decode()
    assert "We could not find that page" in body
    assert 'action="/search/"' in body
    assert '<meta name="robots" content="noindex">' in body


def test_server_error_page_renders_without_database_or_context():
    html = render_to_string("500.html")

    assert "Something went wrong on our side" in html
    assert "{%" not in html
