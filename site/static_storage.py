"""Static files as WhiteNoise stores them (hashed names beside the originals, Brotli and
gzip copies for nginx's `gzip_static` and WhiteNoise's own serving), but a file whose
copies hold its bytes already keeps them.

WhiteNoise compresses every file again on every `collectstatic`, which `scripts/serve.sh`
runs on each start: 15 s of a start, nearly all of it Brotli at its highest quality, for
the same bytes (the manifest storage writes its CSS and JavaScript files anew on every
run, so their times say nothing). Decompressing a copy to compare takes a thousandth of
that.
"""

import gzip
import os

import brotli
from whitenoise.compress import Compressor
from whitenoise.storage import CompressedManifestStaticFilesStorage

_DECOMPRESS = {".br": brotli.decompress, ".gz": gzip.decompress}


class KeptCopiesCompressor(Compressor):
    def compress(self, path):
        kept = self.copies_kept(path)
        return super().compress(path) if kept is None else kept

    def copies_kept(self, path):
        """The file's copies when each holds its bytes as they are now, else None."""
        first = ".br" if self.use_brotli else ".gz"  # no Brotli copy: no gzip one either
        copies = [path + suffix for suffix in (".br", ".gz") if os.path.exists(path + suffix)]
        if not copies or not copies[0].endswith(first):
            return None
        with open(path, "rb") as file:
            data = file.read()
            made = os.fstat(file.fileno())
        for copy in copies:
            with open(copy, "rb") as compressed:
                try:
                    if _DECOMPRESS[copy[-3:]](compressed.read()) != data:
                        return None
                except (OSError, EOFError, brotli.error):
                    return None
        for copy in copies:  # as WhiteNoise dates a copy it makes
            os.utime(copy, (made.st_atime, made.st_mtime))
        return copies


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def create_compressor(self, **kwargs):
        return KeptCopiesCompressor(**kwargs)
