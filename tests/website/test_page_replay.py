"""Cached pages answered before Django's request cycle (website.page_replay): whatever a
visitor sends, the answer is the one Django's middleware would have given, with the
visitor's own working CSRF token and cookie; a publish ends every kept answer."""

import gzip
import re
import time
from email.utils import parsedate_to_datetime

import brotli
import pytest
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.middleware.csrf import _unmask_cipher_token
from django.test import RequestFactory
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.factories import BlogIndexPageFactory, BlogPageFactory
from website.page_cache import AnonymousPageCacheMiddleware
from website.page_replay import PageReplay

pytestmark = pytest.mark.django_db

SECRET = "a" * 16 + "B" * 16
_TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
_BODY_ETAG = re.compile(r'^(W/)?"[0-9a-f]{32}"$')
_COOKIE = re.compile(r"^ csrftoken=(\w+); expires=([^;]+); (.*)$")


@pytest.fixture
def site(production, settings):
    """The site as website.wsgi serves it, and Django's handler alone to compare with. As
    Django's test client does, the test's database connection outlives each request."""
    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1"]
    settings.CSRF_COOKIE_SECURE = True
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield PageReplay(WSGIHandler()), WSGIHandler()
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


def environ(path="/about/", method="GET", *, secure=False, headers=None, **meta):
    return RequestFactory().generic(method, path, secure=secure, headers=headers, **meta).environ


def answer(application, request):
    """(status, headers, body) of a WSGI application's answer to a copy of `request`."""
    sent = {}

    def start_response(status, headers, exc_info=None):
        sent.update(status=status, headers=headers)

    chunks = application(dict(request), start_response)
    body = b"".join(chunks)
    getattr(chunks, "close", lambda: None)()
    return sent["status"], sent["headers"], body


def visitor_view(status, headers, body):
    """An answer as a visitor sees it, their token and secret aside (checked to match):
    status, headers (the CSRF cookie's expiry aside, checked to be a year from now) and
    the body decompressed."""
    headers = sorted((name.lower(), value) for name, value in headers)
    assert dict(headers).get("content-length", str(len(body))) == str(len(body))
    # Django's own ETag (not the page cache's) hashes the bytes sent, the token in them,
    # as does the length of a page compressed per response.
    headers = [(name, value) for name, value in headers if name != "content-length" and not _BODY_ETAG.match(value)]
    body = {"gzip": gzip.decompress, "br": brotli.decompress}.get(dict(headers).get("content-encoding"), bytes)(body)
    secrets = []
    for index, (name, value) in enumerate(headers):
        if name == "set-cookie" and (cookie := _COOKIE.match(value)):
            secret, expires, attributes = cookie.groups()
            assert abs(parsedate_to_datetime(expires).timestamp() - time.time() - 31449600) < 5
            headers[index] = (name, attributes)
            secrets.append(secret)
    if token := _TOKEN.search(body):
        assert [_unmask_cipher_token(token.group(1).decode())] == secrets, "the form's token is the cookie's"
        body = body.replace(token.group(1), b"TOKEN")
    return status, headers, body


def test_a_replayed_page_is_the_answer_django_gives_without_asking_django(site, monkeypatch):
    replay, django = site
    requests = [
        environ(HTTP_ACCEPT_ENCODING="gzip, deflate, br, zstd"),
        environ(HTTP_ACCEPT_ENCODING="gzip"),
        environ(),
        environ(secure=True, SERVER_PORT="80", HTTP_ACCEPT_ENCODING="gzip"),  # as gunicorn behind TLS
        environ(HTTP_COOKIE=f"csrftoken={SECRET}", HTTP_ACCEPT_ENCODING="gzip"),
        environ(method="HEAD"),
        environ("/sitemap.xml", HTTP_ACCEPT_ENCODING="gzip"),
        environ("/search/?q=network", HTTP_ACCEPT_ENCODING="gzip"),
    ]
    for request in requests:
        answer(replay, request)  # the page cache fills, and its answer is kept
    through_django = [visitor_view(*answer(django, request)) for request in requests]
    monkeypatch.setattr(AnonymousPageCacheMiddleware, "__call__", lambda *args: pytest.fail("Django was asked"))
    replayed = [visitor_view(*answer(replay, request)) for request in requests]
    assert replayed == through_django
    assert dict(replayed[3][1])["strict-transport-security"].startswith("max-age=31536000")
    assert ("x-page-cache", "hit") in replayed[0][1] and ("content-encoding", "gzip") in replayed[0][1]


def test_what_a_replay_could_answer_differently_goes_to_django(site, monkeypatch):
    replay, django = site
    for _ in range(2):
        answer(replay, environ(HTTP_ACCEPT_ENCODING="gzip"))
    to_django = [
        environ(method="POST", HTTP_ACCEPT_ENCODING="gzip"),
        environ(HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH="*"),
        environ(HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_MODIFIED_SINCE="Mon, 07 Dec 2026 06:00:00 GMT"),
        environ(HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_MATCH='"abc"'),  # Django: 412
        environ(HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_UNMODIFIED_SINCE="Mon, 07 Dec 2026 06:00:00 GMT"),
        environ(HTTP_ACCEPT_ENCODING="gzip", HTTP_COOKIE="sessionid=abc"),
        environ(HTTP_ACCEPT_ENCODING="gzip", HTTP_COOKIE="csrftoken=not-a-secret"),
        environ(HTTP_ACCEPT_ENCODING="gzip", HTTP_COOKIE=f"csrftoken={SECRET * 2}"),  # masked, as before Django 4
        environ(HTTP_ACCEPT_ENCODING="br"),
    ]
    asked = []
    ask = AnonymousPageCacheMiddleware.__call__
    monkeypatch.setattr(
        AnonymousPageCacheMiddleware, "__call__", lambda self, request: asked.append(1) or ask(self, request)
    )
    for request in to_django:
        assert visitor_view(*answer(replay, request)) == visitor_view(*answer(django, request))
    assert len(asked) == 2 * len(to_django)


def test_a_returning_visitor_keeps_their_secret_and_a_new_one_gets_their_own(site):
    replay, _ = site
    for _ in range(2):
        answer(replay, environ())
    returning = [answer(replay, environ(HTTP_COOKIE=f"csrftoken={SECRET}")) for _ in range(3)]
    tokens = [_TOKEN.search(body).group(1).decode() for _, _, body in returning]
    assert {_unmask_cipher_token(token) for token in tokens} == {SECRET} and len(set(tokens)) == 3
    assert all(dict(headers)["Set-Cookie"].startswith(f" csrftoken={SECRET};") for _, headers, _ in returning)
    newcomers = {dict(answer(replay, environ())[1])["Set-Cookie"] for _ in range(3)}
    assert len(newcomers) == 3


def test_a_replay_ends_with_the_page_caches_entry(site, settings):
    """Only the headers are kept: once the page's entry expires, Django renders it again."""
    replay, _ = site
    settings.PAGE_CACHE_SECONDS = 1
    for _ in range(3):
        assert dict(answer(replay, environ())[1])["X-Page-Cache"] in ("miss", "hit")
    time.sleep(1.1)
    assert dict(answer(replay, environ())[1])["X-Page-Cache"] == "miss"


def test_made_up_header_values_share_one_kept_answer(site, monkeypatch):
    """A kind of request is what the middleware read from it (gzip accepted or not, the
    host Django trusts), so made-up spellings cannot fill the cache with kept answers."""
    replay, _ = site
    answer(replay, environ(HTTP_ACCEPT_ENCODING="gzip"))  # rendered, its answer kept
    asked = []
    ask = AnonymousPageCacheMiddleware.__call__
    monkeypatch.setattr(
        AnonymousPageCacheMiddleware, "__call__", lambda self, request: asked.append(1) or ask(self, request)
    )
    for number in range(20):
        request = environ(HTTP_ACCEPT_ENCODING=f"gzip, x-{number}", HTTP_X_FORWARDED_HOST=f"h{number}.example")
        assert dict(answer(replay, request)[1])["X-Page-Cache"] == "hit"
    assert asked == [], "each one answered with the first one's kept answer"


def test_if_the_cache_fails_django_answers(site, monkeypatch, caplog):
    from website import page_replay

    class Broken:
        def get(self, *args, **kwargs):
            raise ConnectionError("the cache server is gone")

    replay, _ = site
    monkeypatch.setattr(page_replay, "cache", Broken())
    status, headers, _ = answer(replay, environ())
    assert status == "200 OK" and dict(headers)["X-Page-Cache"] == "miss"
    assert "the cache failed" in caplog.text


def test_a_publish_ends_every_kept_answer(site, production):
    replay, _ = site
    for _ in range(3):
        answer(replay, environ())
    about = production.get_children().get(slug="about").specific
    about.title = "About our network"
    about.save_revision().publish()
    _, headers, body = answer(replay, environ())
    assert dict(headers)["X-Page-Cache"] == "miss" and b"About our network" in body


def test_a_feed_reader_gets_djangos_feed_and_its_304(site, production):
    """A reader polls the blog's feed as Miniflux does: gzip, no cookie, then again with
    the validator it was given. Each answer is Django's; the second poll is a 304."""
    replay, django = site
    BlogPageFactory(parent=BlogIndexPageFactory(parent=production), title="Network in the News: Albany")
    reader = {"HTTP_ACCEPT_ENCODING": "gzip", "HTTP_USER_AGENT": "Miniflux/2.2"}
    answer(replay, environ("/blog/rss/", **reader))  # the first poll fills the page cache
    polls = [visitor_view(*answer(application, environ("/blog/rss/", **reader))) for application in (django, replay)]
    assert polls[0] == polls[1]
    status, headers, body = polls[1]
    assert status == "200 OK" and b"Network in the News: Albany" in body and b"<rss" in body
    assert ("x-page-cache", "hit") in headers and ("content-encoding", "gzip") in headers
    validator = dict(headers)["etag"]
    polls = [
        answer(application, environ("/blog/rss/", HTTP_IF_NONE_MATCH=validator, **reader))
        for application in (replay, django)
    ]
    assert visitor_view(*polls[0]) == visitor_view(*polls[1])
    assert polls[0][0] == "304 Not Modified" and polls[0][2] == b""


# What an HTTP server hands a WSGI application in a header: Latin-1, no control characters.
LATIN_1 = st.characters(max_codepoint=255, exclude_categories=("Cc",))
REQUEST_PARTS = {
    "method": st.sampled_from(["GET", "HEAD", "POST"]),
    "path": st.sampled_from(["/about/", "/about/?utm=1", "/about", "/sitemap.xml", "/no-such-page/", "/ab%0Aout/"]),
    "secure": st.booleans(),
    "Accept-Encoding": st.sampled_from([None, "gzip", "br", "gzip;q=0, br", "identity", "*", "gzip, deflate, br"])
    | st.text(LATIN_1, max_size=20),
    "Cookie": st.sampled_from(
        [None, f"csrftoken={SECRET}", "csrftoken=short", f"csrftoken={SECRET * 2}", "sessionid=abc", "x=1; y"]
    )
    | st.text(LATIN_1, max_size=40),
    "If-None-Match": st.sampled_from([None, 'W/"1-0"', "*"]) | st.text(LATIN_1, max_size=10),
    "If-Match": st.sampled_from([None, '"abc"', "*"]),
    "If-Unmodified-Since": st.sampled_from([None, "Mon, 07 Dec 2026 06:00:00 GMT", "yesterday"]),
    "X-Forwarded-Proto": st.sampled_from([None, "https", "http"]),
    "X-Forwarded-Host": st.sampled_from([None, "other.example"]),
    "Host": st.sampled_from(["testserver", "127.0.0.1", "evil.example"]),
}

BROWSER_REQUEST = {
    "method": "GET",
    "path": "/about/",
    "secure": False,
    "Accept-Encoding": "gzip, deflate, br",
    "Cookie": None,
    "If-None-Match": None,
    "If-Match": None,
    "If-Unmodified-Since": None,
    "X-Forwarded-Proto": None,
    "X-Forwarded-Host": None,
    "Host": "testserver",
}


@hypothesis_settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_whatever_visitors_send_the_answer_is_djangos(site, settings, data):
    """A browser's request, then the same with one part changed, and so on: each answer
    is the one Django gives the same request."""
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    cache.clear()  # each example from an empty cache, as the test began
    replay, django = site
    request = BROWSER_REQUEST
    for _ in range(data.draw(st.integers(1, 10), label="requests")):
        headers = {name: value for name, value in list(request.items())[3:] if value is not None}
        sent = environ(request["path"], request["method"], secure=request["secure"], headers=headers)
        answer(replay, sent)  # a miss the first time (the comparison is of what comes after)
        assert visitor_view(*answer(replay, sent)) == visitor_view(*answer(django, sent))
        part = data.draw(st.sampled_from(list(REQUEST_PARTS)), label="changed")
        request = {**request, part: data.draw(REQUEST_PARTS[part], label=part)}
