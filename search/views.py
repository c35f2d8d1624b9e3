from django.shortcuts import render
from django.views.decorators.http import require_GET

from website.responses import noindex

from .selectors import site_search_page

MAX_QUERY_LENGTH = 200


@require_GET
def site_search(request):
    """Site-wide search over every public page and member news."""
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    results = site_search_page(query=query, page_number=request.GET.get("page", 1))
    return noindex(render(request, "search/search_results.html", {"search_query": query, "results": results}))
