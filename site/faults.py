"""Temporary faults: what the site answers with 503 and Retry-After instead of a 500.

A locked or read-only database, a database that cannot be reached, a full disk: none is
a bug in the request, each passes by itself (a writer finishes, an operator frees
space), and a client told to come back soon loses nothing. Writes run in transactions,
so a request answered 503 has left nothing half-done."""

import errno

from django.db import InternalError, OperationalError

RETRY_AFTER_SECONDS = 5
# Disk full, quota exceeded, file system remounted read-only.
_STORAGE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS})
# PostgreSQL: a read-only transaction or a hot standby (SQLSTATE 25006).
_READ_ONLY_SQLSTATE = "25006"


def fault_is_temporary(error):
    """True when `error`, or an error it was raised from, is a temporary fault."""
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, OperationalError):
            return True
        if isinstance(error, InternalError) and getattr(error.__cause__, "sqlstate", None) == _READ_ONLY_SQLSTATE:
            return True
        if isinstance(error, OSError) and error.errno in _STORAGE_ERRNOS:
            return True
        error = error.__cause__ or error.__context__
    return False
