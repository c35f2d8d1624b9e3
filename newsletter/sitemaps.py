"""The newsletter archive in the sitemap: it lives outside Wagtail's page tree."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .selectors import issue_sent


class NewsletterArchiveSitemap(Sitemap):
    def items(self):
        return [None, *issue_sent()]

    def location(self, issue):
        if issue is None:
            return reverse("newsletter:archive")
        return reverse("newsletter:archive_issue", args=[issue.pk])

    def lastmod(self, issue):
        return issue.sent_at if issue is not None else None
