"""Edit one hunk in the person's $EDITOR, as `git add -p`'s "e" does.

The edit is checked at once (`hunk.workspace.edited`, the same rule as the terminal review): an
edit that cannot apply raises `HunkEditError`, which keeps the person's text so they can edit it
again instead of starting over.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from pathlib import Path

from hunk.values.diffs import DiffHunk
from hunk.workspace.edited import EditedHunkError, check_edited, parse_edited_hunk

HELP = (
    "# Edit the hunk. Lines starting with '+' are added, '-' removed, ' ' kept.\n"
    "# To keep a '-' line, turn its '-' into a space; to drop a '+' line, delete it.\n"
    "# Lines starting with '#' are ignored. Save and quit to accept the edited hunk.\n"
)


class HunkEditError(EditedHunkError):
    """The edited hunk cannot be used; the message says why, `text` is what the person wrote."""

    def __init__(self, message: str, text: str = "") -> None:
        super().__init__(message)
        self.text = text


def editor_command() -> list[str]:
    return shlex.split(os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi")


def parse_edited(text: str) -> tuple[str, ...]:
    """The hunk lines of the editor's text (raises HunkEditError for stray or no changes)."""
    try:
        lines = parse_edited_hunk(text)
    except EditedHunkError as problem:
        raise HunkEditError(str(problem), text) from None
    if not any(line[:1] in "+-" for line in lines):
        raise HunkEditError("the edited hunk changes nothing; reject the hunk instead", text)
    return lines


def edit_hunk(hunk: DiffHunk, text: str, path: str) -> tuple[str, ...]:
    """Blocking: run the editor on `text` (the hunk's lines, or an earlier attempt) and return the
    edited lines, checked against `hunk`."""
    suffix = Path(path).suffix + ".diff"
    with tempfile.TemporaryDirectory(prefix="hunk-edit-") as folder:
        target = Path(folder) / f"hunk{suffix}"
        target.write_text(HELP + text, encoding="utf-8")
        result = subprocess.run([*editor_command(), str(target)], check=False)
        if result.returncode != 0:
            raise HunkEditError(f"the editor exited with status {result.returncode}", text)
        written = target.read_text(encoding="utf-8")
    kept = "".join(line for line in written.splitlines(keepends=True) if not line.startswith("#"))
    lines = parse_edited(written)
    try:
        check_edited(hunk, lines)
    except EditedHunkError as problem:
        raise HunkEditError(str(problem), kept) from None
    return lines


def open_raw(lines: tuple[str, ...], path: str) -> None:
    """Blocking: show a hunk whole, long lines unfolded, in the editor (a copy: edits are ignored)."""
    with tempfile.TemporaryDirectory(prefix="hunk-view-") as folder:
        target = Path(folder) / f"hunk-{Path(path).name}.diff"
        target.write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogateescape")
        subprocess.run([*editor_command(), str(target)], check=False)
