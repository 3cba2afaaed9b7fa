"""Grouping hunks by their change signature: the same change groups across files; a change that
differs in any word never does."""

from __future__ import annotations

from hunk.values.diffs import FileDiff
from hunk.values.groups import group_hunks, hunk_group_ids, signature, summary, ungrouped
from hunk.workspace.changeset import FileChange
from hunk.workspace.diff import file_diff


def diff_of(path: str, before: str, after: str) -> FileDiff:
    return file_diff(FileChange(path, before.encode(), after.encode()))


def padded(*lines: str) -> str:
    """Each given line far enough from the next to make a hunk of its own."""
    out = []
    for n, line in enumerate(lines):
        out.append(line + "\n")
        out.extend(f"filler {n}.{k}\n" for k in range(8))
    return "".join(out)


def test_the_same_rename_at_call_sites_in_different_files_is_one_group() -> None:
    a = diff_of("a.py", padded("x = parse_args(argv)", "    y = parse_args([])"), padded("x = parse_argv(argv)", "    y = parse_argv([])"))
    b = diff_of("b.py", padded("return parse_args(sys.argv[1:]) + 1"), padded("return parse_argv(sys.argv[1:]) + 1"))
    groups = group_hunks([a, b])
    assert len(groups) == 1
    group = groups[0]
    assert group.places == ((0, 0), (0, 1), (1, 0))
    assert group.files == (0, 1)
    assert group.describe() == ["parse_args → parse_argv"]
    assert group.headline() == "the same change in 3 places in 2 files"
    assert ungrouped([a, b], groups) == []
    assert hunk_group_ids(a) == hunk_group_ids(b) * 2 == (group.id, group.id)


def test_a_rename_made_twice_in_a_hunk_groups_with_a_rename_made_once() -> None:
    a = diff_of("a.py", padded("parse_args(parse_args(x))"), padded("parse_argv(parse_argv(x))"))
    b = diff_of("b.py", padded("parse_args(y)"), padded("parse_argv(y)"))
    assert [g.places for g in group_hunks([a, b])] == [((0, 0), (1, 0))]


def test_near_identical_but_different_hunks_are_never_grouped() -> None:
    base = padded("value = parse_args(argv)")
    pairs = [
        ("value = parse_argv(argv)", "value = parse_argv2(argv)"),  # another new name
        ("value = parse_argv(argv)", "value = parse_argv(argv, strict=True)"),  # the rename and more
        ("value = parse_argv(argv)", "value = Parse_argv(argv)"),  # case
        ("value = parse_argv(argv)", "value = parse_argv (argv)"),  # whitespace
        ("value = parse_args(argv, 1)", "value = parse_args(argv, 2)"),  # another inserted value
    ]
    for one, other in pairs:
        a = diff_of("a.py", base, padded(one))
        b = diff_of("b.py", base, padded(other))
        assert group_hunks([a, b]) == (), (one, other)
        assert signature(a.hunks[0]) != signature(b.hunks[0])
        assert hunk_group_ids(a) != hunk_group_ids(b)


def test_an_inserted_line_groups_only_with_the_identical_line_not_one_with_other_local_names() -> None:
    before = padded("def f():", "def g():")
    same = diff_of("a.py", before, padded("def f():\n    log = get_logger(a)", "def g():\n    log = get_logger(a)"))
    other_names = diff_of("b.py", before, padded("def f():\n    out = get_logger(b)", "def g():\n    res = get_logger(c)"))
    groups = group_hunks([same, other_names])
    assert [g.places for g in groups] == [((0, 0), (0, 1))]
    assert groups[0].describe() == ["+     log = get_logger(a)⏎"]
    assert ungrouped([same, other_names], groups) == [(1, 0), (1, 1)]


def test_an_added_final_newline_is_a_change_of_its_own() -> None:
    a = diff_of("a.txt", "old", "new\n")
    b = diff_of("b.txt", "old", "new")
    c = diff_of("c.txt", "old", "new")
    groups = group_hunks([a, b, c])
    assert [g.places for g in groups] == [((1, 0), (2, 0))]


def test_whole_file_changes_never_group_and_take_one_slot() -> None:
    png = file_diff(FileChange("a.png", b"\x89PNG\x00\x01", b"\x89PNG\x00\x02"))
    png2 = file_diff(FileChange("b.png", b"\x89PNG\x00\x01", b"\x89PNG\x00\x02"))
    assert group_hunks([png, png2]) == ()
    assert ungrouped([png, png2], ()) == [(0, 0), (1, 0)]


def test_the_summary_counts_files_hunks_groups_and_what_is_undecided() -> None:
    a = diff_of("a.py", padded("parse_args(1)", "parse_args(2)", "keep"), padded("parse_argv(1)", "parse_argv(2)", "kept"))
    groups = group_hunks([a])
    assert summary([a], groups, 3) == "1 file · 3 hunks · 1 group (2 hunks) · 3 undecided"
    assert summary([a], (), 0) == "1 file · 3 hunks · 0 undecided"
