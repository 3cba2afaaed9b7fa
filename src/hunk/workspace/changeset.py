"""What the agent changed in one turn: path → (before, after).

Write tools return a `FileChange` and never touch the disk; command side effects are detected
and become `FileChange`s too. The turn's `Changeset` folds successive changes of one path into
one (the first `before`, the latest `after`), so a review always compares the state before the
turn with the state the agent wants.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class FileChange:
    """One file's change. `None` content means "does not exist" (created / deleted).

    Modes are git modes as ints (0o100644, 0o100755, 0o120000 for a symlink); `None` with `None`
    content. `source` names what produced it: a tool name, or "run_command".
    """

    path: str
    before: bytes | None
    after: bytes | None
    before_mode: int | None = None
    after_mode: int | None = None
    source: str = ""

    @property
    def is_noop(self) -> bool:
        return self.before == self.after and self.before_mode == self.after_mode

    @property
    def status(self) -> str:
        if self.before is None:
            return "added"
        if self.after is None:
            return "deleted"
        if self.before == self.after:
            return "mode"
        return "modified"


def content_hash(data: bytes | None) -> str | None:
    """The hash the journal records for a file's content (git's blob id, so it can be looked up)."""
    if data is None:
        return None
    header = b"blob %d\0" % len(data)
    return hashlib.sha1(header + data).hexdigest()


class Changeset:
    """The turn's changes, in the order paths were first touched."""

    def __init__(self) -> None:
        self._changes: dict[str, FileChange] = {}

    def add(self, change: FileChange) -> None:
        earlier = self._changes.get(change.path)
        if earlier is not None:
            change = replace(change, before=earlier.before, before_mode=earlier.before_mode)
        if change.is_noop:
            self._changes.pop(change.path, None)
        else:
            self._changes[change.path] = change

    def get(self, path: str) -> FileChange | None:
        return self._changes.get(path)

    def discard(self, path: str) -> None:
        self._changes.pop(path, None)

    def changes(self) -> list[FileChange]:
        return list(self._changes.values())

    def paths(self) -> list[str]:
        return list(self._changes)

    def __len__(self) -> int:
        return len(self._changes)

    def __bool__(self) -> bool:
        return bool(self._changes)
