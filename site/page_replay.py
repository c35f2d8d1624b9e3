"""Cached pages answered before Django: the WSGI application around Django's handler.

An anonymous read of a cached page went through Django's whole request cycle (its
signals, a dozen middleware, each header set and checked one by one) to send kept bytes:
most of a hit's CPU time. The first time the page cache answers a given request (the
same method, scheme, host, address and Accept-Encoding), this layer keeps what the
middleware sent around the page: its headers and the form of its body (the gzip frame
or the plain page). The next such request is answered here from the same kept page,
with the visitor's own CSRF token masked into it and their cookie set as
CsrfViewMiddleware sets it.

What this layer could not answer exactly as Django would goes to Django: a visitor with
a session, a conditional request (the page cache answers 304s), a CSRF cookie Django
would replace, a request with no answer kept yet. Kept answers live in the cache under
the page cache's generation, so a publish ends them with the pages.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.core.handlers.wsgi import get_str_from_wsgi
from django.http import HttpResponse
from django.http.cookie import parse_cookie
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH

from website.compression import frame_join
from website.page_cache import (
    GENERATION_KEY,
    PAGE_CACHE_ANSWER,
    PAGE_CACHE_GENERATION,
    csrf_secret_masked,
    csrf_secret_new,
)

# Everything in a request that shapes the middleware's answer with a cached page (its
# host, address, scheme and encoding), besides the cookies this layer reads itself.
REQUEST_SHAPE = (
    "REQUEST_METHOD",
    "wsgi.url_scheme",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_HOST",
    "SERVER_NAME",
    "SERVER_PORT",
    "SCRIPT_NAME",
    "PATH_INFO",
    "QUERY_STRING",
    "HTTP_ACCEPT_ENCODING",
)
CONDITIONAL = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE")
_NOT_KEPT = frozenset({"content-length", "x-page-cache", "set-cookie"})
_SECRET_STAND_IN = "S" * CSRF_SECRET_LENGTH


class PageReplay:
    """The WSGI application: `application` (Django's) with cached pages answered first."""

    def __init__(self, application):
        self.application = application
        self._cookie = (None, "")  # (second, Set-Cookie value): one assignment, for threads

    def __call__(self, environ, start_response):
        if not settings.PAGE_CACHE_SECONDS or settings.CSRF_USE_SESSIONS or any(map(environ.__contains__, CONDITIONAL)):
            return self.application(environ, start_response)
        cookies = parse_cookie(get_str_from_wsgi(environ, "HTTP_COOKIE", ""))
        secret = cookies.get(settings.CSRF_COOKIE_NAME)
        if settings.SESSION_COOKIE_NAME in cookies or not (secret is None or _is_secret(secret)):
            return self.application(environ, start_response)
        generation = cache.get(GENERATION_KEY)
        if generation is None:
            return self.application(environ, start_response)
        key = _answer_key(environ, generation)
        answer = cache.get(key)
        if answer is None:
            return self._through_django(environ, start_response, key, generation)
        cookie = []
        token = b""
        if answer["has_token"]:
            secret = secret or csrf_secret_new()
            token = csrf_secret_masked(secret).encode()
            cookie.append(("Set-Cookie", self._csrf_cookie(secret)))
        body = frame_join(answer["gzip"], token) if answer["gzip"] else token.join(answer["parts"])
        start_response(
            "200 OK", [*answer["headers"], ("Content-Length", str(len(body))), ("X-Page-Cache", "hit"), *cookie]
        )
        return [body]

    def _through_django(self, environ, start_response, key, generation):
        sent = []

        def start_and_note(status, headers, exc_info=None):
            sent.append((status, headers))
            return start_response(status, headers, exc_info)

        response = self.application(environ, start_and_note)
        if environ.get(PAGE_CACHE_ANSWER) and environ.get(PAGE_CACHE_GENERATION) == generation:
            self._keep(key, environ, *sent[-1], *environ[PAGE_CACHE_ANSWER])
        return response

    def _keep(self, key, environ, status, headers, entry, compressed):
        """Keeps the middleware's answer, if a replay would be that answer byte for byte
        but for the visitor's token and cookie."""
        names = [name.lower() for name, _ in headers]
        encoding = next((value for name, value in headers if name.lower() == "content-encoding"), None)
        cookies = [value for name, value in headers if name.lower() == "set-cookie"]
        secret = environ.get("CSRF_COOKIE")
        expected_cookies = [self._csrf_cookie(secret)] if len(entry["parts"]) > 1 else []
        if (
            status != "200 OK"
            or "x-page-cache" not in names
            or encoding != ("gzip" if compressed else None)
            or cookies != expected_cookies
        ):
            return
        answer = {
            "has_token": len(entry["parts"]) > 1,
            **({"gzip": entry["gzip"], "parts": None} if compressed else {"gzip": None, "parts": entry["parts"]}),
            "headers": [(name, value) for name, value in headers if name.lower() not in _NOT_KEPT],
        }
        cache.set(key, answer, settings.PAGE_CACHE_SECONDS)

    def _csrf_cookie(self, secret):
        """The Set-Cookie value CsrfViewMiddleware gives `secret` now: made by Django once a
        second (its expiry date is to the second), the secret put in."""
        second, template = self._cookie
        if second != int(time.time()):
            second = int(time.time())
            response = HttpResponse()
            response.set_cookie(
                settings.CSRF_COOKIE_NAME,
                _SECRET_STAND_IN,
                max_age=settings.CSRF_COOKIE_AGE,
                domain=settings.CSRF_COOKIE_DOMAIN,
                path=settings.CSRF_COOKIE_PATH,
                secure=settings.CSRF_COOKIE_SECURE,
                httponly=settings.CSRF_COOKIE_HTTPONLY,
                samesite=settings.CSRF_COOKIE_SAMESITE,
            )
            template = response.cookies[settings.CSRF_COOKIE_NAME].output(header="")
            self._cookie = (second, template)
        return template.replace(_SECRET_STAND_IN, secret or "", 1)


def _is_secret(value):
    """A CSRF secret as Django writes it in its cookie (Django replaces anything else)."""
    return len(value) == CSRF_SECRET_LENGTH and not value.strip(CSRF_ALLOWED_CHARS)


def _answer_key(environ, generation):
    shape = repr(tuple(environ.get(name) for name in REQUEST_SHAPE))
    return f"page-replay:{generation}:{hashlib.sha256(shape.encode('utf-8', 'backslashreplace')).hexdigest()}"
