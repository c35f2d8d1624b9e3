from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from indicators.services import IndicatorImportError, figure_rows_read, figures_import
from website.terminal import import_report_write


class Command(BaseCommand):
    help = (
        "Create or update report-card figures from a UTF-8 CSV file with the columns partnership, indicator, "
        "year, value (required), group, unit, suppressed and source. Bad rows are reported and skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Report what would happen; write nothing.")

    def handle(self, *args, file, dry_run, **options):
        try:
            content = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        try:
            rows = figure_rows_read(content=content)
        except IndicatorImportError as error:
            raise CommandError(f"{file}: {error}") from error

        results = figures_import(rows=rows, dry_run=dry_run)
        import_report_write(self, results, key="key", dry_run=dry_run)
