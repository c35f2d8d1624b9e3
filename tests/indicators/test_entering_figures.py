"""Figures are entered by staff or the partnership's own editors (each only for their own
partnership), or imported from CSV with a reason for each rejected row."""

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from indicators.models import IndicatorValue
from network.services import partnership_editors_group_ensure

pytestmark = pytest.mark.django_db
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "indicator_values.csv"
ADMIN = "/admin/indicator_values/"


@pytest.fixture
def akron_editor(client, akron, tulsa):
    user = get_user_model().objects.create_user("akron-staff", "staff@akron.example.org", "pw")
    user.groups.add(partnership_editors_group_ensure(partnership=akron))
    client.force_login(user)
    return client


def form(partnership, indicator, **fields):
    return {"partnership": partnership.pk, "indicator": indicator.pk, "year": 2023, "group": "all", **fields}


def test_a_partnership_editor_enters_figures_for_their_own_partnership_only(akron_editor, akron, tulsa, reading):
    assert akron_editor.get(ADMIN).status_code == 200
    response = akron_editor.post(f"{ADMIN}new/", form(akron, reading, value="41.5", source="State"))
    assert response.status_code == 302
    assert IndicatorValue.objects.get(partnership=akron).value == Decimal("41.5")

    refused = akron_editor.post(f"{ADMIN}new/", form(tulsa, reading, value="50"))
    assert refused.status_code == 200 and "partnership" in refused.context["form"].errors
    assert not IndicatorValue.objects.filter(partnership=tulsa).exists()

    tulsa_figure = IndicatorValue.objects.create(partnership=tulsa, indicator=reading, year=2022, value=50)
    listing = akron_editor.get(ADMIN).content.decode()
    assert "Akron Learns" in listing and "Tulsa Reads" not in listing
    # Wagtail answers PermissionDenied in its admin with a redirect to the dashboard.
    for response in (
        akron_editor.get(f"{ADMIN}edit/{tulsa_figure.pk}/"),
        akron_editor.post(f"{ADMIN}edit/{tulsa_figure.pk}/", form(tulsa, reading, year=2022, value="1")),
        akron_editor.post(f"{ADMIN}delete/{tulsa_figure.pk}/"),
    ):
        assert (response.status_code, response["Location"]) == (302, "/admin/")
    tulsa_figure.refresh_from_db()
    assert tulsa_figure.value == Decimal("50")


def test_someone_who_edits_no_partnership_cannot_open_the_figures(client, akron):
    reader = get_user_model().objects.create_user("reader", "r@example.org", "pw")
    reader.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(reader)
    assert client.get("/admin/").status_code == 200
    response = client.get(ADMIN)
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert ADMIN not in client.get("/admin/").content.decode(), "no menu item either"


def test_staff_enter_figures_for_any_partnership(client, akron, tulsa, reading):
    client.force_login(get_user_model().objects.create_superuser("admin", "admin@example.org", "pw"))
    assert client.post(f"{ADMIN}new/", form(tulsa, reading, suppressed="on")).status_code == 302
    assert IndicatorValue.objects.get(partnership=tulsa).suppressed


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"value": Decimal("12"), "suppressed": True}, "suppressed figure has no value"),
        ({"value": Decimal("104")}, "between 0 and 100"),
        ({"value": Decimal("-1")}, "between 0 and 100"),
    ],
)
def test_a_figure_is_checked_before_it_is_saved(akron, reading, fields, message):
    with pytest.raises(ValidationError, match=message):
        IndicatorValue(partnership=akron, indicator=reading, year=2023, **fields).full_clean()


def test_the_import_keeps_good_rows_and_gives_each_bad_rows_reason(akron, reading, capsys):
    with pytest.raises(CommandError, match="6 row"):
        call_command("import_indicator_values", str(FIXTURE))
    out = capsys.readouterr().out
    figures = {(f.year, f.group): f for f in IndicatorValue.objects.filter(partnership=akron)}
    assert figures[(2019, "all")].value == Decimal("38.5")
    assert figures[(2021, "all")].value == Decimal("41"), "partnership and indicator by name, group by label"
    assert figures[(2021, "black")].suppressed and figures[(2021, "black")].value is None, "* means suppressed"
    assert figures[(2022, "black")].suppressed
    assert figures[(2022, "all")].value == Decimal("44.2")
    assert len(figures) == 5
    assert "row 7: rejected" in out and "'martians' is not a population group" in out
    assert "row 8: rejected" in out and "between 0 and 100" in out
    assert "row 9: rejected" in out and "reported as percent" in out
    assert "row 10: rejected" in out and "no partnership with the slug or name 'nowhere-promise'" in out
    assert "row 11: rejected" in out and "repeated in this file" in out
    assert "row 12: rejected" in out and "'3 0' is not a number" in out
    assert "5 created, 0 updated, 0 unchanged, 6 rejected" in out


def test_importing_the_same_file_again_changes_nothing(akron, reading, tmp_path, capsys):
    good = tmp_path / "good.csv"
    good.write_text("\n".join(FIXTURE.read_text().splitlines()[:6]) + "\n")
    call_command("import_indicator_values", str(good))
    call_command("import_indicator_values", str(good))
    assert "0 created, 0 updated, 5 unchanged, 0 rejected" in capsys.readouterr().out.splitlines()[-1]


def test_a_dry_run_writes_nothing_and_a_file_that_is_not_csv_is_refused(akron, reading, tmp_path):
    copy = tmp_path / "figures.csv"
    shutil.copy(FIXTURE, copy)
    with pytest.raises(CommandError):
        call_command("import_indicator_values", str(copy), "--dry-run")
    assert not IndicatorValue.objects.exists()
    latin = tmp_path / "latin.csv"
    latin.write_bytes("partnership,indicator,year,value\nAkron Léarns,x,2020,1\n".encode("latin-1"))
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_indicator_values", str(latin))
    headless = tmp_path / "headless.csv"
    headless.write_text("name,year\nAkron,2020\n")
    with pytest.raises(CommandError, match="must name the columns"):
        call_command("import_indicator_values", str(headless))
