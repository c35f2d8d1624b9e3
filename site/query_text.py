"""What a visitor typed into a search box, made fit for every search backend."""

import unicodedata

# Wagtail's SQLite full-text backend wraps each word in double quotes without escaping the
# ones inside it (`"` becomes an FTS syntax error); no search here offers phrase syntax.
DROPPED = {'"'}


def query_text_clean(text, *, max_length):
    """`text` without control, format and unassigned characters (NUL is refused by
    PostgreSQL, the others match nothing) or double quotes, spaces collapsed, cut to
    `max_length` characters."""
    kept = "".join(
        " " if char in DROPPED or unicodedata.category(char)[0] in "CZ" else char for char in (text or "")[:max_length]
    )
    return " ".join(kept.split())[:max_length]
