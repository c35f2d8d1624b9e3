"""The roster goes out and comes back: an export imported into a site with no partnerships
reproduces it, values match however a spreadsheet spelled them, and a bad row costs only itself."""

import csv
import io

import pytest
from django.core.management import call_command

from network.models import PartnershipPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def roster(make_partnership):
    make_partnership(
        title="Phoenix Thrives",
        state="AZ",
        stage="sustaining",
        city="Phoenix",
        outcomes=["kindergarten-readiness", "employment"],
        year_joined=2014,
        website="https://phoenix.example.org/",
        feed_url="https://phoenix.example.org/feed.xml",
        latitude="33.44840",
        longitude="-112.07400",
        anchor_organisation="Valley Partners",
        contact_name="Ana Ruiz",
        contact_email="a@phoenix.example.org",
        summary="Phoenix partners from cradle to career, in three school districts.",
    )
    make_partnership(title="Albany Promise", state="NY", stage="systems-change", city="Albany", summary="")


def _import(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    out = io.StringIO()
    try:
        call_command("import_partnerships", str(path), stdout=out)
    except Exception as error:  # the command's own "rows rejected" error is part of the answer
        return out.getvalue().splitlines(), str(error)
    return out.getvalue().splitlines(), None


@pytest.mark.parametrize("kind", ["csv", "json"])
def test_an_export_imported_into_an_empty_site_reproduces_the_roster(client, directory, roster, tmp_path, kind):
    exported = client.get(f"{directory.url}{kind}/").content.decode()
    for partnership in PartnershipPage.objects.all():
        partnership.delete()

    lines, error = _import(tmp_path, f"roster.{kind}", exported)

    assert (lines, error) == (
        [
            "row 1: created albany-promise",
            "row 2: created phoenix-thrives",
            "2 created, 0 updated, 0 unchanged, 0 rejected",
        ]
        if kind == "json"
        else [
            "row 2: created albany-promise",
            "row 3: created phoenix-thrives",
            "2 created, 0 updated, 0 unchanged, 0 rejected",
        ],
        None,
    )
    assert client.get(f"{directory.url}{kind}/").content.decode() == exported
    assert all(partnership.live for partnership in PartnershipPage.objects.all())


def test_values_match_by_name_or_slug_whatever_the_case_spaces_or_hyphens(directory, tmp_path):
    rows = [
        ["name", "state", "stage", "outcomes", "summary"],
        ["Akron Learns", "ohio", "systems change", "early grade reading; Kindergarten_Readiness", "Akron's schools."],
        ["Albany Promise", "new-york", "Proof-Point", "EMPLOYMENT", ""],
        ["Tulsa Reads", "ok", "  sustaining ", "High school graduation", "Tulsa reads."],
    ]
    lines, error = _import(tmp_path, "roster.csv", "\n".join(",".join(row) for row in rows) + "\n")

    assert error is None, lines
    found = {
        page.slug: (page.state, page.stage, sorted(outcome.slug for outcome in page.outcomes.all()))
        for page in PartnershipPage.objects.all()
    }
    assert found == {
        "akron-learns": ("OH", "systems-change", ["early-grade-reading", "kindergarten-readiness"]),
        "albany-promise": ("NY", "proof-point", ["employment"]),
        "tulsa-reads": ("OK", "sustaining", ["high-school-graduation"]),
    }


def test_an_unknown_value_names_its_row_and_column_and_costs_only_its_row(directory, tmp_path):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows(
        [
            ["name", "state", "stage", "outcomes", "summary", "city"],
            ["Akron Learns", "OH", "exploring", "employment", "Akron's schools and colleges.", "Akron"],
            ["Boise Ready", "ID", "thriving", "", "Boise.", "Boise"],
            ["Canton Counts", "OH", "", "world peace", "", "Canton"],
            ["Dayton Kids First", "Ohio", "Emerging", "", "Dayton's second decade.", "Dayton"],
        ]
    )
    lines, error = _import(tmp_path, "roster.csv", buffer.getvalue())

    assert lines[0] == "row 2: created akron-learns"
    assert lines[1].startswith("row 3: rejected boise-ready: column stage: 'thriving' is not a stage")
    assert lines[2] == "row 4: rejected canton-counts: column outcomes: unknown outcome(s): world peace"
    assert lines[3] == "row 5: created dayton-kids-first"
    assert error == "2 row(s) rejected; the other rows were kept."
    assert PartnershipPage.objects.get(slug="akron-learns").summary == "Akron's schools and colleges."
