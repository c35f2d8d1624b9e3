from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from network.models import DirectoryPage
from network.services import PartnershipImportError, partnership_rows_read, partnerships_import
from website.terminal import import_report_write


class Command(BaseCommand):
    help = (
        "Create or update partnerships from a CSV or JSON file with the columns the directory "
        "export writes (only name and state are required). Bad rows are reported and skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Report what would happen; write nothing.")

    def handle(self, *args, file, dry_run, **options):
        directory = DirectoryPage.objects.first()
        if directory is None:
            raise CommandError("There is no directory page to import into: create one in the admin first.")
        try:
            content = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        try:
            rows = partnership_rows_read(content=content, filename=file.name)
        except PartnershipImportError as error:
            raise CommandError(f"{file}: {error}") from error

        results = partnerships_import(rows=rows, directory=directory, dry_run=dry_run)
        import_report_write(self, results, key="slug", dry_run=dry_run)
