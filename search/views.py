from django.shortcuts import render
from django.views.decorators.http import require_GET

from indicators.selectors import indicator_search
from website.query_text import query_text_clean
from website.responses import noindex

from .selectors import site_search_page

MAX_QUERY_LENGTH = 200
INDICATOR_RESULTS = 5


@require_GET
def site_search(request):
    """Site-wide search over every public page and member news."""
    query = query_text_clean(request.GET.get("q", ""), max_length=MAX_QUERY_LENGTH)
    results = site_search_page(query=query, page_number=request.GET.get("page", 1))
    indicators = indicator_search(query=query, limit=INDICATOR_RESULTS) if results.number == 1 else []
    context = {"search_query": query, "results": results, "indicators": indicators}
    return noindex(render(request, "search/search_results.html", context))
