from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET

from .health import health_report


@require_GET
@cache_control(max_age=60 * 60 * 24, public=True)
def robots_txt(request):
    return render(
        request,
        "robots.txt",
        {"sitemap_url": f"{settings.BASE_URL}/sitemap.xml"},
        content_type="text/plain; charset=utf-8",
    )


@require_GET
@cache_control(max_age=60 * 60 * 24, public=True)
def favicon(request):
    """Browsers and feed readers ask for /favicon.ico whatever a page links: send them to the icon."""
    return redirect(static("website/img/favicon.svg"), permanent=True)


@require_GET
@never_cache
def health(request):
    """For load balancers and monitoring: 200 while the site can serve pages (even with
    search degraded to the database), 503 when it cannot."""
    report = health_report()
    return JsonResponse(report, status=503 if report["status"] == "down" else 200)
