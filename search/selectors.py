"""Reads for site-wide search: every public page type, through Wagtail's search backend."""

from django.core.paginator import Paginator

from website.selectors import page_live_public_searchable

RESULTS_PER_PAGE = 10


def page_search(*, query, page_number=1):
    """A page of site-wide results for `query` over every public page type."""
    results = page_live_public_searchable().specific().search(query) if query else []
    return Paginator(results, RESULTS_PER_PAGE).get_page(page_number)
