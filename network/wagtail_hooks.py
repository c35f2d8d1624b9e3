from wagtail import hooks

from .models import PartnershipPage
from .services import partnership_editors_group_ensure


@hooks.register("after_create_page")
def give_new_partnership_its_editors_group(request, page):
    if isinstance(page.specific, PartnershipPage):
        partnership_editors_group_ensure(partnership=page)
