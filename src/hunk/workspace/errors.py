"""The workspace engine's errors. Each carries one line a person (or the model) can act on."""

from __future__ import annotations


class WorkspaceError(Exception):
    """A file could not be read or written; the tree was left as it was."""


class GitStateError(WorkspaceError):
    """The repository is in a state hunk cannot commit in (or git itself failed)."""


class GitCommandFailed(GitStateError):
    """A git command failed; the message is git's last line, `output` everything it printed."""

    def __init__(self, message: str, output: str) -> None:
        super().__init__(message)
        self.output = output


class HookFailed(GitStateError):
    """A pre-commit or commit-msg hook refused the commit; `output` is what the hook printed."""

    def __init__(self, message: str, output: str) -> None:
        super().__init__(message)
        self.output = output


class UndoConflict(GitStateError):
    """The agent's commit cannot be taken back without touching the user's later edits."""

    def __init__(self, message: str, paths: tuple[str, ...]) -> None:
        super().__init__(message)
        self.paths = paths
