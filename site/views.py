from django.conf import settings
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET
from django.views.static import serve

from .health import health_report

MEDIA_MAX_AGE = 60 * 60 * 24


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
@never_cache
def health(request):
    """For load balancers and monitoring: 200 while the site can serve pages (even with
    search degraded to the database), 503 when it cannot."""
    report = health_report()
    return JsonResponse(report, status=503 if report["status"] == "down" else 200)


@require_GET
def media(request, path):
    """Uploaded images (and the demo's sample feeds) from MEDIA_ROOT, when no proxy or
    object storage serves them (settings.SERVE_MEDIA). Documents are left to Wagtail's
    /documents/ view, which checks their collection's privacy."""
    if path.startswith("documents/"):
        raise Http404(path)
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    patch_cache_control(response, public=True, max_age=MEDIA_MAX_AGE)
    return response
