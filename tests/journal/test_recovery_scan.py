"""Every start asks whether the last session left a turn open. The quick look at the journal's
raw lines answers as the whole fold does, and a session that ended well is never folded."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hunk.journal import recovery
from hunk.journal.journal import Journal, SessionStore
from hunk.journal.records import MESSAGE, TURN_BEGIN, TURN_END, WRITE, fold
from hunk.values.conversation import Message

STEPS = st.lists(st.sampled_from(["begin", "end", "message", "write", "torn begin", "torn end", "blank"]), max_size=12)


def _write(path: Path, steps: list[str]) -> None:
    journal = Journal(path)
    for step in steps:
        if step == "begin":
            journal.append(TURN_BEGIN, turn=1, prompt="p")
        elif step == "end":
            journal.append(TURN_END, status="done")
        elif step == "message":
            journal.message(Message.user("hello"))
        elif step == "write":
            journal.append(WRITE, path="a.txt", before=None, after="x")
        elif step == "blank":
            with path.open("a") as handle:
                handle.write("\n")
        else:  # a crash mid-write: a line cut short
            kind = TURN_BEGIN if step == "torn begin" else TURN_END
            with path.open("a") as handle:
                handle.write('{"t":"%s","at":1' % kind)
            journal.append(MESSAGE, message={"role": "user", "parts": []})  # written after, on the same line


@settings(max_examples=200, deadline=None)
@given(steps=STEPS)
def test_the_quick_look_agrees_with_the_fold(tmp_path_factory: pytest.TempPathFactory, steps: list[str]) -> None:
    path = tmp_path_factory.mktemp("j") / "s.jsonl"
    _write(path, steps)
    view = fold(path)
    if view.open_turn is not None:
        assert recovery.may_be_open(path), steps  # never a turn left open unseen
    elif not any(step.startswith("torn") for step in steps):
        assert not recovery.may_be_open(path), steps  # and a plain journal is never folded for nothing


def test_a_session_that_ended_well_is_not_folded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "s.jsonl"

    def no_fold(_: Path) -> None:
        raise AssertionError("folded a finished session")

    monkeypatch.setattr(recovery, "fold", no_fold)
    store = SessionStore(tmp_path / "state", tmp_path / "repo")
    path = store.dir / path.name
    path.parent.mkdir(parents=True)
    _write(path, ["begin", "message", "write", "end"] * 50)
    assert recovery.pending_recovery(store) is None
    _write(path, ["begin", "write"])
    with pytest.raises(AssertionError, match="folded"):
        recovery.pending_recovery(store)  # an open turn is folded, to learn what it left


def test_a_missing_journal_may_not_be_open(tmp_path: Path) -> None:
    assert not recovery.may_be_open(tmp_path / "none.jsonl")
