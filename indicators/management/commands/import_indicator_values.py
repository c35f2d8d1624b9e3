from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from indicators.services import IndicatorImportError, figure_rows_read, figures_import


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
        for result in results:
            line = f"row {result.row}: {result.action} {result.key}".rstrip()
            if result.reason:
                line += f": {result.reason}"
            self.stdout.write(self.style.ERROR(line) if result.action == "rejected" else line)
        totals = {
            action: sum(result.action == action for result in results)
            for action in ("created", "updated", "unchanged", "rejected")
        }
        summary = ", ".join(f"{count} {action}" for action, count in totals.items())
        self.stdout.write(("Dry run, nothing written: " if dry_run else "") + summary)
        if totals["rejected"]:
            raise CommandError(
                f"{totals['rejected']} row(s) rejected; the other rows were {'checked' if dry_run else 'kept'}."
            )
