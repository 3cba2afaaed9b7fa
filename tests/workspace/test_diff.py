"""Table tests of the pure diff layer: unified text, hunks, partial application, diffstat."""

from __future__ import annotations

import pytest
from unidiff import PatchSet

from hunk.values.diffs import FileVerdict, HunkVerdict
from hunk.workspace.changeset import FileChange
from hunk.workspace.diff import EditedHunkError, apply_verdicts, diffstat, file_diff

TWO_HUNKS_BEFORE = b"".join(b"line %d\n" % i for i in range(1, 21))
TWO_HUNKS_AFTER = TWO_HUNKS_BEFORE.replace(b"line 2\n", b"line two\n").replace(
    b"line 18\n", b"line eighteen\nextra\n"
)


def verdicts(path: str, *accepted: bool) -> FileVerdict:
    return FileVerdict(path, tuple(HunkVerdict(a) for a in accepted))


def apply(change: FileChange, *accepted: bool) -> FileChange:
    return apply_verdicts(change, file_diff(change), verdicts(change.path, *accepted))


def test_modified_file_has_git_headers_and_two_hunks() -> None:
    diff = file_diff(FileChange("a.txt", TWO_HUNKS_BEFORE, TWO_HUNKS_AFTER, 0o100644, 0o100644))
    assert diff.text.startswith(
        "diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -1,5 +1,5 @@"
    )
    assert [h.header.split(" @@")[0] for h in diff.hunks] == ["@@ -1,5 +1,5", "@@ -15,6 +15,7"]
    assert (diff.added, diff.removed, diff.status) == (3, 2, "modified")
    assert diff.hunks[0].lines == (
        " line 1",
        "-line 2",
        "+line two",
        " line 3",
        " line 4",
        " line 5",
    )


def test_hunk_header_names_the_enclosing_definition() -> None:
    before = b"def main():\n" + b"".join(b"    x = %d\n" % i for i in range(10))
    after = before.replace(b"x = 8", b"x = 80")
    (hunk,) = file_diff(FileChange("m.py", before, after)).hunks
    assert hunk.header.endswith("@@ def main():")


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        (True, True, TWO_HUNKS_AFTER),
        (False, False, TWO_HUNKS_BEFORE),
        (True, False, TWO_HUNKS_BEFORE.replace(b"line 2\n", b"line two\n")),
        (False, True, TWO_HUNKS_BEFORE.replace(b"line 18\n", b"line eighteen\nextra\n")),
    ],
)
def test_only_accepted_hunks_reach_the_result(first: bool, second: bool, expected: bytes) -> None:
    change = FileChange("a.txt", TWO_HUNKS_BEFORE, TWO_HUNKS_AFTER, 0o100644, 0o100644)
    assert apply(change, first, second).after == expected


def test_crlf_lines_survive_partial_acceptance_byte_for_byte() -> None:
    before = TWO_HUNKS_BEFORE.replace(b"\n", b"\r\n")
    after = TWO_HUNKS_AFTER.replace(b"\n", b"\r\n")
    change = FileChange("w.txt", before, after)
    diff = file_diff(change)
    assert diff.hunks[0].lines[1] == "-line 2\r"
    result = apply(change, False, True)
    assert result.after == before.replace(b"line 18\r\n", b"line eighteen\r\nextra\r\n")


def test_missing_final_newline_is_marked_and_kept() -> None:
    change = FileChange("n.txt", b"a\nb", b"a\nc")
    diff = file_diff(change)
    assert diff.hunks[0].lines == (
        " a",
        "-b",
        "\\ No newline at end of file",
        "+c",
        "\\ No newline at end of file",
    )
    assert apply(change, True).after == b"a\nc"
    assert apply(change, False).after == b"a\nb"


def test_adding_a_final_newline_is_one_hunk() -> None:
    change = FileChange("n.txt", b"a\nb", b"a\nb\n")
    assert file_diff(change).hunks[0].lines == (" a", "-b", "\\ No newline at end of file", "+b")
    assert apply(change, True).after == b"a\nb\n"


def test_non_utf8_bytes_round_trip_through_the_diff_text() -> None:
    before = "caf\u00e9\n".encode("latin-1") + b"\xff\xfe end\n"
    after = before + b"\x80 more\n"
    diff = file_diff(FileChange("l.txt", before, after))
    assert diff.hunks[0].lines[-1].encode("utf-8", "surrogateescape") == b"+\x80 more"
    assert apply(FileChange("l.txt", before, after), True).after == after


def test_rejected_add_leaves_no_file() -> None:
    change = FileChange("new.txt", None, b"x\ny\n", None, 0o100644)
    diff = file_diff(change)
    assert (
        diff.status == "added"
        and "new file mode 100644" in diff.text
        and "--- /dev/null" in diff.text
    )
    rejected = apply(change, False)
    assert (rejected.after, rejected.after_mode) == (None, None)
    assert apply(change, True) == change


def test_rejected_delete_restores_the_file() -> None:
    change = FileChange("old.txt", b"x\ny", None, 0o100755, None)
    diff = file_diff(change)
    assert (
        diff.status == "deleted"
        and "deleted file mode 100755" in diff.text
        and "+++ /dev/null" in diff.text
    )
    rejected = apply(change, False)
    assert (rejected.after, rejected.after_mode) == (b"x\ny", 0o100755)
    assert apply(change, True).after is None


def test_empty_file_added_is_one_whole_file_decision() -> None:
    change = FileChange("empty", None, b"", None, 0o100644)
    diff = file_diff(change)
    assert diff.hunks == () and diff.decision_count == 1
    assert apply(change, True).after == b""
    assert apply(change, False).after is None


def test_filling_an_empty_file() -> None:
    change = FileChange("e.txt", b"", b"one\n")
    (hunk,) = file_diff(change).hunks
    assert hunk.header == "@@ -0,0 +1 @@"
    assert apply(change, False).after == b""
    assert apply(change, True).after == b"one\n"


def test_binary_file_is_decided_whole() -> None:
    change = FileChange("img.png", b"\x89PNG\0\0\x01", b"\x89PNG\0\0\x02")
    diff = file_diff(change)
    assert (
        diff.binary
        and diff.hunks == ()
        and "Binary files a/img.png and b/img.png differ" in diff.text
    )
    assert apply(change, True).after == b"\x89PNG\0\0\x02"
    assert apply(change, False).after == b"\x89PNG\0\0\x01"


def test_pure_mode_change_is_decided_whole() -> None:
    change = FileChange("run.sh", b"echo\n", b"echo\n", 0o100644, 0o100755)
    diff = file_diff(change)
    assert diff.status == "mode" and diff.hunks == ()
    assert "old mode 100644\nnew mode 100755" in diff.text
    assert apply(change, True).after_mode == 0o100755
    assert apply(change, False).after_mode == 0o100644


def test_mode_change_goes_with_any_accepted_hunk() -> None:
    change = FileChange("run.sh", TWO_HUNKS_BEFORE, TWO_HUNKS_AFTER, 0o100644, 0o100755)
    assert apply(change, True, False).after_mode == 0o100755
    assert apply(change, False, False).after_mode == 0o100644


def test_symlink_change_is_decided_whole() -> None:
    change = FileChange("link", b"target-a", b"target-b", 0o120000, 0o120000)
    diff = file_diff(change)
    assert diff.hunks == () and diff.decision_count == 1 and "-target-a" in diff.text
    assert apply(change, False).after == b"target-a"


def test_edited_hunk_replaces_its_target_lines() -> None:
    change = FileChange("a.txt", TWO_HUNKS_BEFORE, TWO_HUNKS_AFTER)
    diff = file_diff(change)
    edited = (
        " line 1",
        "-line 2",
        "+line 2 (edited)",
        "+and one more",
        " line 3",
        " line 4",
        " line 5",
    )
    verdict = FileVerdict("a.txt", (HunkVerdict(True, edited=edited), HunkVerdict(False)))
    result = apply_verdicts(change, diff, verdict)
    assert result.after == TWO_HUNKS_BEFORE.replace(b"line 2\n", b"line 2 (edited)\nand one more\n")


def test_edited_hunk_in_a_crlf_file_gets_crlf_line_ends() -> None:
    before, after = b"a\r\nb\r\n", b"a\r\nc\r\n"
    change = FileChange("w.txt", before, after)
    verdict = FileVerdict("w.txt", (HunkVerdict(True, edited=(" a\r", "-b\r", "+typed")),))
    assert apply_verdicts(change, file_diff(change), verdict).after == b"a\r\ntyped\r\n"


def test_edited_hunk_that_changes_context_is_refused() -> None:
    change = FileChange("a.txt", b"a\nb\n", b"a\nc\n")
    verdict = FileVerdict("a.txt", (HunkVerdict(True, edited=(" A", "-b", "+c")),))
    with pytest.raises(EditedHunkError):
        apply_verdicts(change, file_diff(change), verdict)


def test_wrong_number_of_verdicts_is_an_error() -> None:
    change = FileChange("a.txt", TWO_HUNKS_BEFORE, TWO_HUNKS_AFTER)
    with pytest.raises(ValueError, match="1 verdicts for 2 decisions"):
        apply_verdicts(change, file_diff(change), verdicts("a.txt", True))


@pytest.mark.parametrize(
    "change",
    [
        FileChange("a.txt", TWO_HUNKS_BEFORE, TWO_HUNKS_AFTER),
        FileChange("w.txt", b"x\r\ny\r\n", b"x\r\nz\r\n"),
        FileChange("n.txt", b"a\nb", b"a\nc"),
        FileChange("new.txt", None, b"1\n2\n"),
        FileChange("old.txt", b"1\n2\n", None),
    ],
)
def test_unidiff_reads_our_text_as_the_same_hunks(change: FileChange) -> None:
    diff = file_diff(change)
    (patched,) = PatchSet(diff.text)
    assert [
        (h.source_start, h.source_length, h.target_start, h.target_length) for h in patched
    ] == [(h.source_start, h.source_length, h.target_start, h.target_length) for h in diff.hunks]
    assert [[line.line_type + line.value.rstrip("\n") for line in h] for h in patched] == [
        list(h.lines) for h in diff.hunks
    ]


def test_diffstat_lists_files_and_totals() -> None:
    diffs = [
        file_diff(FileChange("src/a.py", TWO_HUNKS_BEFORE, TWO_HUNKS_AFTER)),
        file_diff(FileChange("img.bin", b"\0", b"\0\1")),
        file_diff(FileChange("new.txt", None, b"1\n")),
    ]
    assert diffstat(diffs) == (
        " src/a.py | 5 +++--\n"
        " img.bin  | Bin\n"
        " new.txt  | 1 +\n"
        " 3 files changed, 4 insertions(+), 2 deletions(-)\n"
    )


def test_large_file_with_many_repeated_lines_round_trips() -> None:
    # Above 2,000 lines difflib may skip very common lines as anchors; hunks must stay exact.
    lines = [b"" if i % 3 == 0 else b"    }" if i % 3 == 1 else b"x%d = 1" % i for i in range(3000)]
    changed = list(lines)
    for i in range(5, 3000, 37):
        changed[i] = b"changed %d" % i
    before, after = b"\n".join(lines) + b"\n", b"\n".join(changed) + b"\n"
    change = FileChange("big.py", before, after)
    diff = file_diff(change)
    flags = [i % 2 == 0 for i in range(len(diff.hunks))]
    half = apply_verdicts(change, diff, verdicts("big.py", *flags)).after or b""
    rest = FileChange("big.py", half, after)
    assert apply(rest, *([True] * file_diff(rest).decision_count)).after == after
    assert apply(change, *([False] * diff.decision_count)).after == before
