from wagtail import hooks

from .selectors import case_study_for_partnership


@hooks.register("partnership_page_sections")
def partnership_case_studies(*, partnership, request, limit):
    return {"case_studies": case_study_for_partnership(partnership=partnership, limit=limit)}
