"""The one fold: a journal written with every record kind reads back as one SessionView."""

from __future__ import annotations

from pathlib import Path

from hunk.journal import records as r
from hunk.journal.journal import Journal
from hunk.values.conversation import Message, TextPart
from hunk.values.usage import Usage


def test_fold_rebuilds_history_usage_commits_and_the_open_turn(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "s.jsonl")
    journal.append(r.SESSION, model="replay:a", repo="/r", mode="ask")
    journal.append(r.TURN_BEGIN, turn=1, prompt="first")
    journal.message(Message.user("first"))
    journal.message(Message.user("more"))  # merged into the first, as it was sent
    journal.usage(Usage(10, 5), 0.25)
    journal.append(r.COMMIT, sha="a" * 40, files=["x.py"], subject="One")
    journal.append(r.TURN_END, turn=1, status="done", commit="a" * 40)
    journal.append(r.MODEL, model="replay:b")
    journal.append(r.CLEARED)
    journal.append(r.TURN_BEGIN, turn=2, prompt="second")
    journal.message(Message.user("second"))
    journal.usage(Usage(1, 1), None)
    journal.append(r.COMMIT, sha="b" * 40, files=["y.py", "z.py"], subject="Two")
    journal.append(r.COMMIT, sha="c" * 40, files=["w.py"], subject="Three")
    journal.append(r.UNDO, sha="c" * 40, mode="reset", new_head="b" * 40)
    journal.append(r.WRITE, path="y.py", before="h0", after="h1")
    journal.append(r.WRITE, path="y.py", before="h1", after="h2")

    view = r.fold(journal.path)

    assert view.model == "replay:b" and view.first_prompt == "first" and view.turns == 2
    assert view.history == [Message("user", (TextPart("second"),))]
    assert view.usage == Usage(11, 6) and view.cost_usd == 0.25
    assert [c.sha[0] for c in view.commits] == ["a", "b", "c"]
    assert [c.sha[0] for c in view.live_commits] == ["a", "b"]
    assert [(c.sha[0], c.files) for c in view.commits_since_clear] == [("b", ("y.py", "z.py"))]
    assert view.open_turn == 2
    assert [(w.path, w.before, w.after) for w in view.interrupted] == [("y.py", "h0", "h2")]  # first before, last after


def test_compaction_replaces_the_history_and_a_torn_line_is_skipped(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "s.jsonl")
    journal.message(Message.user("old"))
    journal.append(r.COMPACTED, messages=[{"role": "user", "parts": [{"kind": "text", "text": "summary"}]}])
    with open(journal.path, "a", encoding="utf-8") as handle:
        handle.write('{"t": "message", "message": {"role"')  # a crash mid-write

    view = r.fold(journal.path)

    assert view.history == [Message("user", (TextPart("summary"),))]
    assert view.open_turn is None and view.interrupted == [] and view.cost_usd is None
