"""A hunk the person edits, as `git add -p`'s "e": the one editor launcher and the one parser of
the edited text, shared by the TUI and the terminal review. The parse goes through `unidiff`;
`check_edited` then asks git's question at once — can this edit apply? — so an edit that
changes a context line is refused while the person is still there to edit it again
(`diff.apply_verdicts` applies the same rule to the bytes, and raises EditedHunkError)."""

from __future__ import annotations

import os
import shlex
import subprocess
from collections.abc import Sequence
from pathlib import Path

from hunk.values.diffs import DiffHunk
from hunk.workspace.tempdirs import temp_dir

HELP = (
    "# Edit the hunk. Lines starting with '+' are added, '-' removed, ' ' kept.\n"
    "# To drop a '-' line, make it a ' ' line; to drop a '+' line, delete it.\n"
    "# Lines starting with '#' are ignored. Save and quit to accept the edited hunk.\n"
)


class HunkEditError(Exception):
    """The edited hunk cannot be used; the message says why. `text` is what the person wrote
    (comments dropped), to start the next attempt from."""

    def __init__(self, message: str, text: str = "") -> None:
        super().__init__(message)
        self.text = text


def editor_command() -> list[str]:
    """$VISUAL, else $EDITOR, else vi: split as a shell would."""
    return shlex.split(os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi")


def run_editor(text: str, name: str = "hunk.txt") -> str:
    """Blocking: let the person edit `text` in their editor; what they saved. A failing editor
    raises HunkEditError."""
    with temp_dir("hunk-edit-") as folder:
        target = Path(folder) / Path(name).name
        target.write_text(text, encoding="utf-8", errors="surrogateescape")
        try:
            done = subprocess.run([*editor_command(), str(target)], check=False)
        except OSError as error:
            raise HunkEditError(f"the editor could not start: {error.strerror or error}") from None
        if done.returncode != 0:
            raise HunkEditError(f"the editor exited with status {done.returncode}")
        return target.read_text(encoding="utf-8", errors="surrogateescape")


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


def check_edited(hunk: DiffHunk, edited: Sequence[str]) -> None:
    """Raise HunkEditError unless `edited` can replace `hunk`: as in git, only '+' lines are
    free; every ' ' and '-' line of the original must still be there, in order, unchanged (a
    '-' may become a ' ' to keep that line)."""
    source = [line[1:] for line in hunk.lines if line[:1] in (" ", "-")]
    taken = 0
    for line in edited:
        if line[:1] not in (" ", "-"):
            continue
        content = line[1:]
        if taken >= len(source):
            raise HunkEditError(f"the line {content!r} is not in the original hunk; new lines start with '+'")
        if content != source[taken]:
            raise HunkEditError(
                f"it changes the original line {source[taken]!r} to {content!r}; "
                "only '+' lines may change (add the new text as a '+' line)"
            )
        taken += 1
    if taken < len(source):
        raise HunkEditError(
            f"it drops the original line {source[taken]!r}; "
            "to keep a removed line, turn its '-' into a space instead of deleting it"
        )


def edit_hunk(hunk: DiffHunk, path: str, text: str | None = None) -> tuple[str, ...]:
    """Blocking: the person edits one hunk of `path`, from `text` (an earlier attempt) or the
    hunk itself; the edited lines, checked to apply."""
    start = text if text is not None else "\n".join(hunk.lines) + "\n"
    written = run_editor(start + HELP, f"hunk{Path(path).suffix}.diff")
    kept = "".join(line for line in written.splitlines(keepends=True) if not line.startswith("#"))
    try:
        lines = parse_edited(written)
        check_edited(hunk, lines)
    except HunkEditError as problem:
        raise HunkEditError(str(problem), kept) from None
    return lines


def view_in_editor(lines: tuple[str, ...], path: str) -> None:
    """Blocking: show a hunk whole, long lines unfolded (a copy: edits are ignored)."""
    try:
        run_editor("\n".join(lines) + "\n", f"hunk-{Path(path).name}.diff")
    except HunkEditError:
        pass  # a viewer that fails to start has nothing to lose
