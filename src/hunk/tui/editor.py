"""Edit one hunk in the person's $EDITOR, as `git add -p`'s "e" does."""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from pathlib import Path

HELP = (
    "# Edit the hunk. Lines starting with '+' are added, '-' removed, ' ' kept.\n"
    "# To drop a '-' line, make it a ' ' line; to drop a '+' line, delete it.\n"
    "# Lines starting with '#' are ignored. Save and quit to accept the edited hunk.\n"
)


class HunkEditError(Exception):
    """The edited hunk cannot be used; the message says why."""


def editor_command() -> list[str]:
    return shlex.split(os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi")


def parse_edited(text: str) -> tuple[str, ...]:
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    while lines and lines[-1] == "":
        lines.pop()
    for line in lines:
        if line[:1] not in (" ", "+", "-", "\\") and line != "":
            raise HunkEditError(f"edited line must start with ' ', '+' or '-': {line!r}")
    if not any(line[:1] in "+-" for line in lines if line):
        raise HunkEditError("the edited hunk changes nothing")
    return tuple(line if line else " " for line in lines)


def edit_text(text: str, suffix: str) -> str:
    """Blocking: run the editor on `text` (a plan, say) and return what was saved. A failing
    editor raises ValueError, and the text is left as it was."""
    with tempfile.TemporaryDirectory(prefix="hunk-edit-") as folder:
        target = Path(folder) / f"edit{suffix}"
        target.write_text(text, encoding="utf-8")
        result = subprocess.run([*editor_command(), str(target)], check=False)
        if result.returncode != 0:
            raise ValueError(f"the editor exited with status {result.returncode}")
        return target.read_text(encoding="utf-8")


def edit_hunk(lines: tuple[str, ...], path: str) -> tuple[str, ...]:
    """Blocking: run the editor on the hunk and return the edited lines."""
    suffix = Path(path).suffix + ".diff"
    with tempfile.TemporaryDirectory(prefix="hunk-edit-") as folder:
        target = Path(folder) / f"hunk{suffix}"
        target.write_text(HELP + "\n".join(lines) + "\n", encoding="utf-8")
        result = subprocess.run([*editor_command(), str(target)], check=False)
        if result.returncode != 0:
            raise HunkEditError(f"the editor exited with status {result.returncode}")
        return parse_edited(target.read_text(encoding="utf-8"))


def open_raw(lines: tuple[str, ...], path: str) -> None:
    """Blocking: show a hunk whole, long lines unfolded, in the editor (a copy: edits are ignored)."""
    with tempfile.TemporaryDirectory(prefix="hunk-view-") as folder:
        target = Path(folder) / f"hunk-{Path(path).name}.diff"
        target.write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogateescape")
        subprocess.run([*editor_command(), str(target)], check=False)
