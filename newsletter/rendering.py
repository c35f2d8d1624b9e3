"""An issue rendered once, personalised per subscriber cheaply.

MJML is compiled once per section order (at most a handful per issue, never per
subscriber); a subscriber's copy is that HTML with three placeholders filled in.
"""

import html
import re

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from mjml import mjml2html

from website.links import absolute_url
from website.models import FooterSettings

from .models import IssueItem, Subscriber
from .tokens import subscriber_links

DEFAULT_ORDER = (
    IssueItem.Section.POSTS,
    IssueItem.Section.NEWS,
    IssueItem.Section.CASE_STUDIES,
    IssueItem.Section.EVENTS,
)
OUTCOMES_ORDER = (
    IssueItem.Section.CASE_STUDIES,
    IssueItem.Section.POSTS,
    IssueItem.Section.NEWS,
    IssueItem.Section.EVENTS,
)
PREHEADER_PADDING = 40  # invisible characters after the preheader text, so inboxes show no more
HTML_BUDGET_BYTES = 100 * 1024  # Gmail clips messages above about 102 KB


def counted_link(*, issue, item):
    """Where the email links an item to: a member's news goes through the site's redirect,
    which counts follows per (issue, link) and nothing else; the rest links directly.
    An unsaved issue (the editor's live preview) has nothing to count with yet."""
    if item.section == IssueItem.Section.NEWS and issue.pk and item.pk:
        return absolute_url(reverse("newsletter:follow_link", args=[issue.pk, item.pk]))
    return item.url


def section_order(*, follows_series, follows_outcomes):
    """Interests decide what comes first: outcome areas put new case studies first,
    followed series put the network's posts first; otherwise posts, news, case studies."""
    if follows_outcomes and not follows_series:
        return OUTCOMES_ORDER
    return DEFAULT_ORDER


class IssueRenderer:
    def __init__(self, issue):
        self.issue = issue
        self.items = list(issue.items.all())
        for item in self.items:
            item.href = counted_link(issue=issue, item=item)
        footer = FooterSettings.objects.filter(site__is_default_site=True).first()
        self.context = {
            "issue": issue,
            "site_name": settings.WAGTAIL_SITE_NAME,
            "language": settings.LANGUAGE_CODE,
            "preheader_padding": range(PREHEADER_PADDING),
            "postal_address": footer.postal_address if footer else "",
            # An unsaved issue (the editor's live preview) has no archive page yet.
            "archive_url": settings.BASE_URL.rstrip("/")
            + (reverse("newsletter:archive_issue", args=[issue.pk]) if issue.pk else reverse("newsletter:archive")),
        }
        self._rendered = {}
        self._parts_by_order = {}
        self.compiles = 0

    def sections(self, order=DEFAULT_ORDER):
        """[(heading, items)] in `order`, empty sections left out (the email and its web page)."""
        labels = dict(IssueItem.Section.choices)
        by_section = {section: [item for item in self.items if item.section == section] for section in order}
        return [(labels[section], by_section[section]) for section in order if by_section[section]]

    def template(self, order=DEFAULT_ORDER):
        """(html, text) with placeholders, compiled once per order."""
        if order not in self._rendered:
            context = {**self.context, "sections": self.sections(order)}
            mjml_source = render_to_string("email/newsletter_issue.mjml", context)
            self._rendered[order] = (
                _short_lines(mjml2html(mjml_source)),
                render_to_string("email/newsletter_issue.txt", context),
            )
            self.compiles += 1
        return self._rendered[order]

    def personalise(self, *, order, greeting, preferences_url, unsubscribe_url):
        html_parts, text_parts = self._parts(order)
        text_values = {"greeting": greeting, "preferences_url": preferences_url, "unsubscribe_url": unsubscribe_url}
        html_values = {name: html.escape(value) for name, value in text_values.items()}
        return _joined(html_parts, html_values), _joined(text_parts, text_values)

    def _parts(self, order):
        """The template split at its placeholders: [text, name, text, name, ..., text], so
        a copy is one join (three `str.replace` calls each copied all 32 KB twice)."""
        if order not in self._parts_by_order:
            self._parts_by_order[order] = tuple(_PLACEHOLDER.split(part) for part in self.template(order))
        return self._parts_by_order[order]


PLACEHOLDERS = ("greeting", "preferences_url", "unsubscribe_url")
_PLACEHOLDER = re.compile(r"\[\[(" + "|".join(PLACEHOLDERS) + r")\]\]")


def _joined(parts, values):
    filled = list(parts)
    filled[1::2] = [values[name] for name in parts[1::2]]
    return "".join(filled)


def _short_lines(html, *, limit=700):
    """Break lines between two tags so none nears SMTP's 998-octet limit: the message can
    then go as plain 8-bit text, where long lines force quoted-printable, which costs
    more time to encode per message than the rest of the personalisation together (and
    rules out prebuilding the message's bytes). The preheader's padding has no tag to
    break at: it breaks between two of its invisible characters, inside the hidden div."""
    lines = []
    for line in html.splitlines():
        while len(line) > limit and (cut := _line_break(line, limit)) > 0:
            lines.append(line[: cut + 1])
            line = line[cut + 1 :]
        lines.append(line)
    return "\n".join(lines)


PREHEADER_PAD = "&#847;&zwnj;&nbsp;"


def _line_break(line, limit):
    """The index of the last character to keep on this line, or -1."""
    between_tags = line.rfind("><", 0, limit)
    in_padding = line.rfind(PREHEADER_PAD + PREHEADER_PAD, 0, limit)
    return max(between_tags, in_padding + len(PREHEADER_PAD) - 1 if in_padding > 0 else -1)


def greeting_for(name):
    return f"Hello {name}," if name else "Hello,"


def stand_in(*, email, name=""):
    """Staff in a subscriber's place: their links lead to "this link is not valid"."""
    person = Subscriber(pk=0, email=email, name=name)
    person.follows_series = person.follows_outcomes = False
    return person


def issue_personalised(*, issue, order, email, name=""):
    """(html, text) exactly as a subscriber with this name would get them: the preview."""
    return IssueRenderer(issue).personalise(
        order=order, greeting=greeting_for(name), **subscriber_links(stand_in(email=email, name=name))
    )
