import pytest
from django.contrib.auth.models import Group
from wagtail.models import GroupPagePermission, Page, Workflow, WorkflowPage

from website.services import editorial_roles_ensure

pytestmark = pytest.mark.django_db


def test_editorial_roles_match_what_wagtail_sets_up_and_are_idempotent():
    root = Page.get_first_root_node()
    before = (Group.objects.count(), GroupPagePermission.objects.count(), Workflow.objects.count())

    groups = editorial_roles_ensure()

    assert (Group.objects.count(), GroupPagePermission.objects.count(), Workflow.objects.count()) == before
    assert set(groups) == {"Editors", "Moderators"}
    assert WorkflowPage.objects.get(page=root).workflow.name == "Moderators approval"


def test_editorial_roles_are_rebuilt_in_an_emptied_database():
    WorkflowPage.objects.all().delete()
    Workflow.objects.all().delete()
    Group.objects.all().delete()

    groups = editorial_roles_ensure()

    root = Page.get_first_root_node()
    moderators = set(
        GroupPagePermission.objects.filter(group=groups["Moderators"], page=root).values_list(
            "permission__codename", flat=True
        )
    )
    assert moderators == {"add_page", "change_page", "publish_page"}
    workflow = WorkflowPage.objects.get(page=root).workflow
    assert [task.specific.groups.get() for task in workflow.tasks] == [groups["Moderators"]]
