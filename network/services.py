"""Writes for the network directory: importing partnerships and their editors' access."""

import csv
import io
import json
import logging
import re
from dataclasses import dataclass

from django import forms
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.text import slugify
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

from taxonomy.geography import STATES
from taxonomy.models import Outcome, Stage

from .models import PartnershipPage, http_url

IMPORT_FIELDS = [
    "name",
    "slug",
    "city",
    "state",
    "latitude",
    "longitude",
    "stage",
    "outcomes",
    "anchor_organisation",
    "year_joined",
    "website",
    "feed_url",
    "contact_name",
    "contact_email",
    "summary",
]
MAX_IMPORT_ROWS = 5000

logger = logging.getLogger(__name__)


def _match_key(value):
    """How a name or slug is compared: case, spaces, hyphens and underscores ignored
    ("early grade reading" is "Early-grade reading" is "early-grade-reading")."""
    return " ".join(re.split(r"[\s_-]+", str(value).lower())).strip()


class PartnershipImportError(Exception):
    """The file as a whole cannot be read (not one bad row: those are reported per row)."""


@dataclass
class ImportResult:
    row: int
    action: str  # created, updated, unchanged or rejected
    slug: str = ""
    reason: str = ""


class PartnershipRowForm(forms.Form):
    """One imported row: only `name` and `state` are required."""

    name = forms.CharField(max_length=255)
    slug = forms.SlugField(max_length=255, required=False)
    city = forms.CharField(max_length=120, required=False)
    state = forms.CharField(max_length=40)
    latitude = forms.DecimalField(max_digits=8, decimal_places=5, min_value=-90, max_value=90, required=False)
    longitude = forms.DecimalField(max_digits=8, decimal_places=5, min_value=-180, max_value=180, required=False)
    stage = forms.CharField(required=False)
    outcomes = forms.CharField(required=False)
    anchor_organisation = forms.CharField(max_length=200, required=False)
    year_joined = forms.IntegerField(min_value=1990, max_value=2100, required=False)
    website = forms.URLField(required=False, validators=[http_url], assume_scheme="https")
    feed_url = forms.URLField(required=False, validators=[http_url], assume_scheme="https")
    contact_name = forms.CharField(max_length=120, required=False)
    contact_email = forms.EmailField(required=False)
    summary = forms.CharField(required=False)

    def __init__(self, *args, outcomes_by_key, **kwargs):
        super().__init__(*args, **kwargs)
        self.outcomes_by_key = outcomes_by_key

    def clean_state(self):
        value = self.cleaned_data["state"].strip()
        by_key = {_match_key(name): code for code, name in STATES.items()}
        by_key.update({code.lower(): code for code in STATES})
        code = by_key.get(_match_key(value))
        if not code:
            raise forms.ValidationError(f"{value!r} is not a US state (use a code such as OH, or the name)")
        return code

    def clean_stage(self):
        value = self.cleaned_data["stage"].strip()
        if not value:
            return Stage.EXPLORING
        by_key = {_match_key(label): stage for stage, label in Stage.choices}
        by_key.update({_match_key(stage): stage for stage in Stage.values})
        stage = by_key.get(_match_key(value))
        if not stage:
            raise forms.ValidationError(f"{value!r} is not a stage ({', '.join(Stage.labels)})")
        return stage

    def clean_outcomes(self):
        keys = [key.strip() for key in self.cleaned_data["outcomes"].split(";") if key.strip()]
        unknown = [key for key in keys if _match_key(key) not in self.outcomes_by_key]
        if unknown:
            raise forms.ValidationError(f"unknown outcome(s): {', '.join(unknown)}")
        return sorted({self.outcomes_by_key[_match_key(key)].pk for key in keys})

    def clean(self):
        data = super().clean()
        if data.get("name") and not data.get("slug"):
            data["slug"] = slugify(data["name"])[:255]
            if not data["slug"]:
                self.add_error("name", "this name gives an empty slug: add a slug column")
        return data


def _strip_formula_guard(value):
    """Undo the apostrophe the CSV export puts before formula-like cells."""
    if isinstance(value, str) and value[:1] == "'" and value[1:2] in ("=", "+", "-", "@"):
        return value[1:]
    return value


def partnership_rows_read(*, content, filename):
    """The rows of a CSV or JSON file as (row number, dict) pairs."""
    if filename.lower().endswith(".json"):
        try:
            data = json.loads(content)
        except ValueError as error:
            raise PartnershipImportError(f"not valid JSON: {error}") from error
        if isinstance(data, dict):
            data = data.get("partnerships")
        if not isinstance(data, list):
            raise PartnershipImportError('JSON must be a list of objects, or {"partnerships": [...]}')
        rows = list(enumerate(data, start=1))
    else:
        reader = csv.DictReader(io.StringIO(content.lstrip("\ufeff")))
        if not reader.fieldnames or "name" not in reader.fieldnames or "state" not in reader.fieldnames:
            raise PartnershipImportError("the CSV header must name at least the columns 'name' and 'state'")
        rows = [(reader.line_num, row) for row in reader]
    if len(rows) > MAX_IMPORT_ROWS:
        raise PartnershipImportError(f"{len(rows)} rows: split the file (at most {MAX_IMPORT_ROWS})")
    return rows


def _row_values(row):
    if not isinstance(row, dict):
        return None
    values = {}
    for field in IMPORT_FIELDS:
        value = row.get(field)
        if isinstance(value, list):  # JSON may give outcomes as a list
            value = ";".join(str(item) for item in value)
        values[field] = _strip_formula_guard("" if value is None else str(value).strip())
    return values


def partnerships_import(*, rows, directory, dry_run=False):
    """Create or update partnerships (by slug) under `directory`, one row at a time.

    A bad row is rejected with its reason and the others are kept; each row is written
    in its own transaction, so a row is never half-written.
    """
    outcomes = list(Outcome.objects.all())
    outcomes_by_key = {_match_key(outcome.slug): outcome for outcome in outcomes}
    outcomes_by_key.update({_match_key(outcome.name): outcome for outcome in outcomes})
    seen_slugs = set()
    results = []
    for number, row in rows:
        values = _row_values(row)
        if values is None:
            results.append(ImportResult(number, "rejected", reason="not an object with columns"))
            continue
        form = PartnershipRowForm(values, outcomes_by_key=outcomes_by_key)
        if not form.is_valid():
            reason = "; ".join(f"column {field}: {' '.join(errors)}" for field, errors in form.errors.items())
            slug = values["slug"] or slugify(values["name"])[:255]
            results.append(ImportResult(number, "rejected", slug=slug, reason=reason))
            continue
        data = form.cleaned_data
        if data["slug"] in seen_slugs:
            results.append(ImportResult(number, "rejected", slug=data["slug"], reason="slug repeated in this file"))
            continue
        seen_slugs.add(data["slug"])
        try:
            action = _partnership_upsert(directory=directory, data=data, dry_run=dry_run)
        except (ValidationError, DatabaseError, ValueError) as error:  # this row only
            results.append(ImportResult(number, "rejected", slug=data["slug"], reason=str(error)))
            continue
        except Exception as error:  # an unforeseen fault in one row must not cost the others their import
            logger.exception("partnership import: row %s failed", number)
            results.append(
                ImportResult(number, "rejected", slug=data["slug"], reason=f"{type(error).__name__}: {error}")
            )
            continue
        results.append(ImportResult(number, action, slug=data["slug"]))
    return results


def _partnership_upsert(*, directory, data, dry_run):
    fields = {
        "title": data["name"],
        "city": data["city"],
        "state": data["state"],
        "latitude": data["latitude"],
        "longitude": data["longitude"],
        "stage": data["stage"],
        "anchor_organisation": data["anchor_organisation"],
        "year_joined": data["year_joined"],
        "website": data["website"],
        "feed_url": data["feed_url"],
        "contact_name": data["contact_name"],
        "contact_email": data["contact_email"],
    }
    if data["summary"]:  # an empty cell leaves the summary editors wrote alone
        fields["summary"] = data["summary"]
    existing = PartnershipPage.objects.filter(slug=data["slug"]).first()
    if existing is not None and not existing.is_descendant_of(directory):
        raise ValueError(f"slug {data['slug']!r} belongs to a page outside the directory")
    if existing is None:
        if dry_run:
            return "created"
        with transaction.atomic():
            partnership = PartnershipPage(slug=data["slug"], **fields)
            directory.add_child(instance=partnership)
            partnership.outcomes.set(data["outcomes"])
            partnership.save_revision().publish()
            partnership_editors_group_ensure(partnership=partnership)
        return "created"

    if existing.has_unpublished_changes:
        raise ValueError("the page has unpublished changes in the admin: publish or discard them first")
    partnership = existing.specific
    current_outcomes = sorted(outcome.pk for outcome in partnership.outcomes.all())
    changed = {name for name, value in fields.items() if getattr(partnership, name) != value}
    if current_outcomes != data["outcomes"]:
        changed.add("outcomes")
    if not changed:
        return "unchanged"
    if dry_run:
        return "updated"
    with transaction.atomic():
        for name, value in fields.items():
            setattr(partnership, name, value)
        partnership.outcomes.set(data["outcomes"])
        partnership.save_revision().publish()
    return "updated"


PARTNERSHIP_EDITOR_PAGE_PERMISSIONS = ["change_page"]
PARTNERSHIP_EDITOR_MEDIA_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "choose_document"),
]


def partnership_editors_group_name(partnership):
    return f"Partnership editors: {partnership.title} ({partnership.pk})"


def partnership_editors_group_ensure(*, partnership):
    """The group whose members may edit this partnership's page and submit it for
    moderation (not publish it), and upload its logo and report cards."""
    group = Group.objects.filter(page_permissions__page=partnership, name__startswith="Partnership editors:").first()
    if group is None:
        group = Group.objects.create(name=partnership_editors_group_name(partnership))
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    for codename in PARTNERSHIP_EDITOR_PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=partnership,
            permission=Permission.objects.get(content_type__app_label="wagtailcore", codename=codename),
        )
    root_collection = Collection.get_first_root_node()
    for app_label, codename in PARTNERSHIP_EDITOR_MEDIA_PERMISSIONS:
        GroupCollectionPermission.objects.get_or_create(
            group=group,
            collection=root_collection,
            permission=Permission.objects.get(content_type__app_label=app_label, codename=codename),
        )
    return group
