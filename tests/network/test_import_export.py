import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError
from wagtail.models import Revision

from network.models import PartnershipPage
from network.services import partnership_rows_read, partnerships_import

pytestmark = pytest.mark.django_db

FIXTURES = "tests/fixtures"


def run_import(path, *args):
    out = io.StringIO()
    try:
        call_command("import_partnerships", str(path), *args, stdout=out)
    except CommandError as error:
        return out.getvalue(), str(error)
    return out.getvalue(), None


def test_bad_rows_are_rejected_with_row_number_and_reason_and_good_rows_kept(directory):
    output, error = run_import(f"{FIXTURES}/partnerships_with_bad_rows.csv")

    lines = output.splitlines()
    assert "row 2: created akron-learns" in lines
    assert any(line.startswith("row 3: rejected") and "name: This field is required" in line for line in lines)
    assert "row 4: created boise-ready" in lines
    assert any(line.startswith("row 5: rejected") and "'ZZ' is not a US state" in line for line in lines)
    assert any(line.startswith("row 6: rejected") and "website" in line for line in lines)
    assert any(line.startswith("row 7: rejected") and "'thriving' is not a stage" in line for line in lines)
    assert any(line.startswith("row 8: rejected") and "unknown outcome(s): world-peace" in line for line in lines)
    assert any(line.startswith("row 9: rejected") and "year_joined" in line for line in lines)
    assert any(line.startswith("row 10: rejected") and "slug repeated in this file" in line for line in lines)
    assert "row 11: created tulsa-reads" in lines
    assert lines[-1] == "3 created, 0 updated, 0 unchanged, 7 rejected"
    assert error == "7 row(s) rejected; the other rows were kept."

    boise = PartnershipPage.objects.get(slug="boise-ready")
    assert (boise.state, boise.stage, [o.slug for o in boise.outcomes.all()]) == (
        "ID",
        "exploring",
        ["kindergarten-readiness"],
    )
    tulsa = PartnershipPage.objects.get(slug="tulsa-reads")
    assert tulsa.live and tulsa.feed_url == "https://tulsa.example.org/feed.xml"
    assert PartnershipPage.objects.count() == 3


def test_dry_run_reports_but_writes_nothing(directory):
    output, _ = run_import(f"{FIXTURES}/partnerships_with_bad_rows.csv", "--dry-run")

    assert "row 2: created akron-learns" in output
    assert "Dry run, nothing written: 3 created" in output
    assert PartnershipPage.objects.count() == 0


def test_import_updates_by_slug(directory, make_partnership):
    make_partnership(title="Tulsa Reads", slug="tulsa-reads", state="OK", stage="emerging")

    results = partnerships_import(
        rows=[(2, {"name": "Tulsa Reads", "state": "OK", "stage": "Proof Point", "city": "Tulsa"})], directory=directory
    )

    assert [(r.action, r.slug) for r in results] == [("updated", "tulsa-reads")]
    tulsa = PartnershipPage.objects.get(slug="tulsa-reads")
    assert (tulsa.stage, tulsa.city, tulsa.live) == ("proof-point", "Tulsa", True)


def test_a_partnership_with_a_draft_in_progress_is_left_alone(directory, make_partnership):
    tulsa = make_partnership(title="Tulsa Reads", slug="tulsa-reads", state="OK", summary="Live summary")
    tulsa.summary = "Draft someone is still writing"
    tulsa.save_revision()

    results = partnerships_import(
        rows=[(2, {"name": "Tulsa Reads", "state": "OK", "stage": "Proof Point"})], directory=directory
    )

    assert results[0].action == "rejected" and "unpublished changes" in results[0].reason
    tulsa.refresh_from_db()
    assert (tulsa.stage, tulsa.summary) == ("emerging", "Live summary")
    assert tulsa.get_latest_revision_as_object().summary == "Draft someone is still writing"


def test_a_row_that_fails_while_writing_leaves_nothing_behind(directory, monkeypatch):
    from network import services

    def fail_for_boise(*, partnership):
        if partnership.slug == "boise-ready":
            raise DatabaseError("connection lost")

    monkeypatch.setattr(services, "partnership_editors_group_ensure", fail_for_boise)
    rows = [(2, {"name": "Akron Learns", "state": "OH"}), (3, {"name": "Boise Ready", "state": "ID"})]

    results = partnerships_import(rows=rows, directory=directory)

    assert [(r.row, r.action) for r in results] == [(2, "created"), (3, "rejected")]
    assert "connection lost" in results[1].reason
    assert list(PartnershipPage.objects.values_list("slug", flat=True)) == ["akron-learns"]


def test_export_then_import_changes_nothing(client, directory, make_partnership):
    make_partnership(
        title='Phoenix =HYPERLINK("x")',
        state="AZ",
        stage="sustaining",
        city="Phoenix",
        outcomes=["kindergarten-readiness", "employment"],
        year_joined=2014,
        website="https://phoenix.example.org/",
        latitude="33.44840",
        longitude="-112.07400",
        anchor_organisation="Valley Partners",
        contact_email="a@phoenix.example.org",
    )
    make_partnership(title="Albany Promise", state="NY", stage="systems-change", city="Albany")
    revisions_before = Revision.objects.count()

    response = client.get(directory.url + "csv/")
    assert response["Content-Type"].startswith("text/csv")
    exported = response.content.decode()
    rows = partnership_rows_read(content=exported, filename="partnerships.csv")
    results = partnerships_import(rows=rows, directory=directory)

    assert [r.action for r in results] == ["unchanged", "unchanged"]
    assert Revision.objects.count() == revisions_before
    assert [row["name"] for row in csv.DictReader(io.StringIO(exported))] == [
        "Albany Promise",
        'Phoenix =HYPERLINK("x")',
    ]


def test_csv_export_defuses_spreadsheet_formulas(client, directory, make_partnership):
    make_partnership(title="=cmd|' /C calc'!A0", state="AZ", city="-2+3", longitude="-112.07400")

    row = next(csv.DictReader(io.StringIO(client.get(directory.url + "csv/").content.decode())))

    assert row["name"] == "'=cmd|' /C calc'!A0"
    assert row["city"] == "'-2+3"
    assert row["longitude"] == "-112.07400", "plain numbers stay numbers"


def test_csv_and_json_exports_follow_the_current_filters(client, directory, make_partnership):
    make_partnership(title="Akron Learns", state="OH")
    make_partnership(title="Tulsa Reads", state="OK")

    csv_rows = list(csv.DictReader(io.StringIO(client.get(directory.url + "csv/", {"state": "OK"}).content.decode())))
    data = json.loads(client.get(directory.url + "json/", {"state": "OH"}).content)

    assert [row["name"] for row in csv_rows] == ["Tulsa Reads"]
    assert data["count"] == 1
    assert data["partnerships"][0]["name"] == "Akron Learns"
    assert data["partnerships"][0]["url"].startswith("http")


def test_json_import_round_trips_too(client, directory, make_partnership):
    make_partnership(title="Akron Learns", state="OH", outcomes=["employment"])
    exported = client.get(directory.url + "json/").content.decode()

    results = partnerships_import(rows=partnership_rows_read(content=exported, filename="p.json"), directory=directory)

    assert [r.action for r in results] == ["unchanged"]


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        ("{not json", "p.json", "not valid JSON"),
        ('{"rows": 3}', "p.json", "JSON must be a list"),
        ("title,place\nA,B\n", "p.csv", "must name at least the columns 'name' and 'state'"),
        ("name,state\n" + "x,OH\n" * 5001, "p.csv", "split the file"),
    ],
)
def test_unreadable_files_are_refused_as_a_whole(content, filename, message, tmp_path, directory):
    path = tmp_path / filename
    path.write_text(content)

    _, error = run_import(path)

    assert message in error
    assert PartnershipPage.objects.count() == 0


def test_a_json_row_that_is_not_an_object_is_rejected(directory):
    results = partnerships_import(
        rows=[(1, ["Akron", "OH"]), (2, {"name": "Akron", "state": "OH"})], directory=directory
    )

    assert [r.action for r in results] == ["rejected", "created"]


def test_binary_file_gets_a_clear_error(tmp_path, directory):
    path = tmp_path / "p.csv"
    path.write_bytes(b"\xff\xfe\x00bad")

    _, error = run_import(path)

    assert "Cannot read" in error
