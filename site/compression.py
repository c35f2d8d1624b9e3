"""Response compression: brotli when the client accepts it, else gzip.

A cached page is the same bytes on every response but for each visitor's CSRF token, so
the page cache keeps it gzip-compressed as a frame: its fixed parts compressed once, at
the miss, joined on each hit around that hit's token. A deflate stream is a series of
blocks: each fixed part is compressed on its own, ending on a byte boundary with no
reference to what came before, each token goes in between as a stored block, and the
gzip trailer's CRC-32 is computed per hit over what follows the first part. Hits are
gzip, not brotli, though every browser accepts both: a brotli frame has to send
everything after the first token uncompressed, which made it bigger than this gzip frame
on most pages (the home page: 4.9 KB against 4.0).
"""

import struct
import zlib

import brotli
from django.utils.text import compress_string

BROTLI_QUALITY = 5  # per response, on the fly: near gzip's speed, smaller output
GZIP_LEVEL = 6  # what Django's compress_string uses
# gzip's header as Python's gzip.compress(mtime=0) writes it: no name, no time, OS unknown.
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"


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


def accepted_encodings(request):
    return {part.split(";")[0].strip().lower() for part in request.META.get("HTTP_ACCEPT_ENCODING", "").split(",")}


def accepted_encoding(request):
    """ "br" or "gzip", whichever the client accepts (brotli first), else None."""
    accepted = accepted_encodings(request)
    return next((encoding for encoding in ("br", "gzip") if encoding in accepted), None)


def compress(content, encoding):
    if encoding == "br":
        return brotli.compress(content, quality=BROTLI_QUALITY)
    return compress_string(content)


def compressed_frame(parts, *, token_length):
    """`parts` (bytes; a token goes between each two) gzip-compressed once; `frame_join`
    makes each response's body from it. None when compressing saves nothing."""
    pieces = []
    for index, part in enumerate(parts):
        compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
        last = index == len(parts) - 1
        pieces.append(compressor.compress(part) + compressor.flush(zlib.Z_FINISH if last else zlib.Z_FULL_FLUSH))
    frame = (zlib.crc32(parts[0]), len(parts[0]), pieces, parts[1:])
    plain_length = sum(map(len, parts)) + token_length * (len(parts) - 1)
    return frame if len(frame_join(frame, b"t" * token_length)) < plain_length else None


def frame_join(frame, token):
    """The gzip body of a frame's parts with `token` between each two."""
    crc, length, pieces, rest = frame
    for part in rest:
        crc = zlib.crc32(part, zlib.crc32(token, crc))
        length += len(token) + len(part)
    stored_token = b"\x00" + struct.pack("<HH", len(token), len(token) ^ 0xFFFF) + token
    return b"".join((_GZIP_HEADER, stored_token.join(pieces), struct.pack("<II", crc, length & 0xFFFFFFFF)))
