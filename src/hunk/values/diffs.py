"""Diffs and verdicts as front ends, approvers and the workspace see them: a file's change as
hunks, and the decision taken on each hunk."""

from __future__ import annotations

from dataclasses import dataclass



@dataclass(frozen=True)
class DiffHunk:
    """One hunk of a file's unified diff. `lines` keep their ' ', '+', '-' or '\\' prefix."""

    index: int
    header: str  # "@@ -12,7 +12,9 @@ def parse_args"
    source_start: int
    source_length: int
    target_start: int
    target_length: int
    lines: tuple[str, ...]

    @property
    def added(self) -> int:
        return sum(1 for line in self.lines if line.startswith("+"))

    @property
    def removed(self) -> int:
        return sum(1 for line in self.lines if line.startswith("-"))


@dataclass(frozen=True)
class FileDiff:
    """A file's change as hunks. A binary file (or a pure mode change, or a symlink) has no
    hunks and is decided whole: its decision then carries exactly one verdict."""

    path: str
    status: str  # added | modified | deleted | mode
    text: str  # the unified diff, ready to print
    hunks: tuple[DiffHunk, ...]
    binary: bool = False
    old_mode: int | None = None
    new_mode: int | None = None

    @property
    def added(self) -> int:
        return sum(h.added for h in self.hunks)

    @property
    def removed(self) -> int:
        return sum(h.removed for h in self.hunks)

    @property
    def decision_count(self) -> int:
        """How many verdicts a decision on this file carries."""
        return len(self.hunks) or 1


@dataclass(frozen=True)
class HunkVerdict:
    accepted: bool
    note: str | None = None
    # A hunk the person edited (as `git add -p`'s "e"): the new hunk body, each line with its
    # ' ', '+' or '-' prefix. Only with accepted=True.
    edited: tuple[str, ...] | None = None


@dataclass(frozen=True)
class FileVerdict:
    path: str
    hunks: tuple[HunkVerdict, ...]  # one per hunk of the FileDiff, or one for a whole-file diff

    @property
    def accepted_all(self) -> bool:
        return all(v.accepted for v in self.hunks)

    @property
    def rejected_all(self) -> bool:
        return not any(v.accepted for v in self.hunks)

    @property
    def notes(self) -> list[str]:
        return [v.note for v in self.hunks if v.note]
