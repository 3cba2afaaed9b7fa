"""Carry one change (base → changed) over to another version of the same file. Pure, no I/O.

This is how the agent's delta reaches HEAD's version of a file (for the commit) and the user's
staged version (for the index) without taking the user's own edits along: the user's edits are
base → target, the agent's are base → changed; when the two touch different lines the result is
target plus the agent's edits. When they overlap (or both insert at one place) the two cannot be
separated and `Unseparable` is raised: the caller leaves that file out of the commit.

The rules, each pinned by name in tests/workspace/test_merge_rules.py:
- edits that share a base line clash; edits that only touch (one ends where the other starts)
  do not, unless one of them is an insertion: an insertion at the edge of the other's edit, or
  both inserting at one place, could go on either side, so it clashes;
- an insertion of lines equal to its neighbours could equally sit a few lines up or down (the
  diff picked one place arbitrarily); it clashes wherever it could sit;
- a change already present in the target (target == changed) is the target;
- binary or wide (UTF-16/32) text and a side that deletes the file are decided whole.
"""

from __future__ import annotations

from collections.abc import Sequence

from hunk.workspace.diff import opcodes, split_lines
from hunk.workspace.filetypes import is_line_oriented

# One edit in base coordinates: base lines [start, end) become `lines`.
_Edit = tuple[int, int, list[bytes]]
# Where an edit could sit: base lines [low, high), and whether it is an insertion.
_Reach = tuple[int, int, bool]


class Unseparable(Exception):
    """The two changes touch the same lines."""


def _edits(base: list[bytes], other: list[bytes]) -> list[_Edit]:
    return [
        (i1, i2, other[j1:j2]) for tag, i1, i2, j1, j2 in opcodes(base, other) if tag != "equal"
    ]


def _reach(base: Sequence[bytes], edit: _Edit) -> _Reach:
    """An insertion of L at p reads the same as L rotated by one inserted at p ± 1 when the base
    line it passes over equals the line rotated out: it may sit anywhere in [low, high]."""
    start, end, lines = edit
    if start != end:
        return start, end, False
    low = start
    while low > 0 and base[low - 1] == lines[(low - 1 - start) % len(lines)]:
        low -= 1
    high = start
    while high < len(base) and base[high] == lines[(high - start) % len(lines)]:
        high += 1
    return low, high, True


def _clash(a: _Reach, b: _Reach) -> bool:
    a1, a2, a_inserts = a
    b1, b2, b_inserts = b
    if a_inserts or b_inserts:
        return a1 <= b2 and b1 <= a2  # an insertion at the edge of (or inside) the other's reach
    return a1 < b2 and b1 < a2  # they share base lines


def rebase_delta(target: bytes | None, base: bytes | None, changed: bytes | None) -> bytes | None:
    """`target` plus the change base → changed. Raises `Unseparable`."""
    if base == changed:
        return target
    if target == base:
        return changed
    if target == changed:
        return target  # the change is already there
    if target is None or base is None or changed is None:
        raise Unseparable  # one side deletes the file, or never had it: decided whole
    if not all(map(is_line_oriented, (target, base, changed))):
        raise Unseparable
    base_lines = split_lines(base)
    theirs = _edits(base_lines, split_lines(target))
    ours = _edits(base_lines, split_lines(changed))
    their_reach = [_reach(base_lines, edit) for edit in theirs]
    for mine in ours:
        if any(_clash(_reach(base_lines, mine), other) for other in their_reach):
            raise Unseparable
    merged = list(base_lines)
    for start, end, lines in sorted(theirs + ours, reverse=True):  # from the end: no shifting
        merged[start:end] = lines
    return b"".join(merged)
