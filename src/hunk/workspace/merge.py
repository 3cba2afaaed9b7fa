"""Carry one change (base → changed) over to another version of the same file. Pure, no I/O.

This is how the agent's delta reaches HEAD's version of a file (for the commit) and the user's
staged version (for the index) without taking the user's own edits along: the user's edits are
base → target, the agent's are base → changed; when the two touch different lines the result is
target plus the agent's edits. When they overlap (or both insert at one place) the two cannot be
separated and `Unseparable` is raised: the caller leaves that file out of the commit.
"""

from __future__ import annotations

from hunk.workspace.diff import opcodes, split_lines
from hunk.workspace.filetypes import is_line_oriented

# One edit in base coordinates: base lines [start, end) become `lines`.
_Edit = tuple[int, int, list[bytes]]


class Unseparable(Exception):
    """The two changes touch the same lines."""


def _edits(base: list[bytes], other: list[bytes]) -> list[_Edit]:
    return [
        (i1, i2, other[j1:j2]) for tag, i1, i2, j1, j2 in opcodes(base, other) if tag != "equal"
    ]


def _clash(a: _Edit, b: _Edit) -> bool:
    a1, a2, _ = a
    b1, b2, _ = b
    if a1 < b2 and b1 < a2:
        return True  # they share base lines
    # An insertion is ambiguous at the edge of (or at the same place as) the other's edit.
    return (a1 == a2 and b1 <= a1 <= b2) or (b1 == b2 and a1 <= b1 <= a2)


def rebase_delta(target: bytes | None, base: bytes | None, changed: bytes | None) -> bytes | None:
    """`target` plus the change base → changed. Raises `Unseparable`."""
    if base == changed:
        return target
    if target == base:
        return changed
    if target == changed:
        return target  # the change is already there
    if None in (target, base, changed) or not all(map(is_line_oriented, (target, base, changed))):
        raise Unseparable
    assert target is not None and base is not None and changed is not None
    base_lines = split_lines(base)
    theirs = _edits(base_lines, split_lines(target))
    ours = _edits(base_lines, split_lines(changed))
    for mine in ours:
        if any(_clash(mine, other) for other in theirs):
            raise Unseparable
    pieces: list[bytes] = []
    position = 0
    for start, end, lines in sorted(theirs + ours, key=lambda edit: (edit[0], edit[1])):
        pieces.extend(base_lines[position:start])
        pieces.extend(lines)
        position = end
    pieces.extend(base_lines[position:])
    return b"".join(pieces)
