"""Comms staff can open every page type and its settings in the Wagtail admin."""

import pytest
from django.contrib.auth import get_user_model

from tests.factories import StandardPageFactory

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


def test_a_standard_page_can_be_created_under_home(staff_client, home_page):
    response = staff_client.get(f"/admin/pages/add/website/standardpage/{home_page.pk}/")

    assert response.status_code == 200


@pytest.mark.parametrize("setting", ["navigationsettings", "footersettings"])
def test_navigation_and_footer_are_editable_site_settings(staff_client, home_page, setting):
    response = staff_client.get(f"/admin/settings/website/{setting}/{home_page.get_site().pk}/")

    assert response.status_code == 200


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
