"""ReviewState: the verdict rules, without a terminal."""

from __future__ import annotations

import pytest

from hunk.agent.approval import ChangeReview
from hunk.values.diffs import FileVerdict, HunkVerdict
from hunk.tui.decisions import ReviewState
from hunk.workspace.edits import HunkEditError, parse_edited
from hunk.values.diff_text import split_rows
from hunk.values.diffs import FileDiff
from tests.tui.fakes import two_file_review


def test_undecided_hunks_become_rejections_when_finishing() -> None:
    state = ReviewState(two_file_review())
    state.decide(True)
    assert state.undecided() == 2
    assert state.decision().files == (
        FileVerdict("src/app.py", (HunkVerdict(True), HunkVerdict(False))),
        FileVerdict("README.md", (HunkVerdict(False),)),
    )


def test_moving_crosses_files_and_stops_at_the_ends() -> None:
    state = ReviewState(two_file_review())
    state.move(-1)
    assert (state.file_index, state.hunk_index) == (0, 0)
    state.move(2)
    assert (state.file.path, state.hunk_index) == ("README.md", 0)
    state.move(5)
    assert (state.file.path, state.hunk_index) == ("README.md", 0)


def test_a_verdict_jumps_to_the_next_undecided_hunk_wrapping_around() -> None:
    state = ReviewState(two_file_review())
    state.move(1)
    state.decide(False)  # app.py hunk 2
    assert state.file.path == "README.md"
    state.decide(True)
    assert (state.file.path, state.hunk_index) == ("src/app.py", 0)


def test_rejecting_an_edited_hunk_drops_the_edit_and_keeps_the_note() -> None:
    state = ReviewState(two_file_review())
    state.set_note("  too loud  ")
    state.set_edited((" import sys", "+print('hey')"))
    state.move(-1)
    state.decide(False)
    assert state.decision().files[0].hunks[0] == HunkVerdict(False, "too loud", None)


def test_a_binary_file_is_decided_whole_with_one_verdict() -> None:
    binary = FileDiff(path="logo.png", status="modified", text="Binary files differ", hunks=(), binary=True)
    state = ReviewState(ChangeReview(files=(binary,), phase="before_write"))
    state.decide_rest_of_file(True)
    assert state.decision().files == (FileVerdict("logo.png", (HunkVerdict(True),)),)
    assert state.file_summary(0) == "✓"


def test_split_view_pairs_each_removed_run_with_the_added_run_after_it() -> None:
    rows = split_rows((" a", "-b", "-c", "+B", " d", "+e", "\\ No newline at end of file"))
    assert rows == [
        (" a", " a"),
        ("-b", "+B"),
        ("-c", None),
        (" d", " d"),
        (None, "+e"),
        (None, "\\ No newline at end of file"),  # beside the line it speaks of, never dropped
    ]


def test_an_edited_hunk_ignores_comments_and_refuses_stray_lines() -> None:
    assert parse_edited("# help\n a\n-b\n+c\n\n") == (" a", "-b", "+c")
    with pytest.raises(HunkEditError):
        parse_edited(" a\nnot a diff line\n")
    with pytest.raises(HunkEditError):
        parse_edited(" a\n b\n")
