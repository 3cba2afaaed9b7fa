"""A hunk the person edits, as `git add -p`'s "e": the one editor launcher and the one parser of
the edited text, shared by the TUI and the terminal review. The parse goes through `unidiff`;
whether the edit still fits the file is `diff.apply_verdicts`' call (EditedHunkError)."""

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
    """$VISUAL, else $EDITOR, else vi: split as a shell would."""
    return shlex.split(os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi")


def run_editor(text: str, name: str = "hunk.txt") -> str:
    """Blocking: let the person edit `text` in their editor; what they saved. A failing editor
    raises HunkEditError."""
    with tempfile.TemporaryDirectory(prefix="hunk-edit-") as folder:
        target = Path(folder) / Path(name).name
        target.write_text(text, encoding="utf-8", errors="surrogateescape")
        try:
            done = subprocess.run([*editor_command(), str(target)], check=False)
        except OSError as error:
            raise HunkEditError(f"the editor could not start: {error.strerror or error}") from None
        if done.returncode != 0:
            raise HunkEditError(f"the editor exited with status {done.returncode}")
        return target.read_text(encoding="utf-8", errors="surrogateescape")


def hunk_template(lines: tuple[str, ...]) -> str:
    """What the editor opens: the hunk's lines, then how to edit them."""
    return "\n".join(lines) + "\n" + HELP


def parse_edited(text: str) -> tuple[str, ...]:
    """The hunk lines of an edited text (comments dropped), each with its ' ', '+', '-' or '\\'
    prefix. Raises HunkEditError when it is not a hunk or changes nothing."""
    import unidiff

    lines = [line for line in text.splitlines() if not line.startswith("#")]
    while lines and lines[-1] == "":
        lines.pop()
    lines = [line or " " for line in lines]  # editors strip the space of a blank context line
    for line in lines:
        if line[:1] not in (" ", "+", "-", "\\"):
            raise HunkEditError(f"edited line must start with ' ', '+' or '-': {line!r}")
    old = sum(1 for line in lines if line[0] in " -")
    new = sum(1 for line in lines if line[0] in " +")
    patch = f"--- a/hunk\n+++ b/hunk\n@@ -1,{old} +1,{new} @@\n" + "".join(line + "\n" for line in lines)
    try:
        hunk = unidiff.PatchSet(patch)[0][0]
    except (unidiff.UnidiffParseError, IndexError) as error:
        raise HunkEditError(f"the edited hunk is not a hunk: {error}") from None
    if not (hunk.added or hunk.removed):
        raise HunkEditError("the edited hunk changes nothing")
    return tuple(line.line_type + line.value.removesuffix("\n") for line in hunk)


def edit_hunk(lines: tuple[str, ...], path: str) -> tuple[str, ...]:
    """Blocking: the person edits one hunk of `path`; the edited lines."""
    return parse_edited(run_editor(hunk_template(lines), f"hunk{Path(path).suffix}.diff"))


def view_in_editor(lines: tuple[str, ...], path: str) -> None:
    """Blocking: show a hunk whole, long lines unfolded (a copy: edits are ignored)."""
    try:
        run_editor("\n".join(lines) + "\n", f"hunk-{Path(path).name}.diff")
    except HunkEditError:
        pass  # a viewer that fails to start has nothing to lose
