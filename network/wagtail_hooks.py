from django.db.models import Q
from wagtail import hooks
from wagtail.permission_policies.pages import PagePermissionPolicy

from .models import PartnershipPage
from .services import partnership_editors_group_ensure


@hooks.register("after_create_page")
def give_new_partnership_its_editors_group(request, page):
    if isinstance(page.specific, PartnershipPage):
        partnership_editors_group_ensure(partnership=page)


@hooks.register("construct_page_chooser_queryset")
def choosable_pages_are_live_or_the_users_own(pages, request):
    """The page chooser (links in a partnership page, say) lists every page by default,
    drafts included, so a partnership editor would read the titles of unpublished work.
    It shows live pages, and drafts only to those who may edit them."""
    editable = PagePermissionPolicy().instances_user_has_any_permission_for(request.user, {"change", "publish"})
    return pages.filter(Q(live=True) | Q(pk__in=editable.values("pk")))
