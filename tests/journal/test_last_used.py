"""`hunk -c` continues the session used last, not the journal file written last."""

from __future__ import annotations

import json
import os
from pathlib import Path

from hunk.journal.journal import SessionStore


def write(path: Path, *records: dict) -> None:  # type: ignore[type-arg]
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record) + "\n")


def test_continue_picks_the_session_used_last_even_after_an_undo_wrote_to_an_older_one(tmp_path: Path) -> None:
    store = SessionStore(tmp_path / "state", tmp_path / "repo")
    older = store.dir / "20260101-100000-aaaaaa.jsonl"
    newer = store.dir / "20260101-110000-bbbbbb.jsonl"
    write(older, {"t": "session", "at": 100.0}, {"t": "commit", "at": 110.0, "sha": "abc"})
    write(newer, {"t": "session", "at": 200.0}, {"t": "turn.begin", "at": 210.0, "turn": 1, "prompt": "hi"})
    # `hunk undo` (later still) takes back the older session's commit, in the older journal
    write(older, {"t": "undo", "at": 300.0, "sha": "abc"})
    os.utime(older, (400.0, 400.0))
    os.utime(newer, (250.0, 250.0))

    assert store.latest() == newer


def test_an_empty_journal_counts_by_its_file_time(tmp_path: Path) -> None:
    store = SessionStore(tmp_path / "state", tmp_path / "repo")
    used = store.dir / "a.jsonl"
    write(used, {"t": "session", "at": 100.0})
    empty = store.dir / "b.jsonl"
    empty.write_text("")
    os.utime(empty, (500.0, 500.0))
    assert store.latest() == empty
