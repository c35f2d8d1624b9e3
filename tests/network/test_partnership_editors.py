"""Each partnership's own staff edit only their page; comms staff moderate and publish."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import WorkflowState

from network.services import partnership_editors_group_ensure
from tests.factories import PartnershipPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_partnerships(make_partnership):
    return make_partnership(title="Akron Learns", state="OH"), make_partnership(title="Tulsa Reads", state="OK")


@pytest.fixture
def akron_editor(client, two_partnerships):
    akron, _ = two_partnerships
    user = get_user_model().objects.create_user("akron-staff", "staff@akron.example.org", "pw")
    user.groups.add(partnership_editors_group_ensure(partnership=akron))
    client.force_login(user)
    return client


def page_form(**fields):
    """The POST data of the partnership editor form."""
    return {
        "body-count": "0",
        "report_cards-TOTAL_FORMS": "0",
        "report_cards-INITIAL_FORMS": "0",
        "report_cards-MIN_NUM_FORMS": "0",
        "report_cards-MAX_NUM_FORMS": "1000",
        **fields,
    }


def edit_form(page, **changes):
    current = {name: getattr(page, name) for name in ("title", "slug", "summary", "city", "state", "stage")}
    return page_form(**{**current, **changes})


def test_editor_opens_their_own_page_but_is_refused_on_another(akron_editor, two_partnerships):
    akron, tulsa = two_partnerships

    assert akron_editor.get(f"/admin/pages/{akron.pk}/edit/").status_code == 200
    refused = akron_editor.get(f"/admin/pages/{tulsa.pk}/edit/", follow=True)
    assert refused.redirect_chain == [("/admin/", 302)], "Wagtail sends them back to the dashboard"
    assert "Sorry, you do not have permission" in refused.content.decode()
    posted = akron_editor.post(f"/admin/pages/{tulsa.pk}/edit/", edit_form(tulsa, summary="Hijacked"))
    assert (posted.status_code, posted["Location"]) == (302, "/admin/")
    tulsa.refresh_from_db()
    assert tulsa.summary != "Hijacked"


def test_editor_submits_for_moderation_and_the_change_waits_for_a_moderator(akron_editor, two_partnerships, client):
    akron, _ = two_partnerships

    response = akron_editor.post(
        f"/admin/pages/{akron.pk}/edit/", edit_form(akron, summary="New summary", **{"action-submit": "Submit"})
    )

    assert response.status_code == 302
    akron.refresh_from_db()
    assert akron.summary != "New summary", "not live until approved"
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(akron.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS

    moderator = get_user_model().objects.create_user("comms", "comms@network.example", "pw")
    moderator.groups.add(Group.objects.get(name="Moderators"))
    client.force_login(moderator)
    task_state = state.current_task_state
    approve = client.post(f"/admin/pages/workflow/action/{akron.pk}/approve/{task_state.pk}/", {"comment": ""})
    assert (approve.status_code, approve["Location"]) == (302, f"/admin/pages/{akron.pk}/edit/")
    akron.refresh_from_db()
    assert akron.summary == "New summary"


def test_editor_cannot_publish_directly(akron_editor, two_partnerships):
    akron, _ = two_partnerships

    akron_editor.post(
        f"/admin/pages/{akron.pk}/edit/", edit_form(akron, summary="Sneaky", **{"action-publish": "Publish"})
    )

    akron.refresh_from_db()
    assert akron.summary != "Sneaky"


def test_every_partnership_created_in_the_admin_gets_its_own_editors_group(admin_client, directory):
    response = admin_client.post(
        f"/admin/pages/add/network/partnershippage/{directory.pk}/",
        page_form(title="Reno Ready", slug="reno-ready", summary="Reno.", city="Reno", state="NV", stage="exploring"),
    )

    assert response.status_code == 302
    group = Group.objects.get(name__startswith="Partnership editors: Reno Ready")
    assert group.page_permissions.get().page.slug == "reno-ready"
    assert partnership_editors_group_ensure(partnership=group.page_permissions.get().page) == group, "idempotent"


def test_a_document_over_the_size_limit_is_refused_with_a_clear_error(akron_editor, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from wagtail.documents.models import Document

    pdf = SimpleUploadedFile("annual-report.pdf", b"%PDF-1.7\n" + bytes(60 * 2**20), content_type="application/pdf")
    response = akron_editor.post("/admin/documents/add/", {"title": "Annual report", "file": pdf, "collection": "1"})

    assert response.status_code == 200
    assert b"This file is too big" in response.content
    assert not Document.objects.exists()


def test_the_page_chooser_shows_an_editor_live_pages_and_their_own_drafts_only(
    akron_editor, two_partnerships, directory
):
    akron, tulsa = two_partnerships
    secret = PartnershipPageFactory(parent=directory, title="Secret merger plans", live=False)
    akron.title = "Akron Learns draft"
    akron.live = False
    akron.save()

    searched = akron_editor.get("/admin/choose-page/search/", {"q": "Secret merger"}).content.decode()
    browsed = akron_editor.get(f"/admin/choose-page/{directory.pk}/").content.decode()
    searched_akron = akron_editor.get("/admin/choose-page/search/", {"q": "Akron"}).content.decode()

    assert secret.title not in searched and secret.title not in browsed
    assert tulsa.title in browsed, "live pages stay choosable"
    assert akron.title in browsed and akron.title in searched_akron, "their own draft stays choosable"
