"""Exit codes, the usage error, and turning any error that reaches the command line into one
line and an exit code. A leaf: it imports the error types it classifies lazily."""

from __future__ import annotations

import errno

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_REJECTED, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


class UsageError(Exception):
    """Bad usage or configuration: one line on stderr, exit 2."""


def classify_error(exc: BaseException) -> tuple[str, int]:
    """(one line for stderr, exit code): 2 for bad usage or configuration, 1 otherwise."""
    from hunk.journal.recovery import InterruptedTurn
    from hunk.settings.config import ConfigError
    from hunk.providers.base import ProviderConfigError
    from hunk.workspace.errors import GitStateError, WorkspaceError

    first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    if isinstance(exc, (UsageError, ConfigError, ProviderConfigError, GitStateError, InterruptedTurn)):
        return first, EXIT_USAGE
    if isinstance(exc, WorkspaceError):
        return first, EXIT_FAILED
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return f"the disk is full ({exc.filename or 'writing'}); nothing more was written", EXIT_FAILED
    if isinstance(exc, OSError):
        where = f" ({exc.filename})" if exc.filename else ""
        return f"{exc.strerror or first}{where}", EXIT_FAILED
    return f"internal error: {type(exc).__name__}: {first} (run with --debug for the traceback)", EXIT_FAILED
