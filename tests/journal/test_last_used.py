"""`hunk -c` continues the session used last, not the journal file written last."""

from __future__ import annotations

import json
import os
from pathlib import Path

from hunk.journal.journal import Journal, SessionStore, last_used
from hunk.journal.records import read_records, stamps


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


def test_stamps_read_each_record_as_the_full_parse_does(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "s" / "a.jsonl", secrets=("sk-secret",))
    journal.append("session", model="m")
    journal.append("message", message={"role": "user", "parts": [{"text": 'a "quoted" sk-secret\n{"t":"x","at":1}'}]})
    journal.append("mcp.server", name="n", state="up")
    with open(journal.path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps({"t": "undo", "at": 7, "sha": "abc"}) + "\n")  # written by hand: spaces
        handle.write('{"at":8.5,"t":"turn.end"}\n\n')  # other key order, a blank line
        handle.write('{"t":"note"}\n')  # no time
        handle.write('{"t":"turn.begin","at":99.0,"turn":2,"prompt":"torn')  # a crash mid-write

    expected = [(r.get("t"), r.get("at")) for r in read_records(journal.path)]
    assert list(stamps(journal.path)) == expected
    assert [kind for kind, _ in expected] == ["session", "message", "mcp.server", "undo", "turn.end", "note"]
    assert last_used(journal.path)[0] == expected[2][1]  # the undo, written from elsewhere, does not count
