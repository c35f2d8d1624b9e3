"""collectstatic under the production storage: every file has its Brotli and gzip copies
of its current bytes, and a run that finds a file unchanged keeps the copies it has
instead of compressing it again (scripts/serve.sh runs collectstatic on each start)."""

import gzip
import io
import os

import brotli
import pytest
from django.core.management import call_command

from website.static_storage import KeptCopiesCompressor

STYLE = b"body { color: #1a1a1a; margin: 0 auto; }\n" * 40
SCRIPT = b"document.querySelectorAll('[data-share]').forEach((b) => b.hidden = false);\n" * 40


@pytest.fixture
def static_site(settings, tmp_path, monkeypatch):
    source, root = tmp_path / "source", tmp_path / "collected"
    source.mkdir()
    (source / "site.css").write_bytes(STYLE)
    (source / "share.js").write_bytes(SCRIPT)
    settings.STATICFILES_DIRS = [str(source)]
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STATIC_ROOT = str(root)
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "website.static_storage.StaticFilesStorage"}}
    compressed = []
    brotli_compress = KeptCopiesCompressor.compress_brotli

    def counted(data):
        compressed.append(data)
        return brotli_compress(data)

    monkeypatch.setattr(KeptCopiesCompressor, "compress_brotli", staticmethod(counted))

    def collect():
        compressed.clear()
        call_command("collectstatic", interactive=False, verbosity=0, stdout=io.StringIO())
        return list(compressed)

    return source, root, collect


def copies_of(root, name):
    """{name: (brotli bytes, gzip bytes)} for the file and its hashed names."""
    stem, suffix = name.rsplit(".", 1)
    found = {}
    for path in root.iterdir():
        if path.name.startswith(f"{stem}.") and path.name.endswith(f".{suffix}"):
            found[path.name] = (
                brotli.decompress((root / f"{path.name}.br").read_bytes()),
                gzip.decompress((root / f"{path.name}.gz").read_bytes()),
            )
    return found


def test_each_file_has_copies_of_its_bytes_and_unchanged_files_are_not_compressed_again(static_site):
    source, root, collect = static_site

    first = collect()
    assert sorted(first) == sorted([STYLE, STYLE, SCRIPT, SCRIPT]), "each original and hashed name, once"
    assert set(copies_of(root, "site.css").values()) == {(STYLE, STYLE)}
    assert len(copies_of(root, "site.css")) == 2

    assert collect() == [], "nothing changed, nothing compressed"
    assert set(copies_of(root, "share.js").values()) == {(SCRIPT, SCRIPT)}

    changed = STYLE.replace(b"#1a1a1a", b"#0b3d2e")
    (source / "site.css").write_bytes(changed)
    later = os.stat(source / "site.css").st_mtime + 10  # newer than the collected copy, as an edit is
    os.utime(source / "site.css", (later, later))
    assert collect() == [changed, changed], "the changed file alone: its name and its new hashed name"
    assert copies_of(root, "site.css")["site.css"] == (changed, changed)
    assert (changed, changed) in copies_of(root, "site.css").values()
    assert set(copies_of(root, "share.js").values()) == {(SCRIPT, SCRIPT)}


@pytest.mark.parametrize("suffix", [".br", ".gz"])
def test_a_copy_of_other_bytes_or_a_broken_one_is_made_again(static_site, suffix):
    _source, root, collect = static_site
    collect()
    (root / "share.js.br").write_bytes(brotli.compress(b"old bytes"))
    (root / f"site.css{suffix}").write_bytes(b"not compressed at all")

    assert sorted(collect()) == sorted([SCRIPT, STYLE])
    assert copies_of(root, "share.js")["share.js"] == (SCRIPT, SCRIPT)
    assert copies_of(root, "site.css")["site.css"] == (STYLE, STYLE)
