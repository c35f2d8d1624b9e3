from django.shortcuts import render
from django.views.decorators.http import require_GET

from .selectors import page_search

MAX_QUERY_LENGTH = 200


@require_GET
def site_search(request):
    """Site-wide search over every public page. Results pages are never indexed."""
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    results = page_search(query=query, page_number=request.GET.get("page", 1))
    response = render(request, "search/search_results.html", {"search_query": query, "results": results})
    response["X-Robots-Tag"] = "noindex"
    return response
