"""What management commands show on a terminal."""

from django.core.management.base import CommandError

BAR_WIDTH = 30


def progress_bar(done, total, *, label):
    """A one-line progress bar, to be written after a carriage return."""
    filled = BAR_WIDTH * done // max(total, 1)
    return f"\r[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{total} {label}"


IMPORT_ACTIONS = ("created", "updated", "unchanged", "rejected")


def import_report_write(command, results, *, key, dry_run):
    """Each imported row as `row N: action key[: reason]`, then the totals; a CommandError
    (non-zero exit) when any row was rejected. `key` names the result attribute that
    identifies the row (a slug, an indicator and year...)."""
    for result in results:
        line = f"row {result.row}: {result.action} {getattr(result, key)}".rstrip()
        if result.reason:
            line += f": {result.reason}"
        command.stdout.write(command.style.ERROR(line) if result.action == "rejected" else line)
    totals = {action: sum(result.action == action for result in results) for action in IMPORT_ACTIONS}
    summary = ", ".join(f"{count} {action}" for action, count in totals.items())
    command.stdout.write(("Dry run, nothing written: " if dry_run else "") + summary)
    if totals["rejected"]:
        raise CommandError(
            f"{totals['rejected']} row(s) rejected; the other rows were {'checked' if dry_run else 'kept'}."
        )
