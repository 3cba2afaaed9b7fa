"""`hunk -c` continues the session used last, not the journal file written last."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hunk.journal.journal import Journal, SessionStore, records_from_end, last_used
from hunk.journal.records import read_records


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


LINES = st.lists(
    st.one_of(
        st.builds(lambda at, kind, text: json.dumps({"t": kind, "at": at, "text": text}, ensure_ascii=False),
                  st.floats(0, 1e6), st.sampled_from(["session", "undo", "message", "commit"]), st.text(max_size=30)),
        st.just(""),  # a blank line
        st.just('{"t":"message","at":5,"te'),  # a torn line
        st.just("[1, 2]"),  # JSON, but not a record
        st.just("\u00e9\u00e9\u00e9"),
    ),
    max_size=25,
)


@settings(max_examples=300, deadline=None)
@given(lines=LINES, block=st.integers(1, 64), ends_with_newline=st.booleans())
def test_reading_from_the_end_finds_the_records_reading_from_the_start_does(
    tmp_path_factory: pytest.TempPathFactory, lines: list[str], block: int, ends_with_newline: bool
) -> None:
    path = tmp_path_factory.mktemp("j") / "s.jsonl"
    path.write_text("\n".join(lines) + ("\n" if ends_with_newline else ""), encoding="utf-8")
    forward = [r for r in read_records(path) if isinstance(r, dict)]
    assert list(records_from_end(path, block=block)) == forward[::-1]


def test_last_used_reads_the_end_of_a_long_journal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "s.jsonl"
    write(path, *({"t": "message", "at": float(i), "text": "x" * 500} for i in range(2000)), {"t": "undo", "at": 9999.0})
    parsed = []
    real_loads = json.loads
    monkeypatch.setattr(json, "loads", lambda text, **kw: parsed.append(1) or real_loads(text, **kw))
    assert last_used(path) == (1999.0, "s.jsonl")
    assert len(parsed) == 2  # the undo (written from elsewhere), then the session's own last record


def test_reading_from_the_end_reads_each_record_as_the_full_parse_does(tmp_path: Path) -> None:
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
    assert [(r.get("t"), r.get("at")) for r in records_from_end(journal.path)] == expected[::-1]
    assert [kind for kind, _ in expected] == ["session", "message", "mcp.server", "undo", "turn.end", "note"]
    assert last_used(journal.path)[0] == 8.5  # the last record with a time; the undo, written from elsewhere, does not count
