class FeedConverter:
    """The two feed formats every blog listing offers."""

    regex = "rss|atom"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value
