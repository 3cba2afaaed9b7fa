"""On quit, the terminal keeps a short summary: the session, its commits, its cost, and how to
continue it."""

from __future__ import annotations

from pathlib import Path

from hunk.journal.journal import Journal
from hunk.journal.records import COMMIT, UNDO, USAGE, fold
from hunk.tui.launch import quit_summary


def test_the_summary_names_the_session_its_live_commits_its_cost_and_how_to_continue(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "20261128-120000-abcdef.jsonl")
    journal.append(COMMIT, sha="a" * 40, files=["a.txt"], subject="Add a greeting")
    journal.append(COMMIT, sha="b" * 40, files=["b.txt"], subject="Undone later")
    journal.append(UNDO, sha="b" * 40, mode="reset", new_head="a" * 40)
    journal.append(USAGE, usage={"input_tokens": 10, "output_tokens": 2}, cost_usd=0.0123)

    said = quit_summary(fold(journal.path))

    assert said.splitlines()[0] == "hunk session 20261128-120000-abcdef: 1 commit, $0.0123"
    assert "aaaaaaaaaa Add a greeting" in said and "Undone later" not in said
    assert "continue with: hunk -c" in said
