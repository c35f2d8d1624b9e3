"""A cached page is compressed once, as a frame: its fixed parts compressed, each
response's CSRF token joined in between. Any brotli or gzip decoder must read the joined
bytes as the page with that token."""

import gzip
import random

import brotli
import pytest

from website.compression import compressed_frame, frame_join

TOKEN = b"k" * 32 + b"Q" * 32
DECOMPRESS = {"br": brotli.decompress, "gzip": gzip.decompress}


def page_parts(rng, sizes):
    words = [b"<p>", b"</p>", b"partnership", b"reading", b"Milwaukee", b" ", b"\n", b'<a href="/network/">']
    return [b"".join(rng.choice(words) for _ in range(size)) for size in sizes]


@pytest.mark.parametrize("encoding", ["br", "gzip"])
@pytest.mark.parametrize(
    "sizes",
    [(4000,), (4000, 300), (4000, 0), (3000, 200, 500), (300, 20000)],
    ids=["no token", "token in the footer", "token last", "two forms", "long tail"],
)
def test_a_frame_joined_with_a_token_decompresses_to_the_page_with_that_token(encoding, sizes):
    parts = page_parts(random.Random(sum(sizes)), sizes)
    frame = compressed_frame(parts, encoding, token_length=len(TOKEN), brotli_tail_max=2**24)
    assert frame is not None
    for token in (TOKEN, TOKEN[::-1]):
        body = frame_join(frame, token)
        assert DECOMPRESS[encoding](body) == token.join(parts)
        assert len(body) < len(token.join(parts))


@pytest.mark.parametrize("tail", [2**16, 2**16 + 1, 2**20 + 1])
def test_brotlis_uncompressed_tail_takes_every_length_a_page_has(tail):
    """The tail's length goes in four, five or six nibbles (RFC 7932, 9.2)."""
    parts = [b"<html>" * 1000, random.Random(tail).randbytes(tail)]
    assert brotli.decompress(
        frame_join(compressed_frame(parts, "br", token_length=64, brotli_tail_max=2**24), TOKEN)
    ) == TOKEN.join(parts)


def test_nothing_to_gain_keeps_no_frame():
    parts = [random.Random(1).randbytes(300)]
    assert compressed_frame(parts, "br", token_length=64) is None
    assert compressed_frame(parts, "gzip", token_length=64) is None


def test_a_page_with_its_form_high_up_is_compressed_per_response_for_brotli():
    """Brotli's frame sends everything after the first token as it is: beyond 4 KB the
    page cache keeps only the gzip frame, and CompressionMiddleware compresses each
    brotli response."""
    from django.http import HttpResponse

    from website.page_cache import _page_entry

    form = '<form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="abc"></form>'
    body = page_parts(random.Random(3), (3000,))[0].decode()
    assert set(_page_entry(HttpResponse(f"<body>{form}{body}</body>"))["encoded"]) == {"gzip"}
    assert set(_page_entry(HttpResponse(f"<body>{body}{form}</body>"))["encoded"]) == {"gzip", "br"}
