"""Every page of the demo site, the error pages and every step of the subscription flow
pass the Nu HTML Checker (vnu, from Maven Central) with no error."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import service_unavailable

ROOT = Path(__file__).resolve().parents[2]
VNU_CLASSPATH = ROOT / "var" / "vnu.classpath"


def vnu_errors(documents, folder):
    """{url: [message]} for `documents` ({url: html}), checked in one JVM (its start-up
    costs seconds, so never one run per page)."""
    if not VNU_CLASSPATH.exists() or not shutil.which("java"):
        service_unavailable("the Nu HTML Checker is not installed (scripts/test.sh installs it)")
    names = {}
    for number, (url, body) in enumerate(documents.items()):
        path = folder / f"{number}.html"
        path.write_bytes(body)
        names[path.name] = url
    result = subprocess.run(
        [
            "java",
            "-Xss2m",
            "-cp",
            VNU_CLASSPATH.read_text().strip(),
            "nu.validator.client.SimpleCommandLineValidator",
            "--format",
            "json",
            "--errors-only",
            "--stdout",
            "--exit-zero-always",
            *(str(folder / f"{number}.html") for number in range(len(documents))),
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    errors = {}
    for message in json.loads(result.stdout)["messages"]:
        url = names.get(message.get("url", "").rsplit("/", 1)[-1], message.get("url"))
        errors.setdefault(url, []).append(f"line {message.get('lastLine')}: {message['message']}")
    return errors


def test_the_checker_finds_errors(tmp_path):
    """The check can fail: a page with a forbidden ARIA attribute and a bad time value."""
    page = b'<!DOCTYPE html><html lang="en"><title>t</title><div aria-labelledby="x">a</div><time datetime="2026-01-01T10:00:00.123456">b</time>'
    errors = vnu_errors({"/bad/": page}, tmp_path)
    assert len(errors["/bad/"]) >= 2, errors


def test_every_page_has_no_html_error(html_documents, tmp_path):
    assert len(html_documents) > 100, sorted(html_documents)
    errors = vnu_errors({url: document.body for url, document in html_documents.items()}, tmp_path)
    report = [f"{url}: {message}" for url, messages in sorted(errors.items()) for message in messages]
    assert not report, f"{len(report)} errors on {len(errors)} of {len(html_documents)} pages:\n" + "\n".join(report)


def test_the_crawl_met_no_server_error(demo_documents):
    assert [(url, d.status) for url, d in demo_documents.items() if d.status >= 500 and url != "500 page"] == []


@pytest.mark.parametrize(
    "step",
    [
        "signup: with errors",
        "signup: check your email",
        "signup: confirmed",
        "signup: link invalid",
        "preferences",
        "preferences: saved",
        "preferences: with errors",
        "unsubscribe: asks",
        "unsubscribe: done",
        "erase: done",
        "signup: too many",
        "/no-such-page/",
        "500 page",
    ],
)
def test_the_flows_and_error_pages_were_checked(html_documents, step):
    assert step in html_documents
