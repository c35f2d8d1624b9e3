"""The digest as mail clients get it: the site's language, a Date in the site's zone, a
hidden preheader, and HTML whose features Gmail and Outlook support (checked against the
caniemail data by the npm package doiuse-email), but for a short list of known exceptions."""

import datetime
import email.utils
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import timezone

from newsletter.services.delivery import issue_deliver
from newsletter.services.issues import issue_approve, issue_build
from tests.conftest import service_unavailable
from tests.newsletter.conftest import messages_of, parts

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
DOIUSE_EMAIL = ROOT / "node_modules" / "doiuse-email"
# Gmail and Outlook as people use them today; Windows Mail (retired by Microsoft) and
# Gmail's basic mobile web view (retired by Google) are left out.
CLIENTS = ["gmail.desktop-webmail", "gmail.ios", "gmail.android", "outlook.*"]
RETIRED_CLIENTS = ("outlook.windows-mail",)
# What MJML emits on purpose, each with the fallback that makes it harmless.
KNOWN_EXCEPTIONS = {
    # MJML's responsive column widths in a <style> block; Outlook for Windows lays out
    # the fixed-width tables of MJML's conditional comments instead.
    ("@media", "outlook.windows"),
    ("Chaining selectors", "outlook.windows"),
    ("outline", "outlook.windows"),
    # The preheader's overflow:hidden; Outlook for Windows hides it by mso-hide, Android by display:none.
    ("overflow", "outlook.windows"),
    ("overflow", "outlook.android"),
    # The apps replace <body>; MJML repeats its background on the wrapping <div>.
    ("<body> element", "outlook.ios"),
    ("<body> element", "outlook.android"),
}
CHECK = """
import { doIUseEmail } from "doiuse-email";
import { readFileSync } from "node:fs";
const result = doIUseEmail(readFileSync(0, "utf8"), { emailClients: JSON.parse(process.argv[1]) });
process.stdout.write(JSON.stringify(result));
"""


def unsupported_features(html):
    """{(feature, client)} doiuse-email reports as unsupported in `html`."""
    if not DOIUSE_EMAIL.exists() or not shutil.which("node"):
        service_unavailable("doiuse-email is missing: run `npm ci` (scripts/test.sh does)")
    result = subprocess.run(
        ["node", "--input-type=module", "-e", CHECK, json.dumps(CLIENTS)],
        input=html,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        timeout=120,
    )
    found = set()
    for error in json.loads(result.stdout).get("errors", []):
        match = re.match(r"`(.+)` is not supported by `(.+)`", error)
        assert match, error
        if match.group(2) not in RETIRED_CLIENTS:
            found.add(match.groups())
    return found


@pytest.fixture
def digest(week, subscribers, smtp_inbox):
    issue = issue_build(since=week)
    issue_approve(issue=issue)
    issue_deliver(issue=issue)
    return messages_of(smtp_inbox)[0]


def test_the_checker_reports_what_outlook_cannot_show():
    html = '<!doctype html><html lang="en"><body><div style="display:flex;background-image:url(x.png)">x</div></body></html>'
    assert ("display:flex", "outlook.windows") in unsupported_features(html)


def test_the_digest_uses_only_what_gmail_and_outlook_support(digest):
    assert unsupported_features(parts(digest)["text/html"]) - KNOWN_EXCEPTIONS == set()


def test_the_digest_is_in_the_sites_language_with_a_hidden_preheader(digest):
    html = parts(digest)["text/html"]
    assert re.search(r'<html lang="en-us"', html)
    assert 'lang="und"' not in html
    preheader = re.search(
        r'<div style="display:none;max-height:0;overflow:hidden;mso-hide:all"[^>]*>([^<]*)</div>', html
    )
    assert preheader and preheader.group(1).strip()
    assert "color:#ffffff;line-height:1px" not in html, "no white-on-white text"


def test_the_date_header_carries_the_sites_zone_offset(digest):
    sent = email.utils.parsedate_to_datetime(digest["Date"])
    assert not digest["Date"].endswith("-0000")
    assert sent.utcoffset() == timezone.localtime().utcoffset()
    assert abs(sent - timezone.now()) < datetime.timedelta(minutes=5)
