from django import forms
from wagtail.admin.forms import WagtailAdminModelForm

from .discovery import feed_url_discover


class FeedSourceForm(WagtailAdminModelForm):
    """Staff may give a website's address: the feed it announces (or serves at a usual path) is stored."""

    def clean_url(self):
        url = self.cleaned_data["url"]
        if self.instance.pk and url == self.instance.url:
            return url
        found = feed_url_discover(url)
        if not found:
            raise forms.ValidationError(
                "No feed found at this address: it is not a feed, its page announces none, and none "
                "answers at the usual paths (/feed, /rss.xml, /atom.xml, ...)."
            )
        return found
