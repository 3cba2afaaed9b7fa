"""The diff layer's small rules, each named: the funcname in a hunk header, the line end an
edited line gets, what an edited hunk may and may not do, what a partial result keeps of the
change, and diffstat's scaling and plurals."""

from __future__ import annotations

import pytest

from hunk.values.diffs import FileVerdict, HunkVerdict
from hunk.workspace.changeset import FileChange
from hunk.workspace.diff import EditedHunkError, apply_verdicts, diffstat, file_diff

FILLER = b"".join(b"    body %d\n" % i for i in range(260))


def _header_section(definition: bytes, changed_line: int) -> str:
    """The section git would print for a change at line index `changed_line` (context 3)."""
    before = definition + FILLER
    lines = before.splitlines(keepends=True)
    lines[changed_line] = b"    changed\n"
    (hunk,) = file_diff(FileChange("m.py", before, b"".join(lines))).hunks
    return hunk.header.partition("@@ ")[2].partition(" @@")[2][1:]


@pytest.mark.parametrize(
    ("definition", "section"),
    [
        (b"def f():\n", "def f():"),
        (b"x = 1\n", "x = 1"),  # a letter, then anything
        (b"_private(a)\n", "_private(a)"),
        (b"$var = 2\n", "$var = 2"),
        (b"def tail():  \r\n", "def tail():  "),  # only the line end goes, not trailing spaces
        (b"def endsWithX\n", "def endsWithX"),
        (b"def " + b"n" * 100 + b"\n", "def " + "n" * 76),  # at most 80 characters
        (b"  indented():\n", ""),  # not a definition
        (b"(paren)\n", ""),
    ],
)
def test_hunk_header_names_the_nearest_definition_above(definition: bytes, section: str) -> None:
    assert _header_section(definition, 20) == section


def test_a_definition_200_lines_above_the_hunk_is_the_farthest_named() -> None:
    # the hunk starts 3 lines above the change; the definition is line 0
    assert _header_section(b"def far():\n", 203) == "def far():"
    assert _header_section(b"def far():\n", 204) == ""


def _edit(before: bytes, after: bytes, edited: tuple[str, ...]) -> FileChange:
    change = FileChange("e.txt", before, after, 0o100644, 0o100644, "edit_file")
    diff = file_diff(change)
    verdict = FileVerdict("e.txt", (HunkVerdict(True, edited=edited),))
    return apply_verdicts(change, diff, verdict)


def test_an_edited_last_line_can_drop_its_final_newline() -> None:
    edited = (" p", " q", " a", "-b", "+typed", "\\ No newline at end of file")
    assert _edit(b"p\nq\na\nb\n", b"p\nq\na\nc\n", edited).after == b"p\nq\na\ntyped"


def test_an_edit_in_a_file_that_is_not_utf8_keeps_its_bytes() -> None:
    before, after = b"caf\xe9\nb\n", b"caf\xe9\nc\n"
    (hunk,) = file_diff(FileChange("e.txt", before, after)).hunks
    edited = (hunk.lines[0], "-b", "+na\udcefve")  # as the person's editor gave it back
    assert _edit(before, after, edited).after == b"caf\xe9\nna\xefve\n"


def test_an_edit_at_a_file_without_final_newline_keeps_every_line() -> None:
    # "\ No newline" after the removed line must not end the hunk: the added line still counts
    edited = (" a", "-b", "\\ No newline at end of file", "+d", "\\ No newline at end of file")
    assert _edit(b"a\nb", b"a\nc", edited).after == b"a\nd"


def test_an_added_line_typed_with_its_own_cr_keeps_exactly_one() -> None:
    before, after = b"a\r\nb\r\nc\r\n", b"a\r\nB\r\nc\r\n"
    result = _edit(before, after, (" a\r", "-b\r", "+x\r", "+y", " c\r"))
    assert result.after == b"a\r\nx\r\ny\r\nc\r\n"


@pytest.mark.parametrize(
    ("crlf", "total", "expected"),
    [(1, 3, b"\n"), (2, 4, b"\n"), (2, 5, b"\n"), (3, 5, b"\r\n"), (0, 2, b"\n")],
)
def test_a_typed_line_gets_the_line_end_of_most_lines(crlf: int, total: int, expected: bytes) -> None:
    lines = [b"crlf %d\r\n" % i for i in range(crlf)] + [b"lf %d\n" % i for i in range(total - crlf)]
    before = b"".join(lines)
    after = before.replace(b"lf 0\n", b"LF 0\n")
    (hunk,) = file_diff(FileChange("e.txt", before, after)).hunks
    edited = tuple(line for line in hunk.lines if line[0] != "+") + ("+typed",)
    result = _edit(before, after, edited).after or b""
    assert result.partition(b"typed")[2].startswith(expected)


@pytest.mark.parametrize(
    ("edited", "message"),
    [
        ((" a", "-b", "+c", "xjunk"), "unexpected line 'xjunk'"),
        ((" a", "-b", "+c", " extra"), "unexpected line ' extra'"),
        ((" A", "-b", "+c"), "changes the line ' A'"),
        ((" a", "+c"), "drops lines it was meant to replace"),
    ],
)
def test_an_edit_that_cannot_apply_says_why(edited: tuple[str, ...], message: str) -> None:
    with pytest.raises(EditedHunkError, match=message):
        _edit(b"a\nb\n", b"a\nc\n", edited)


def test_an_edit_keeps_context_lines_that_end_in_x() -> None:
    assert _edit(b"MAX\nb\n", b"MAX\nc\n", (" MAX", "-b", "+d")).after == b"MAX\nd\n"


def test_an_edited_delete_keeps_the_lines_the_person_kept() -> None:
    deleted = FileChange("e.txt", b"a\nb\nc\n", None)
    verdict = FileVerdict("e.txt", (HunkVerdict(True, edited=("-a", " b", "-c")),))
    assert apply_verdicts(deleted, file_diff(deleted), verdict).after == b"b\n"


def test_a_partial_result_keeps_the_change_it_came_from() -> None:
    before = b"".join(b"l%d\n" % i for i in range(20))
    after = before.replace(b"l1\n", b"one\n").replace(b"l18\n", b"eighteen\n")
    change = FileChange("p.txt", before, after, 0o100755, None, "run_command")
    diff = file_diff(change)
    verdict = FileVerdict("p.txt", (HunkVerdict(True), HunkVerdict(False)))
    result = apply_verdicts(change, diff, verdict)
    assert result == FileChange(
        "p.txt", before, before.replace(b"l1\n", b"one\n"), 0o100755, 0o100755, "run_command"
    )


def test_a_rejected_change_keeps_everything_but_its_content() -> None:
    change = FileChange("r.txt", b"a\n", b"b\n", 0o100644, 0o100755, "write_file")
    rejected = apply_verdicts(change, file_diff(change), FileVerdict("r.txt", (HunkVerdict(False),)))
    assert rejected == FileChange("r.txt", b"a\n", b"a\n", 0o100644, 0o100644, "write_file")


def _stat(*changes: FileChange) -> str:
    return diffstat([file_diff(change) for change in changes])  # git's 40 columns by default


def test_diffstat_of_nothing() -> None:
    assert diffstat([]) == " 0 files changed\n"


def test_diffstat_singular() -> None:
    assert _stat(FileChange("a", b"x\n", b"y\n")) == (
        " a | 2 +-\n 1 file changed, 1 insertion(+), 1 deletion(-)\n"
    )


def test_diffstat_plural() -> None:
    assert _stat(FileChange("a", b"x\ny\n", b"p\nq\n"), FileChange("b", None, b"1\n")) == (
        " a | 4 ++--\n b | 1 +\n 2 files changed, 3 insertions(+), 2 deletions(-)\n"
    )


def test_diffstat_scales_the_graph_to_the_widest_file() -> None:
    lines = _stat(
        FileChange("big", None, b"".join(b"%d\n" % i for i in range(100))),
        FileChange("mixed", b"".join(b"%d\n" % i for i in range(200)), b"a\nb\nc\n0\n"),
        FileChange("tiny", b"x\n", b"x\ny\n"),
        FileChange("one", b"gone\n", b""),
    ).splitlines()
    # the widest file has 3 + 199 changed lines: 40 columns for 202 lines
    assert lines[0] == " big   | 100 " + "+" * 20
    assert lines[1] == " mixed | 202 " + "+" * 1 + "-" * 39
    # a change never rounds to nothing
    assert lines[2:4] == [" tiny  |   1 +", " one   |   1 -"]


def test_diffstat_only_deletions_and_only_additions_have_one_sign() -> None:
    lines = _stat(FileChange("del", b"a\nb\n", None), FileChange("add", None, b"a\n")).splitlines()
    assert lines[:2] == [" del | 2 --", " add | 1 +"]
    assert lines[2] == " 2 files changed, 1 insertion(+), 2 deletions(-)"


def test_a_lone_cr_stays_inside_its_line() -> None:
    (hunk,) = file_diff(FileChange("cr.txt", b"a\rb\nc\n", b"a\rb\nd\n")).hunks
    assert hunk.lines == (" a\rb", "-c", "+d")


@pytest.mark.parametrize(
    ("change", "header", "modes"),
    [
        (FileChange("n", b"a\n", b"b\n"), "diff --git a/n b/n\n--- a/n", (0o100644, 0o100644)),
        (
            FileChange("x", b"a\n", b"b\n", 0o100644, 0o100755),
            "diff --git a/x b/x\nold mode 100644\nnew mode 100755\n--- a/x",
            (0o100644, 0o100755),
        ),
        (
            FileChange("kept", b"a\n", b"b\n", 0o100755, None),
            "diff --git a/kept b/kept\n--- a/kept",
            (0o100755, 0o100755),
        ),
        (
            FileChange("new", None, b"b\n", None, 0o100755),
            "diff --git a/new b/new\nnew file mode 100755\n--- /dev/null",
            (None, 0o100755),
        ),
        (
            FileChange("plain", None, b"b\n"),
            "diff --git a/plain b/plain\nnew file mode 100644\n--- /dev/null",
            (None, 0o100644),
        ),
        (
            FileChange("gone", b"a\n", None, 0o100755, None),
            "diff --git a/gone b/gone\ndeleted file mode 100755\n--- a/gone\n+++ /dev/null",
            (0o100755, None),
        ),
    ],
)
def test_modes_in_the_header_and_on_the_diff(
    change: FileChange, header: str, modes: tuple[int | None, int | None]
) -> None:
    diff = file_diff(change)
    assert diff.text.startswith(header + "\n")
    assert (diff.old_mode, diff.new_mode) == modes


@pytest.mark.parametrize(("before", "after"), [(b"text\n", b"\0bin"), (b"\0bin", b"text\n")])
def test_binary_on_either_side_is_a_binary_diff(before: bytes, after: bytes) -> None:
    diff = file_diff(FileChange("b", before, after))
    assert diff.binary and diff.hunks == ()
    assert "Binary files a/b and b/b differ" in diff.text


@pytest.mark.parametrize("context", [0, 1])
def test_pure_insertions_land_after_the_line_their_header_names(context: int) -> None:
    change = FileChange("i.txt", b"a\nb\nc\nd\ne\n", b"X\na\nb\nY\nc\nd\ne\nZ\n")
    diff = file_diff(change, context=context)
    flags = [True, False, True] if context == 0 else [True] * diff.decision_count
    verdict = FileVerdict("i.txt", tuple(HunkVerdict(flag) for flag in flags))
    expected = b"X\na\nb\nc\nd\ne\nZ\n" if context == 0 else change.after
    assert apply_verdicts(change, diff, verdict).after == expected
