import sys

from django.conf import settings
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET
from django.views.static import serve

from .faults import RETRY_AFTER_SECONDS, fault_is_temporary
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


def server_error(request):
    """Django's 500 handler, called while the exception is being handled: a temporary
    fault (website.faults) answers 503 with Retry-After, so clients and the proxy come
    back instead of reporting a broken site. Neither page touches the database."""
    if fault_is_temporary(sys.exc_info()[1]):
        response = render(request, "503.html", status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return render(request, "500.html", status=500)


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
