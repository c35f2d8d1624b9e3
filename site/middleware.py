"""Response headers Django's SecurityMiddleware does not set."""

from django.conf import settings

# Everything the public site uses is served by the site itself (no CDN, no font service,
# no inline script or style); images may come from members' feeds, video embeds from
# the usual players.
CONTENT_SECURITY_POLICY = "; ".join(
    [
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
        "frame-ancestors 'none'",
    ]
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"


class SecurityHeadersMiddleware:
    """A strict Content-Security-Policy on every public response that has not set its
    own (the Wagtail admin, which needs inline scripts, keeps Wagtail's defaults), and a
    Permissions-Policy that turns off the browser features the site never uses."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.exempt = tuple(settings.CONTENT_SECURITY_POLICY_EXEMPT_PATHS)

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(self.exempt):
            response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
