from django.shortcuts import render
from django.views.decorators.http import require_GET

from website.query_text import query_text_clean
from website.responses import noindex

from .selectors import page_search

MAX_QUERY_LENGTH = 200


@require_GET
def site_search(request):
    """Site-wide search over every public page."""
    query = query_text_clean(request.GET.get("q", ""), max_length=MAX_QUERY_LENGTH)
    results = page_search(query=query, page_number=request.GET.get("page", 1))
    return noindex(render(request, "search/search_results.html", {"search_query": query, "results": results}))
