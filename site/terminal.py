"""What management commands show on a terminal."""

BAR_WIDTH = 30


def progress_bar(done, total, *, label):
    """A one-line progress bar, to be written after a carriage return."""
    filled = BAR_WIDTH * done // max(total, 1)
    return f"\r[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{total} {label}"
