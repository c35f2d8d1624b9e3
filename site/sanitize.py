"""The project's one HTML sanitizer (nh3): untrusted HTML keeps its formatting, loses its code."""

import html

import nh3

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "cite",
    "code",
    "em",
    "figcaption",
    "figure",
    "h2",
    "h3",
    "h4",
    "i",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "q",
    "small",
    "strong",
    "sub",
    "sup",
    "u",
    "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title", "width", "height"}, "abbr": {"title"}}
URL_SCHEMES = {"http", "https", "mailto"}


def sanitize_html(value):
    """Untrusted HTML made safe to render: no scripts, handlers, styles or javascript:/data: URLs."""
    return nh3.clean(
        value or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def text_to_html(value):
    """Plain text shown as HTML: escaped, paragraphs kept."""
    paragraphs = [html.escape(part.strip()) for part in (value or "").split("\n\n") if part.strip()]
    return "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)


def plain_text(value, *, limit=None):
    """The text of an HTML fragment, tags removed and entities decoded."""
    text = html.unescape(nh3.clean(value or "", tags=set()))
    text = " ".join(text.split())
    if limit and len(text) > limit:
        text = text[: limit - 1].rsplit(" ", 1)[0] + "…"
    return text


# What a spreadsheet reads as the start of a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_cell_safe(value):
    """Cells a spreadsheet would run as a formula get an apostrophe in front (plain
    numbers such as a negative longitude are left alone); the import removes it."""
    if value.startswith(FORMULA_PREFIXES):
        try:
            float(value)
        except ValueError:
            return f"'{value}"
    return value
