"""Response compression: brotli when the client accepts it, else gzip.

A cached page is the same bytes on every response but for each visitor's CSRF token,
and brotli at quality 5 costs several times what the rest of a cache hit does (0.5 ms
for the 14 KB home page, 3.4 ms for a 59 KB directory). So the page cache keeps a page
compressed as a frame: its fixed parts compressed once, joined on each response around
that response's token. Both formats allow it. A deflate stream (gzip) is a series of
blocks: each fixed part is compressed on its own, ending on a byte boundary with no
reference to what came before, and each token goes in between as a stored block; the
gzip trailer's CRC-32 is computed per response over what follows the first part. A
brotli stream is a series of meta-blocks: the part before the first token is
compressed and flushed (the encoder ends a flush on a byte boundary), and everything
from the first token on goes out as one uncompressed meta-block (RFC 7932, section
9.2), so a page whose token sits in the footer form loses the compression of the
footer only (about 1.5 KB more to send); a page with more than 4 KB after its first
token is compressed per response instead.
"""

import struct
import zlib

import brotli
from django.utils.text import compress_string

BROTLI_QUALITY = 5  # per response, on the fly: near gzip's speed, smaller output
# Beyond this much after the first token (a form high on the page), a brotli frame would
# send too much uncompressed: such a page is compressed per response instead.
BROTLI_UNCOMPRESSED_TAIL_MAX = 4096
GZIP_LEVEL = 6  # what Django's compress_string uses
# gzip's header as Python's gzip.compress(mtime=0) writes it: no name, no time, OS unknown.
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
_BROTLI_LAST_EMPTY_META_BLOCK = b"\x03"  # ISLAST and ISLASTEMPTY set


COMPRESSIBLE_TYPES = ("text/", "application/json", "application/xml", "application/javascript")
COMPRESSIBLE_SUFFIXES = ("+xml", "+json")
MIN_COMPRESSED_SIZE = 200


def compressible(response):
    """Text (pages, feeds, JSON) worth compressing and not compressed yet; images and
    archives are compressed already."""
    content_type = response.get("Content-Type", "").split(";")[0].strip()
    return (
        not response.streaming
        and not response.has_header("Content-Encoding")
        and len(response.content) >= MIN_COMPRESSED_SIZE
        and (content_type.startswith(COMPRESSIBLE_TYPES) or content_type.endswith(COMPRESSIBLE_SUFFIXES))
    )


def accepted_encoding(request):
    """ "br" or "gzip", whichever the client accepts (brotli first), else None."""
    accepted = {part.split(";")[0].strip().lower() for part in request.headers.get("Accept-Encoding", "").split(",")}
    return next((encoding for encoding in ("br", "gzip") if encoding in accepted), None)


def compress(content, encoding):
    if encoding == "br":
        return brotli.compress(content, quality=BROTLI_QUALITY)
    return compress_string(content)


def compressed_frame(parts, encoding, *, token_length, brotli_tail_max=BROTLI_UNCOMPRESSED_TAIL_MAX):
    """`parts` (bytes; a token goes between each two) compressed once for `encoding`;
    `frame_join` makes each response's body from it. None when compressing saves nothing,
    or when brotli would send more than `brotli_tail_max` bytes uncompressed."""
    if encoding == "br":
        if sum(map(len, parts[1:])) + token_length * (len(parts) - 1) > brotli_tail_max:
            return None
        compressor = brotli.Compressor(quality=BROTLI_QUALITY)
        frame = ("br", compressor.process(parts[0]) + compressor.flush(), parts[1:])
    else:
        pieces = []
        for index, part in enumerate(parts):
            compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
            last = index == len(parts) - 1
            pieces.append(compressor.compress(part) + compressor.flush(zlib.Z_FINISH if last else zlib.Z_FULL_FLUSH))
        frame = ("gzip", zlib.crc32(parts[0]), len(parts[0]), pieces, parts[1:])
    plain_length = sum(map(len, parts)) + token_length * (len(parts) - 1)
    return frame if len(frame_join(frame, b"t" * token_length)) < plain_length else None


def frame_join(frame, token):
    """The compressed body of a frame's parts with `token` between each two."""
    if frame[0] == "br":
        _, head, rest = frame
        tail = b"".join(token + part for part in rest)
        return head + (_brotli_uncompressed_meta_block(tail) if tail else b"") + _BROTLI_LAST_EMPTY_META_BLOCK
    _, crc, length, pieces, rest = frame
    for part in rest:
        crc = zlib.crc32(part, zlib.crc32(token, crc))
        length += len(token) + len(part)
    stored_token = b"\x00" + struct.pack("<HH", len(token), len(token) ^ 0xFFFF) + token
    return b"".join((_GZIP_HEADER, stored_token.join(pieces), struct.pack("<II", crc, length & 0xFFFFFFFF)))


def _brotli_uncompressed_meta_block(data):
    """A meta-block holding `data` as it is (at most 16 MB): ISLAST 0, MNIBBLES, MLEN - 1,
    ISUNCOMPRESSED 1, zero bits to the byte boundary, then the bytes (RFC 7932, 9.2)."""
    nibbles = max(4, -(-(len(data) - 1).bit_length() // 4))
    header = ((nibbles - 4) << 1) | ((len(data) - 1) << 3) | (1 << (3 + 4 * nibbles))
    return header.to_bytes((4 + 4 * nibbles + 7) // 8, "little") + data
