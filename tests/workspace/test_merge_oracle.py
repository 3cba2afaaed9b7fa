"""`rebase_delta` held against `git merge-file`, an independent answer to the same question: can
the change base → changed be carried over to target without the edits base → target?

Small files, edits weighted toward adjacency (touching edits, insertions at the edges of the
other's edit, both sides inserting at one place, edits at the first and last line, empty files,
no final newline). git's own diff (`git diff -U0`) says where each side's edits are, so every
expectation here comes from git, not from hunk's difflib.

Where git merges cleanly, hunk gives git's bytes or refuses; where git conflicts, hunk refuses.
The deliberate differences, each checked below:

| case                                        | git            | hunk    | why                   |
|---------------------------------------------|----------------|---------|-----------------------|
| both sides make one identical edit          | keeps one copy | refuses | the agent rewrites    |
|                                             |                |         | lines the person did  |
| edits touch, share no line, and neither is  | conflict       | merges  | each base line has    |
| an insertion at the other's edge            |                |         | one owner; checked:   |
|                                             |                |         | both of git's edits   |
|                                             |                |         | applied               |
| repeated lines: an insertion could equally  | picks a place  | refuses | the result would      |
| sit at the other's edit (rules table)       |                |         | depend on the pick    |

With repeated lines the two diffs may also place an edit at different but equal-looking places,
so the second property checks what holds whatever the placement: the merged file holds exactly
the lines of target plus those of the agent's change, and so does taking the change back out.
(Taking it back out may refuse, as edits that touch one way can clash the other way round, or
read a change like "insert b at the top, delete the last b" the other way: "delete the first a,
append a"; both readings hold the same lines.)
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from hunk.workspace.merge import Unseparable, rebase_delta

ORACLE_EXAMPLES = 1000
REPEATED_EXAMPLES = 500

Edit = tuple[int, int, tuple[bytes, ...]]  # base lines [start, end) become the lines
_HUNK_HEADER = re.compile(rb"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@", re.MULTILINE)
_GIT = ["git", "-c", "core.autocrlf=false", "-c", "diff.algorithm=myers"]


def lines_of(data: bytes) -> list[bytes]:
    parts = data.split(b"\n")
    return [part + b"\n" for part in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


class Git:
    """git merge-file and git diff on three scratch files."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _files(self, **contents: bytes) -> list[str]:
        for name, data in contents.items():
            (self.folder / name).write_bytes(data)
        return [str(self.folder / name) for name in contents]

    def merge(self, target: bytes, base: bytes, changed: bytes) -> bytes | None:
        """The clean merge, or None on a conflict."""
        files = self._files(target=target, base=base, changed=changed)
        done = subprocess.run([*_GIT, "merge-file", "-p", *files], capture_output=True)
        assert done.returncode >= 0, done.stderr
        return done.stdout if done.returncode == 0 else None

    def edits(self, old: bytes, new: bytes) -> list[Edit]:
        files = self._files(old=old, new=new)
        done = subprocess.run(
            [*_GIT, "diff", "--no-index", "--no-color", "--no-ext-diff", "-U0", *files],
            capture_output=True,
        )
        assert done.returncode in (0, 1), done.stderr
        new_lines, out = lines_of(new), []
        for match in _HUNK_HEADER.finditer(done.stdout):
            start, length = int(match[1]), int(match[2] or b"1")
            first, count = int(match[3]), int(match[4] or b"1")
            i1 = start - 1 if length else start
            j1 = first - 1 if count else first
            out.append((i1, i1 + length, tuple(new_lines[j1 : j1 + count])))
        return out


def shares_a_line(a: Edit, b: Edit) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def ambiguous(a: Edit, b: Edit) -> bool:
    """An insertion at the edge of (or at the same place as) the other's edit."""
    return (a[0] == a[1] and b[0] <= a[0] <= b[1]) or (b[0] == b[1] and a[0] <= b[0] <= a[1])


def both_applied(base: bytes, edits: list[Edit]) -> bytes:
    lines, out, position = lines_of(base), [], 0
    for start, end, new in sorted(edits):
        out += lines[position:start] + list(new)
        position = end
    return b"".join(out + lines[position:])


def carry(target: bytes, base: bytes, changed: bytes) -> bytes | None:
    try:
        return rebase_delta(target, base, changed)
    except Unseparable:
        return None


# --- the examples -------------------------------------------------------------------------------

REPEATED_LINE = st.sampled_from([b"a\n", b"b\n", b"\n", b"}\n"])


@st.composite
def side_edits(
    draw: st.DrawFn, size: int, near: list[int], fresh: str, repeated: bool
) -> list[Edit]:
    """Up to two edits of a file of `size` lines, starting mostly at the `near` positions. New
    lines are unique to the side (`fresh`), or with `repeated` may equal any base line."""
    anchors = sorted({p for p in near if 0 <= p <= size} | {0, size})
    edits: list[Edit] = []
    for number in range(draw(st.integers(0, 2))):
        start = draw(st.sampled_from(anchors) | st.integers(0, size))
        length = draw(st.integers(0, min(2, size - start)))
        count = draw(st.integers(0 if length else 1, 2))
        new = tuple(
            draw(REPEATED_LINE) if repeated and draw(st.booleans()) else b"%s%d.%d\n" % (
                fresh.encode(), number, k)
            for k in range(count)
        )
        if edits and start <= edits[-1][1]:
            continue
        edits.append((start, start + length, new))
    return edits


def apply(lines: list[bytes], edits: list[Edit]) -> list[bytes]:
    out, position = [], 0
    for start, end, new in edits:
        out += lines[position:start] + list(new)
        position = end
    return out + lines[position:]


def join(lines: list[bytes], final_newline: bool) -> bytes:
    data = b"".join(lines)
    return data if final_newline or not data else data[:-1]


@st.composite
def three_versions(draw: st.DrawFn, repeated: bool) -> tuple[bytes, bytes, bytes]:
    """(target, base, changed): one side's edits drawn freely, the other's near them."""
    size = draw(st.integers(0, 6))
    if repeated:
        base = draw(st.lists(REPEATED_LINE, min_size=size, max_size=size))
    else:
        base = [b"line %d\n" % i for i in range(size)]
    first = draw(side_edits(size, [], "u", repeated))
    edges = [p for start, end, _ in first for p in (start - 1, start, end, end + 1)]
    second = draw(side_edits(size, edges, "g", repeated))
    if first and draw(st.integers(0, 5)) == 0:
        second = sorted(set(second) | {first[0]})  # one edit made on both sides
        second = [e for i, e in enumerate(second) if not i or e[0] > second[i - 1][1]]
    if draw(st.booleans()):
        first, second = second, first
    newlines = draw(
        st.sampled_from([(True, True, True)] * 6 + [(False, False, False)])
        | st.tuples(st.booleans(), st.booleans(), st.booleans())
    )
    target = join(apply(base, first), newlines[0])
    changed = join(apply(base, second), newlines[2])
    return target, join(base, newlines[1]), changed


@settings(
    max_examples=ORACLE_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(three_versions(repeated=False))
def test_carrying_a_change_over_agrees_with_git_merge_file(
    versions: tuple[bytes, bytes, bytes],
) -> None:
    target, base, changed = versions
    with tempfile.TemporaryDirectory() as folder:
        git = Git(Path(folder))
        merged = git.merge(target, base, changed)
        theirs, ours = git.edits(base, target), git.edits(base, changed)
    ours_result = carry(target, base, changed)
    if merged is not None and ours_result is not None:
        event("both merge")
        assert ours_result == merged
    elif merged is not None:
        event("git merges, hunk refuses: one edit made on both sides")
        assert any(edit in theirs for edit in ours), (theirs, ours)
    elif ours_result is not None:
        event("git conflicts, hunk merges: edits touch")
        pairs = [(a, b) for a in theirs for b in ours]
        assert not any(shares_a_line(a, b) or ambiguous(a, b) for a, b in pairs), pairs
        assert ours_result == both_applied(base, theirs + ours)
    else:
        event("both refuse")


@settings(
    max_examples=REPEATED_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(three_versions(repeated=True))
@example((b"a\na\nb\n", b"a\nb\na\nb\n", b"b\na\nb\na\n"))  # a change read two ways
def test_with_repeated_lines_the_merge_holds_both_changes_and_undoes(
    versions: tuple[bytes, bytes, bytes],
) -> None:
    target, base, changed = versions
    with tempfile.TemporaryDirectory() as folder:
        merged = Git(Path(folder)).merge(target, base, changed)
    result = carry(target, base, changed)
    if result is None:
        event("hunk refuses" + (", git merges" if merged is not None else ""))
        return
    event("same bytes as git" if result == merged else "git conflicts or places a line elsewhere")
    if target == changed:
        assert result == target  # the change is already there
        return
    assert same_lines(result, plus=changed, minus=base, of=target)
    undone = carry(result, changed, base)  # taking the agent's change back out again
    event("undo refuses" if undone is None else "undo gives the target back" if undone == target
          else "undo reads the change another way")
    assert undone is None or same_lines(undone, plus=base, minus=changed, of=result)


def same_lines(result: bytes, plus: bytes, minus: bytes, of: bytes) -> bool:
    """`result` holds the lines of `of`, plus those of `plus`, less those of `minus`."""
    counts = Counter(lines_of(result))
    counts.subtract(Counter(lines_of(of)))
    counts.subtract(Counter(lines_of(plus)))
    counts.update(Counter(lines_of(minus)))
    return not +counts and not -counts
