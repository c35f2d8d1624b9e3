"""RSS 2.0 and Atom feeds for every blog listing, through Django's syndication framework."""

import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

FEED_ITEMS = 30


class BlogListingFeed(Feed):
    """One listing (all posts, a category, a series...) as a feed; absolute URLs throughout."""

    feed_type = Rss201rev2Feed

    def __init__(self, *, title, description, link, feed_url, posts):
        super().__init__()
        self._title, self._description, self._link, self._feed_url = title, description, link, feed_url
        self._posts = posts

    def title(self):
        return self._title

    def description(self):
        return self._description or self._title

    def link(self):
        return self._link

    def feed_url(self):
        return self._feed_url

    def items(self):
        return self._posts[:FEED_ITEMS]

    def item_title(self, post):
        return post.title

    def item_description(self, post):
        return post.summary

    def item_link(self, post):
        return post.full_url

    def item_guid(self, post):
        return post.full_url

    def item_pubdate(self, post):
        # The post's date at the time it was first published (or noon, if it never was).
        moment = post.first_published_at
        if moment and timezone.localdate(moment) == post.date:
            return moment
        return timezone.make_aware(datetime.datetime.combine(post.date, datetime.time(12)))

    def item_updateddate(self, post):
        """Atom requires `updated` on every entry (RFC 4287 4.1.2): the post's own moment, as
        its publication; a later correction does not make an old post news."""
        return self.item_pubdate(post)

    def author_name(self):
        """The feed's author, for Atom entries of posts that name no author (RFC 4287 4.1.1)."""
        return settings.WAGTAIL_SITE_NAME

    def item_author_name(self, post):
        return ", ".join(person.name for person in post.authors.all()) or None

    def item_categories(self, post):
        return [category.name for category in post.categories.all()]


class BlogListingAtomFeed(BlogListingFeed):
    feed_type = Atom1Feed

    def subtitle(self):
        return self.description()
