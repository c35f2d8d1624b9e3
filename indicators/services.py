"""Writes for report cards: importing figures from CSV, row by row, like the roster import."""

import csv
import io
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from network.models import PartnershipPage

from .models import MAX_YEAR, MIN_YEAR, Indicator, IndicatorValue, PopulationGroup

IMPORT_COLUMNS = ["partnership", "indicator", "year", "group", "value", "unit", "suppressed", "source"]
REQUIRED_COLUMNS = {"partnership", "indicator", "year", "value"}
MAX_IMPORT_ROWS = 20000
# What state and district files write in place of a withheld figure.
SUPPRESSION_MARKS = {"*", "**", "suppressed", "s", "n<10", "<10", "ds"}
YES = {"yes", "y", "true", "1", "x"}


class IndicatorImportError(Exception):
    """The file as a whole cannot be read (bad rows are reported one by one instead)."""


@dataclass
class ImportResult:
    row: int
    action: str  # created, updated, unchanged or rejected
    key: str = ""
    reason: str = ""


class FigureRowForm(forms.Form):
    partnership = forms.CharField()
    indicator = forms.CharField()
    year = forms.IntegerField(min_value=MIN_YEAR, max_value=MAX_YEAR)
    group = forms.CharField(required=False)
    value = forms.CharField(required=False)
    unit = forms.CharField(required=False)
    suppressed = forms.CharField(required=False)
    source = forms.CharField(max_length=255, required=False)

    def __init__(self, *args, partnerships, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.partnerships = partnerships
        self.indicators = indicators

    def clean_partnership(self):
        key = self.cleaned_data["partnership"].strip().lower()
        if key not in self.partnerships:
            raise forms.ValidationError(f"no partnership with the slug or name {self.cleaned_data['partnership']!r}")
        return self.partnerships[key]

    def clean_indicator(self):
        key = self.cleaned_data["indicator"].strip().lower()
        if key not in self.indicators:
            raise forms.ValidationError(f"no indicator with the slug or name {self.cleaned_data['indicator']!r}")
        return self.indicators[key]

    def clean_group(self):
        value = self.cleaned_data["group"].strip().lower()
        if not value:
            return PopulationGroup.ALL
        by_label = {label.lower(): group for group, label in PopulationGroup.choices}
        group = value if value in PopulationGroup.values else by_label.get(value)
        if not group:
            raise forms.ValidationError(f"{value!r} is not a population group ({', '.join(PopulationGroup.values)})")
        return group

    def clean(self):
        data = super().clean()
        raw = data.get("value", "").strip()
        suppressed = data.get("suppressed", "").strip().lower() in YES or raw.lower() in SUPPRESSION_MARKS
        value = None
        if raw and raw.lower() not in SUPPRESSION_MARKS:
            try:
                value = Decimal(raw.replace(",", "").removesuffix("%"))
            except ArithmeticError:
                self.add_error("value", f"{raw!r} is not a number (write * or mark the row suppressed)")
            if suppressed and value is not None:
                self.add_error("value", "a suppressed figure has no value")
        indicator = data.get("indicator")
        unit = data.get("unit", "").strip().lower()
        if indicator and unit and unit not in (indicator.unit, indicator.get_unit_display().lower()):
            self.add_error("unit", f"{indicator.name} is reported as {indicator.get_unit_display().lower()}")
        data["value"], data["suppressed"] = value, suppressed
        return data


def figure_rows_read(*, content):
    """The rows of a UTF-8 CSV file as (line number, dict) pairs, column names in any case."""
    reader = csv.DictReader(io.StringIO(content.lstrip("\ufeff")))
    if not reader.fieldnames:
        raise IndicatorImportError("the file is empty")
    reader.fieldnames = [name.strip().lower() for name in reader.fieldnames]
    if missing := REQUIRED_COLUMNS - set(reader.fieldnames):
        raise IndicatorImportError(f"the CSV header must name the columns {', '.join(sorted(missing))}")
    rows = [(reader.line_num, row) for row in reader]
    if len(rows) > MAX_IMPORT_ROWS:
        raise IndicatorImportError(f"{len(rows)} rows: split the file (at most {MAX_IMPORT_ROWS})")
    return rows


def _lookup(objects, *names):
    found = {}
    for item in objects:
        for name in names:
            found[getattr(item, name).lower()] = item
    return found


def figures_import(*, rows, dry_run=False):
    """Create or update each figure by (partnership, indicator, year, group), one row per
    transaction: a bad row is rejected with its reason and the good rows are kept."""
    partnerships = _lookup(PartnershipPage.objects.all(), "title", "slug")
    indicators = _lookup(Indicator.objects.all(), "name", "slug")
    seen = set()
    results = []
    for number, row in rows:
        values = {column: (row.get(column) or "").strip() for column in IMPORT_COLUMNS}
        form = FigureRowForm(values, partnerships=partnerships, indicators=indicators)
        if not form.is_valid():
            reason = "; ".join(f"{field}: {' '.join(errors)}" for field, errors in form.errors.items())
            results.append(ImportResult(number, "rejected", reason=reason))
            continue
        data = form.cleaned_data
        key = (data["partnership"].pk, data["indicator"].pk, data["year"], data["group"])
        label = f"{data['partnership'].slug} {data['indicator'].slug} {data['year']} {data['group']}"
        if key in seen:
            results.append(ImportResult(number, "rejected", label, "the same figure is repeated in this file"))
            continue
        seen.add(key)
        try:
            action = _figure_upsert(data=data, dry_run=dry_run)
        except (ValidationError, DatabaseError) as error:  # this row only
            reason = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            results.append(ImportResult(number, "rejected", label, reason))
            continue
        results.append(ImportResult(number, action, label))
    return results


def _figure_upsert(*, data, dry_run):
    figure = IndicatorValue.objects.filter(
        partnership=data["partnership"], indicator=data["indicator"], year=data["year"], group=data["group"]
    ).first()
    action = "created" if figure is None else "updated"
    if figure is None:
        figure = IndicatorValue(
            partnership=data["partnership"], indicator=data["indicator"], year=data["year"], group=data["group"]
        )
    fields = {"value": data["value"], "suppressed": data["suppressed"], "source": data["source"]}
    if action == "updated" and all(getattr(figure, name) == value for name, value in fields.items()):
        return "unchanged"
    for name, value in fields.items():
        setattr(figure, name, value)
    figure.full_clean()
    if not dry_run:
        with transaction.atomic():
            figure.save()
    return action
