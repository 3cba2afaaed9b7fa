"""A hunk the person edited (`git add -p`'s "e"): read it back from the editor's text and check
that it can apply, before anyone relies on it.

Both front ends use these two functions, so an edit is judged the same way in the TUI and in
`hunk run`'s terminal review. The rule is git's: only '+' lines are free; every ' ' and '-' line
of the original hunk must still be there, in order, unchanged (a '-' may become a ' ' to keep
that line). `check_edited` works on the hunk's text; `diff.apply_verdicts` applies the same rule
to the bytes.
"""

from __future__ import annotations

from collections.abc import Sequence

from hunk.values.diffs import DiffHunk

_PREFIXES = (" ", "+", "-", "\\")


class EditedHunkError(ValueError):
    """An edited hunk cannot apply; the message says why, in words for the person."""


def parse_edited_hunk(text: str) -> tuple[str, ...]:
    """The hunk lines of the editor's text: '#' lines dropped, trailing blank lines dropped, an
    empty line read as an empty context line (editors strip the lone space)."""
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    while lines and lines[-1] == "":
        lines.pop()
    for line in lines:
        if line and line[:1] not in _PREFIXES:
            raise EditedHunkError(f"the line {line!r} does not start with ' ', '+' or '-'")
    return tuple(line if line else " " for line in lines)


def check_edited(hunk: DiffHunk, edited: Sequence[str]) -> None:
    """Raise `EditedHunkError` unless `edited` can replace `hunk`."""
    source = [line[1:] for line in hunk.lines if line[:1] in (" ", "-")]
    taken = 0
    for line in edited:
        prefix, content = line[:1], line[1:]
        if prefix in ("+", "\\"):
            continue
        if prefix not in (" ", "-"):
            raise EditedHunkError(f"the line {line!r} does not start with ' ', '+' or '-'")
        if taken >= len(source):
            raise EditedHunkError(f"the line {content!r} is not in the original hunk; new lines start with '+'")
        if content != source[taken]:
            raise EditedHunkError(
                f"it changes the original line {source[taken]!r} to {content!r}; "
                "only '+' lines may change (add the new text as a '+' line)"
            )
        taken += 1
    if taken < len(source):
        raise EditedHunkError(
            f"it drops the original line {source[taken]!r}; "
            "to keep a removed line, turn its '-' into a space instead of deleting it"
        )
    if not any(line[:1] in ("+", "-") for line in edited):
        raise EditedHunkError("the edited hunk changes nothing; reject the hunk instead")
