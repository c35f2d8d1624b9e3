"""Comms staff can open every page type and its settings in the Wagtail admin."""

import pytest
from django.contrib.auth import get_user_model
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from tests.factories import StandardPageFactory
from website.models import FooterSettings, NavigationSettings, StandardPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    user = get_user_model().objects.create_superuser("comms", "comms@network.example", "pw")
    client.force_login(user)
    return client


def test_home_and_standard_pages_open_in_the_editor(staff_client, home_page):
    standard = StandardPageFactory(parent=home_page)

    for page in (home_page, standard):
        response = staff_client.get(f"/admin/pages/{page.pk}/edit/")
        assert response.status_code == 200, page
        assert b"Listings" in response.content and b"Sharing" in response.content


def test_a_standard_page_can_be_created_and_published_under_home(staff_client, home_page):
    add_url = f"/admin/pages/add/website/standardpage/{home_page.pk}/"
    assert b'name="introduction"' in staff_client.get(add_url).content

    response = staff_client.post(
        add_url,
        nested_form_data(
            {"title": "Our approach", "slug": "our-approach", "introduction": "How we work.", "body": streamfield([])}
        )
        | {"action-publish": "Publish"},
    )

    assert response.status_code == 302, response.content[:2000]
    page = StandardPage.objects.get(slug="our-approach")
    assert page.live and page.get_parent().pk == home_page.pk and page.introduction == "How we work."


def test_footer_is_an_editable_site_setting(staff_client, home_page):
    url = f"/admin/settings/website/footersettings/{home_page.get_site().pk}/"
    assert b'name="postal_address"' in staff_client.get(url).content

    response = staff_client.post(
        url,
        nested_form_data(
            {
                "about": rich_text("<p>A network.</p>"),
                "links": streamfield([]),
                "contact_email": "hello@network.example",
                "postal_address": "1 Main St",
            }
        ),
    )

    assert response.status_code == 302, response.content[:2000]
    footer = FooterSettings.for_site(home_page.get_site())
    assert (footer.contact_email, footer.postal_address) == ("hello@network.example", "1 Main St")


def test_navigation_is_an_editable_site_setting(staff_client, home_page):
    url = f"/admin/settings/website/navigationsettings/{home_page.get_site().pk}/"
    link = {"label": "About us", "page": "", "url": "https://network.example/about"}

    response = staff_client.post(url, nested_form_data({"primary_links": streamfield([("link", link)])}))

    assert response.status_code == 302, response.content[:2000]
    links = NavigationSettings.for_site(home_page.get_site()).primary_links
    assert [block.value["label"] for block in links] == ["About us"]


def test_an_outside_link_without_a_label_is_refused():
    from django.core.exceptions import ValidationError

    from website.blocks import LinkBlock

    block = LinkBlock()
    with pytest.raises(ValidationError):
        block.clean(block.to_python({"label": "", "page": None, "url": "https://example.org"}))
    with pytest.raises(ValidationError):
        block.clean(block.to_python({"label": "Both", "page": None, "url": ""}))
    assert block.clean(block.to_python({"label": "Partner", "page": None, "url": "https://example.org"}))


def test_an_optional_link_may_be_left_empty():
    from website.blocks import LinkBlock

    block = LinkBlock(required=False)

    assert block.clean(block.to_python({"label": "", "page": None, "url": ""}))["label"] == ""
