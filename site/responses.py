"""Small response helpers every app's views share."""


def noindex(response):
    """Search results are never indexed by search engines (and hold nothing personal)."""
    response["X-Robots-Tag"] = "noindex, follow"
    return response
