import io
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from newsletter.models import Subscriber
from newsletter.services.importing import (
    MAX_IMPORT_BYTES,
    SubscriberImportError,
    subscriber_rows_read,
    subscribers_import,
)


class Command(BaseCommand):
    help = (
        "Add subscribers from a CSV exported by another list tool: `email` is required; `name`, `status`, "
        "`consented_at` and `interests` (series, outcome areas or regions, separated by ;) are understood. "
        "Bad rows are reported and skipped; the good rows are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--default-status",
            choices=[Subscriber.Status.ACTIVE, Subscriber.Status.PENDING],
            default=Subscriber.Status.ACTIVE,
            help="Status of rows without one (pending: they get nothing until they confirm).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Report what would happen; write nothing.")

    def handle(self, *args, file, default_status, dry_run, **options):
        # The whole file is read and parsed before anything is written: a file that cannot
        # be read is refused whole, with nothing half-imported.
        try:
            if file.stat().st_size > MAX_IMPORT_BYTES:
                raise CommandError(f"{file} is over {MAX_IMPORT_BYTES // 2**20} MB: split it.")
            text = file.read_bytes().decode("utf-8-sig")
            rows = list(subscriber_rows_read(lines=io.StringIO(text, newline="")))
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        except UnicodeDecodeError as error:
            raise CommandError(
                f"{file} is not UTF-8 text (byte {error.start}): export it as UTF-8 CSV. Nothing was imported."
            ) from error
        except SubscriberImportError as error:
            raise CommandError(f"{file}: {error}. Nothing was imported.") from error
        report = subscribers_import(
            rows=rows, source=f"import: {file.name}", default_status=default_status, dry_run=dry_run
        )
        for number, message in report.warnings:
            self.stdout.write(self.style.WARNING(f"row {number}: {message}"))
        for number, reason in report.rejected:
            self.stdout.write(self.style.ERROR(f"row {number}: rejected: {reason}"))
        self.stdout.write(
            ("Dry run, nothing written: " if dry_run else "")
            + f"{report.created} created, {report.updated} updated, {report.unchanged} unchanged, "
            f"{len(report.rejected)} rejected."
        )
        if report.rejected:
            raise CommandError(
                f"{len(report.rejected)} row(s) rejected; the other rows were {'checked' if dry_run else 'kept'}."
            )
