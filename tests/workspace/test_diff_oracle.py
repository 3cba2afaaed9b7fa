"""The diff layer held against two independent readers of the same text.

- `git apply` is the oracle for the unified text: applied to the old content, our diff must give
  the new content byte for byte (CRLF, a missing final newline, added and deleted files).
- Every hunk's ranges must point at its own lines: the context and removed lines sit at
  `source_start` in the old content, the context and added lines at `target_start` in the new.
- unidiff reads the text back, and the content rebuilt from its hunks with a random subset
  accepted is what `apply_verdicts` gives for the same verdicts.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from unidiff import PatchSet

from hunk.values.diffs import FileVerdict, HunkVerdict
from hunk.workspace.changeset import FileChange
from hunk.workspace.diff import apply_verdicts, file_diff, split_lines

# A small alphabet, so that edits land next to each other and repeated lines make the diff
# ambiguous; the funcname candidates (a letter, "_", "$") and a CRLF line are among them.
LINES = [b"a\n", b"b\n", b"c\n", b"def f():\n", b"\n", b"_x\n", b"$y\n", b"  z\n", b"w\r\n"]


@st.composite
def contents(draw: st.DrawFn) -> bytes:
    body = b"".join(draw(st.lists(st.sampled_from(LINES), max_size=14)))
    if body and draw(st.booleans()):
        body = body[:-1]  # no final newline
    return body


@st.composite
def changes(draw: st.DrawFn) -> FileChange:
    before = draw(contents())
    after = draw(st.one_of(contents(), _edited(before)))
    kind = draw(st.sampled_from(["modified", "modified", "modified", "added", "deleted"]))
    if kind == "added":
        return FileChange("f.txt", None, after or b"x\n")
    if kind == "deleted":
        return FileChange("f.txt", before or b"x\n", None)
    return FileChange("f.txt", before, after)


def _edited(before: bytes) -> st.SearchStrategy[bytes]:
    """`before` with a few lines replaced, inserted or removed: hunks close to each other."""

    @st.composite
    def edit(draw: st.DrawFn) -> bytes:
        lines = split_lines(before)
        for _ in range(draw(st.integers(1, 4))):
            at = draw(st.integers(0, len(lines)))
            what = draw(st.sampled_from(["insert", "replace", "delete"]))
            if what == "insert" or at == len(lines):
                lines.insert(at, draw(st.sampled_from(LINES)))
            elif what == "replace":
                lines[at] = draw(st.sampled_from(LINES))
            else:
                del lines[at]
        return b"".join(lines)

    return edit()


def _git_apply(tmp: Path, change: FileChange, text: str) -> bytes | None:
    target = tmp / change.path
    if target.exists():
        target.unlink()
    if change.before is not None:
        target.write_bytes(change.before)
    (tmp / "change.patch").write_bytes(text.encode("utf-8", "surrogateescape"))
    command = ["git", "apply", "--whitespace=nowarn", "change.patch"]
    done = subprocess.run(command, cwd=tmp, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr + text
    return target.read_bytes() if target.exists() else None


FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# Not context 0: `git apply --unidiff-zero` turns a deleted last line without newline into the
# wrong bytes (b"a\na\na" -> b"a\na\n" applies as b"a\na"), though `git diff -U0` prints the
# same text as we do. The two other tests below cover context 0.
@FAST
@given(change=changes(), context=st.sampled_from([1, 3]))
def test_git_apply_of_our_text_gives_the_new_content(
    tmp_path_factory, change: FileChange, context: int
) -> None:
    diff = file_diff(change, context=context)
    if change.before == change.after:
        assert diff.hunks == ()
        return
    tmp = tmp_path_factory.mktemp("apply")
    assert _git_apply(tmp, change, diff.text) == change.after


@FAST
@given(change=changes(), context=st.sampled_from([0, 1, 3]))
def test_each_hunk_points_at_its_own_lines(change: FileChange, context: int) -> None:
    old = split_lines(change.before or b"")
    new = split_lines(change.after or b"")
    hunks = file_diff(change, context=context).hunks
    assert [hunk.index for hunk in hunks] == list(range(len(hunks)))
    for hunk in hunks:
        source = [line[1:] for line in hunk.lines if line[:1] in (" ", "-")]
        target = [line[1:] for line in hunk.lines if line[:1] in (" ", "+")]
        assert (len(source), len(target)) == (hunk.source_length, hunk.target_length)
        first = hunk.source_start - 1 if hunk.source_length else hunk.source_start
        at = hunk.target_start - 1 if hunk.target_length else hunk.target_start
        assert _texts(old[first : first + len(source)]) == source
        assert _texts(new[at : at + len(target)]) == target


def _texts(lines: list[bytes]) -> list[str]:
    return [line.removesuffix(b"\n").decode("utf-8", "surrogateescape") for line in lines]


@FAST
@given(
    change=changes(),
    flags=st.lists(st.booleans(), min_size=8, max_size=8),
    context=st.sampled_from([0, 1, 3]),
)
def test_a_subset_accepted_is_what_unidiff_rebuilds(
    change: FileChange, flags: list[bool], context: int
) -> None:
    diff = file_diff(change, context=context)
    if not diff.hunks:
        return
    accepted = flags[: len(diff.hunks)] + [True] * max(0, len(diff.hunks) - len(flags))
    verdict = FileVerdict("f.txt", tuple(HunkVerdict(a) for a in accepted))
    result = apply_verdicts(change, diff, verdict)
    assert result.after == _rebuilt(change, diff.text, accepted)
    assert result.before == change.before


def _rebuilt(change: FileChange, text: str, accepted: list[bool]) -> bytes | None:
    """The old content with the accepted hunks of `text` applied, read by unidiff."""
    if not any(accepted):
        return change.before
    if all(accepted) and change.after is None:
        return None
    old = split_lines(change.before or b"")
    (patched,) = PatchSet(text.encode("utf-8", "surrogateescape"), encoding="utf-8")
    out: list[bytes] = []
    position = 0
    for hunk, take in zip(patched, accepted, strict=True):
        start = hunk.source_start - 1 if hunk.source_length else hunk.source_start
        out += old[position:start]
        kept = ("+", " ") if take else ("-", " ")
        last_kept = False
        for line in hunk:
            if line.line_type == "\\":  # "no newline" belongs to the line just above it
                if last_kept:
                    out[-1] = out[-1].removesuffix(b"\n")
                continue
            last_kept = line.line_type in kept
            if last_kept:
                out.append(line.value.encode("utf-8", "surrogateescape"))
        position = start + hunk.source_length
    out += old[position:]
    return b"".join(out)
