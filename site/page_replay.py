"""Cached pages answered before Django: the WSGI application around Django's handler.

An anonymous read of a cached page went through Django's whole request cycle (its
signals, a dozen middleware, each header set and checked one by one) to send kept bytes:
most of a hit's CPU time. The first time the page cache answers a given kind of request
(`_answer_key`: the method, scheme, host, port, path and query, and which of gzip and
brotli the client accepts, each as Django reads it), this layer keeps what the
middleware sent around the page: its headers and the form of its body (the gzip frame or the plain
page). The next such request is answered here, from the page cache's own entry, with the
visitor's own CSRF token masked into it and their cookie set as CsrfViewMiddleware sets
it. Only headers are kept, not another copy of the page: a replay needs the page cache's
entry, so it ends when the entry does, and a publish (a new generation) ends both.

What this layer could not answer exactly as Django would goes to Django: a visitor with
a session, a conditional request (the page cache answers 304s, Django 412s), a CSRF
cookie Django would replace, a request no answer was kept for, any failure of the cache.
"""

import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpResponse
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH

from website.compression import accepted_encodings
from website.page_cache import (
    GENERATION_KEY,
    PAGE_CACHE_ANSWER,
    PAGE_CACHE_KEY,
    csrf_secret_masked,
    csrf_secret_new,
    page_body,
)

logger = logging.getLogger(__name__)

CONDITIONAL = (
    "HTTP_IF_MATCH",
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_UNMODIFIED_SINCE",
    "HTTP_IF_RANGE",
)
_NOT_KEPT = frozenset({"content-length", "x-page-cache", "set-cookie"})
_SECRET_STAND_IN = "S" * CSRF_SECRET_LENGTH


class PageReplay:
    """The WSGI application: `application` (Django's) with cached pages answered first."""

    def __init__(self, application):
        self.application = application
        self._cookie = (None, "")  # (second, Set-Cookie value): one assignment, for threads

    def __call__(self, environ, start_response):
        if (
            not settings.PAGE_CACHE_SECONDS
            or settings.CSRF_USE_SESSIONS
            or settings.DISALLOWED_USER_AGENTS
            or any(map(environ.__contains__, CONDITIONAL))
        ):
            return self.application(environ, start_response)
        request = WSGIRequest(environ)
        secret = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
        if settings.SESSION_COOKIE_NAME in request.COOKIES or not (secret is None or _is_secret(secret)):
            return self.application(environ, start_response)
        try:
            generation = cache.get(GENERATION_KEY)
            if generation is None:
                return self.application(environ, start_response)
            key = _answer_key(request, generation)
            answer = cache.get(key)
            entry = answer and cache.get(answer["page"])
        except DisallowedHost:  # Django answers it (400)
            return self.application(environ, start_response)
        except Exception:
            logger.exception("page replay: the cache failed, Django answers")
            return self.application(environ, start_response)
        if not entry or (answer["compressed"] and entry["gzip"] is None):
            return self._through_django(environ, start_response, key, generation)
        cookie = []
        token = b""
        if len(entry["parts"]) > 1:
            secret = secret or csrf_secret_new()
            token = csrf_secret_masked(secret).encode()
            cookie.append(("Set-Cookie", self._csrf_cookie(secret)))
        body = page_body(entry, token, compressed=answer["compressed"])
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
        page = environ.get(PAGE_CACHE_KEY)
        if environ.get(PAGE_CACHE_ANSWER) and page and page[0] == generation:
            try:
                self._keep(key, environ, page[1], *sent[-1], *environ[PAGE_CACHE_ANSWER])
            except Exception:  # the answer is Django's, whatever happens to keeping it
                logger.exception("page replay: the cache failed to keep an answer")
        return response

    def _keep(self, key, environ, page, status, headers, entry, compressed):
        """Keeps the middleware's headers, if a replay would be that answer byte for byte
        but for the visitor's token and cookie."""
        names = [name.lower() for name, _ in headers]
        encoding = next((value for name, value in headers if name.lower() == "content-encoding"), None)
        cookies = [value for name, value in headers if name.lower() == "set-cookie"]
        expected_cookies = [self._csrf_cookie(environ.get("CSRF_COOKIE"))] if len(entry["parts"]) > 1 else []
        if (
            status != "200 OK"
            or "x-page-cache" not in names
            or encoding != ("gzip" if compressed else None)
            or cookies != expected_cookies
        ):
            return
        answer = {
            "page": page,
            "compressed": compressed,
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


def _answer_key(request, generation):
    """The kind of request, as the middleware read it: what shapes their answer with a
    cached page. Raw headers would make a kept answer per spelling of each (a flood of
    them for anyone sending made-up values)."""
    accepted = accepted_encodings(request)
    kind = (
        request.method,
        request.is_secure(),
        request.get_host(),
        request.get_port(),
        request.get_full_path(),
        "gzip" in accepted,
        "br" in accepted,
    )
    return f"page-replay:{generation}:{hashlib.sha256(repr(kind).encode()).hexdigest()}"
