"""HTTP as production serves it: pages, feeds and JSON compressed (brotli when accepted,
else gzip), the full set of security headers on every response whether or not it comes
from the page cache, and uploaded images served by the application itself."""

import gzip
import json
import re

import brotli
import pytest
from django.test import Client

from tests.factories import ImageFactory

pytestmark = pytest.mark.django_db

SECURITY_HEADERS = (
    "Strict-Transport-Security",
    "Content-Security-Policy",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Permissions-Policy",
    "Cross-Origin-Opener-Policy",
)


def test_every_response_carries_every_security_header_through_the_page_cache(production):
    visitor = Client()
    miss = visitor.get("/about/", secure=True)
    responses = {
        "page, cache miss": miss,
        "page, cache hit": visitor.get("/about/", secure=True),
        "page, not modified": visitor.get("/about/", secure=True, HTTP_IF_NONE_MATCH=miss["ETag"]),
        "search (never cached)": visitor.get("/search/", {"q": "about"}, secure=True),
        "feed": visitor.get("/newsletter/archive/rss/", secure=True),
        "JSON": visitor.get("/network/json/", secure=True),
        "404": visitor.get("/no-such-page/", secure=True),
    }
    assert responses["page, cache hit"]["X-Page-Cache"] == "hit"
    assert responses["page, not modified"].status_code == 304
    missing = [
        (name, header) for name, response in responses.items() for header in SECURITY_HEADERS if header not in response
    ]
    assert missing == []
    assert {response["X-Frame-Options"] for response in responses.values()} == {"DENY"}


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/about/", "text/html"),
        ("/newsletter/archive/atom/", "application/atom+xml"),
        ("/network/json/", "application/json"),
    ],
)
def test_pages_feeds_and_json_are_compressed(production, path, content_type):
    plain = Client().get(path).content
    for encoding, decompress in (("br", brotli.decompress), ("gzip", gzip.decompress)):
        for _ in ("miss", "hit"):
            response = Client().get(path, HTTP_ACCEPT_ENCODING=f"{encoding}, deflate")
            assert response["Content-Type"].startswith(content_type)
            assert response["Content-Encoding"] == encoding, (path, encoding)
            assert "Accept-Encoding" in response["Vary"]
            body = decompress(response.content)
            assert len(response.content) < len(body)
            if content_type == "application/json":
                assert json.loads(body) == json.loads(plain)


def test_a_cached_page_is_compressed_once_and_each_copy_carries_its_visitors_token(production, monkeypatch):
    """A hit joins the page's bytes gzip-compressed at the miss around the visitor's own
    token, for browsers too (they accept brotli as well): no compressing per response, and
    what a visitor decompresses is what they would get uncompressed, headers and working
    token included."""

    from website import middleware, page_cache

    plain = Client().get("/about/")  # the miss compresses the page once
    assert plain["X-Page-Cache"] == "miss" and "Content-Encoding" not in plain

    def no_compressing(*args, **kwargs):
        raise AssertionError("a cache hit compressed a page")

    monkeypatch.setattr(middleware, "compress", no_compressing)
    monkeypatch.setattr(page_cache, "compressed_frame", no_compressing)
    for accept_encoding in ("gzip, deflate, br", "gzip"):
        visitor = Client()
        response = visitor.get("/about/", HTTP_ACCEPT_ENCODING=accept_encoding)
        assert response["Content-Encoding"] == "gzip"
        assert_the_page_with_the_visitors_token(response, gzip.decompress, plain=plain, visitor=visitor)


def test_a_client_accepting_only_brotli_gets_a_cached_page_compressed_per_response(production):
    """The page cache keeps no brotli copy: a hit hands CompressionMiddleware the plain
    page with the visitor's token, and the middleware compresses it as any response."""

    plain = Client().get("/about/")
    visitor = Client()
    response = visitor.get("/about/", HTTP_ACCEPT_ENCODING="br")
    assert response["Content-Encoding"] == "br"
    assert_the_page_with_the_visitors_token(response, brotli.decompress, plain=plain, visitor=visitor)
    assert visitor.get("/about/", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def assert_the_page_with_the_visitors_token(response, decompress, *, plain, visitor):
    """A compressed hit is the plain page with the visitor's own working token, with the
    plain page's headers and validators."""
    from django.middleware.csrf import _unmask_cipher_token

    assert response["X-Page-Cache"] == "hit"
    assert response["Vary"] == "Cookie, Accept-Encoding" and response["ETag"] == plain["ETag"]
    assert int(response["Content-Length"]) == len(response.content)
    body = decompress(response.content).decode()
    token = token_of(body)
    assert _unmask_cipher_token(token) == visitor.cookies["csrftoken"].value
    assert body.replace(token, "") == plain.content.decode().replace(token_of(plain.content.decode()), "")
    assert {name for name, _ in response.items()} - {"Content-Encoding"} == {name for name, _ in plain.items()}


def token_of(html):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_uploaded_images_are_served_and_documents_left_to_wagtail(production, settings):
    image = ImageFactory()
    rendition = image.get_rendition("fill-100x100")
    for url in (image.file.url, rendition.url):
        response = Client().get(url, HTTP_ACCEPT_ENCODING="br, gzip")
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("image/")
        assert "Content-Encoding" not in response, "images are compressed already"
        assert b"".join(response.streaming_content)[:4] in (
            b"\x89PNG",
            b"\xff\xd8\xff\xe0",
            b"\xff\xd8\xff\xdb",
            b"GIF8",
        )
    (settings.MEDIA_ROOT / "documents").mkdir(parents=True)
    (settings.MEDIA_ROOT / "documents" / "private.pdf").write_bytes(b"%PDF")
    assert Client().get("/media/documents/private.pdf").status_code == 404
