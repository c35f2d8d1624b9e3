"""Response headers Django's SecurityMiddleware does not set, response compression, and
Wagtail's site lookup kept between requests."""

import contextlib

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils.cache import patch_vary_headers
from wagtail.models import Site

from website.compression import accepted_encoding, compress, compressible
from website.page_cache import page_cache_kept

# Everything the public site uses is served by the site itself (no CDN, no font service,
# no inline script or style); images may come from members' feeds, video embeds from
# the usual players.
PUBLIC_DIRECTIVES = (
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' https:",
    "font-src 'self'",
    "connect-src 'self'",
    "frame-src https://www.youtube.com https://www.youtube-nocookie.com https://player.vimeo.com",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
)
# Email HTML is styled inline; it runs no script at all.
EMAIL_DIRECTIVES = (
    "default-src 'none'",
    "style-src 'unsafe-inline'",
    "img-src 'self' https:",
    "base-uri 'none'",
    "form-action 'none'",
)
NOT_FRAMED = "frame-ancestors 'none'"
# A preview is served at an admin address, inside the admin's own side panel: 'self'
# is the admin's origin, and nobody else may frame it.
FRAMED_BY_ADMIN = "frame-ancestors 'self'"

CONTENT_SECURITY_POLICY = "; ".join((*PUBLIC_DIRECTIVES, NOT_FRAMED))
PREVIEW_CONTENT_SECURITY_POLICY = "; ".join((*PUBLIC_DIRECTIVES, FRAMED_BY_ADMIN))
EMAIL_CONTENT_SECURITY_POLICY = "; ".join((*EMAIL_DIRECTIVES, NOT_FRAMED))
EMAIL_PREVIEW_CONTENT_SECURITY_POLICY = "; ".join((*EMAIL_DIRECTIVES, FRAMED_BY_ADMIN))
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"


def is_preview(request):
    """Wagtail renders a preview through the middleware with a stand-in request for the
    page's public address, marked `is_preview` (see PreviewableMixin.make_preview_request)."""
    return getattr(request, "is_preview", False)


class SecurityHeadersMiddleware:
    """A strict Content-Security-Policy on every public response that has not set its
    own (the Wagtail admin, which needs inline scripts, keeps Wagtail's defaults), and a
    Permissions-Policy that turns off the browser features the site never uses. A preview
    gets the same policy except that the admin may frame it."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.exempt = tuple(settings.CONTENT_SECURITY_POLICY_EXEMPT_PATHS)

    def __call__(self, request):
        response = self.get_response(request)
        if is_preview(request):
            response.headers.setdefault("Content-Security-Policy", PREVIEW_CONTENT_SECURITY_POLICY)
        elif not request.path.startswith(self.exempt):
            response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class CompressionMiddleware:
    """Pages, feeds and JSON compressed with brotli when the client accepts it, else gzip
    (`website.compression`).

    Django's GZipMiddleware has no brotli and compresses images and archives too; static
    files are compressed ahead of time by WhiteNoise and never reach this middleware;
    the page cache hands out its pages compressed already. Pages carry a CSRF token, but
    it is masked afresh on every response (Django's BREACH defence), so compression
    reveals nothing about it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not compressible(response):
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        encoding = accepted_encoding(request)
        if encoding is None:
            return response
        compressed = compress(response.content, encoding)
        if len(compressed) >= len(response.content):
            return response
        response.content = compressed
        response["Content-Length"] = str(len(compressed))
        response["Content-Encoding"] = encoding
        if (etag := response.get("ETag", "")).startswith('"'):
            response["ETag"] = f"W/{etag}"  # the same resource, other bytes
        return response


class KeptSiteMiddleware:
    """The Wagtail site for the request's host and port, with its home page as its own
    type, kept for the page-cache generation: Wagtail looked both up on every request (two
    queries) before routing. Any save or delete of a site or a page starts a new
    generation. Wagtail keeps the site of a request in `request._wagtail_site` (see
    `Site.find_for_request`); this fills it before Wagtail asks. After CommonMiddleware,
    so the host is one ALLOWED_HOSTS names."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Without a database, the views that need a site fail their own way (a 503) when
        # Wagtail looks it up itself; /health/ needs none, and reports the database down.
        with contextlib.suppress(DatabaseError, connection.Database.Error):
            request._wagtail_site = page_cache_kept(
                f"site-for:{request.get_host()}:{request.get_port()}", lambda: self._site_read(request)
            )
        return self.get_response(request)

    @staticmethod
    def _site_read(request):
        site = Site.find_for_request(request)
        if site is not None:
            site.root_page.localized.specific  # noqa: B018 (read now, to be kept with the site)
        return site
