"""A cached page is gzip-compressed once, as a frame: its fixed parts compressed, each
response's CSRF token joined in between. Any gzip decoder must read the joined bytes as
the page with that token."""

import gzip
import random

import pytest

from website.compression import compressed_frame, frame_join

TOKEN = b"k" * 32 + b"Q" * 32


def page_parts(rng, sizes):
    words = [b"<p>", b"</p>", b"partnership", b"reading", b"Milwaukee", b" ", b"\n", b'<a href="/network/">']
    return [b"".join(rng.choice(words) for _ in range(size)) for size in sizes]


@pytest.mark.parametrize(
    "sizes",
    [(4000,), (4000, 300), (4000, 0), (3000, 200, 500), (300, 20000)],
    ids=["no token", "token in the footer", "token last", "two forms", "long tail"],
)
def test_a_frame_joined_with_a_token_decompresses_to_the_page_with_that_token(sizes):
    parts = page_parts(random.Random(sum(sizes)), sizes)
    frame = compressed_frame(parts, token_length=len(TOKEN))
    assert frame is not None
    for token in (TOKEN, TOKEN[::-1]):
        body = frame_join(frame, token)
        assert gzip.decompress(body) == token.join(parts)
        assert len(body) < len(token.join(parts))


def test_nothing_to_gain_keeps_no_frame():
    parts = [random.Random(1).randbytes(300)]
    assert compressed_frame(parts, token_length=64) is None
