"""`ChangeFlow` on its own, per approval mode: what reaches the disk, the journal, the events and
the model for a write tool's change, for files a command changed, and at the end of the turn.
A real repository in tmp_path and an approver that answers from a list."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hunk.agent.approval import ChangeDecision, ChangeReview
from hunk.agent.changes import ChangeFlow, Outcome
from hunk.journal.journal import Journal
from hunk.settings.prompts import message, render
from hunk.values.diffs import FileVerdict, HunkVerdict
from hunk.values.events import ApprovalRequested, ChangeProposed, Event, Notice, ReviewDecided
from hunk.workspace.changeset import FileChange, content_hash
from tests.gitrepo import git, make_repo

BEFORE = b"".join(b"line %d\n" % i for i in range(1, 21))
AFTER = BEFORE.replace(b"line 2\n", b"line two\n").replace(b"line 18\n", b"line eighteen\n")
MODE = 0o100644


Flag = bool | str | HunkVerdict


class Person:
    """Answers each review with the next list of per-hunk verdicts (True, False, a note, or a
    HunkVerdict as it stands)."""

    def __init__(self, *answers: tuple[Flag, ...], stop: bool = False) -> None:
        self.answers = list(answers)
        self.asked: list[ChangeReview] = []
        self.stop = stop

    async def decide(self, request: ChangeReview) -> ChangeDecision:
        self.asked.append(request)
        files = []
        for diff in request.files:
            flags = self.answers.pop(0)
            assert len(flags) == diff.decision_count
            files.append(
                FileVerdict(
                    diff.path,
                    tuple(_verdict(f) for f in flags),
                )
            )
        return ChangeDecision(tuple(files), stop=self.stop)


def _verdict(flag: Flag) -> HunkVerdict:
    if isinstance(flag, HunkVerdict):
        return flag
    return HunkVerdict(flag) if isinstance(flag, bool) else HunkVerdict(False, flag)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "repo", {"a.txt": BEFORE, "b.txt": b"b\n"})


def flow(repo: Path, mode: str, person: Person, events: list[Event], **extra: object) -> ChangeFlow:
    return ChangeFlow(
        root=repo,
        mode=mode,  # type: ignore[arg-type]
        approver=person,  # type: ignore[arg-type]
        sink=events.append,
        journal=Journal(repo.parent / "journal" / "s.jsonl"),
        read_hashes={},
        **extra,  # type: ignore[arg-type]
    )


def journal_records(repo: Path) -> list[dict[str, object]]:
    path = repo.parent / "journal" / "s.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def change(path: str = "a.txt", before: bytes | None = BEFORE, after: bytes | None = AFTER) -> FileChange:
    return FileChange(path, before, after, MODE if before is not None else None, MODE if after is not None else None)


async def test_ask_mode_writes_only_the_accepted_hunk_and_tells_the_model_why(repo: Path) -> None:
    events: list[Event] = []
    person = Person((True, "keep line 18"))
    changes = flow(repo, "ask", person, events)
    said = await changes.propose(change())
    expected = BEFORE.replace(b"line 2\n", b"line two\n")
    assert (repo / "a.txt").read_bytes() == expected
    assert said == message(
        "changes.applied_some", path="a.txt", accepted=1, total=2, notes="keep line 18"
    )
    assert [r.phase for r in person.asked] == ["before_write"]
    assert [type(e) for e in events] == [ChangeProposed, ApprovalRequested, ReviewDecided]
    assert events[2] == ReviewDecided("a.txt", 1, 1, "keep line 18")
    assert changes.read_hashes == {"a.txt": content_hash(expected)}
    (record,) = journal_records(repo)
    assert (record["t"], record["path"], record["before"], record["after"]) == (
        "write", "a.txt", content_hash(BEFORE), content_hash(expected),
    )
    assert [c.after for c in changes.accepted_changes()] == [expected]
    assert changes.rejections == [Outcome("a.txt", 1, 1, ["keep line 18"])]
    assert changes.feedback_for_next_turn() == ""  # ask mode said it already


async def test_ask_mode_all_accepted_and_all_rejected(repo: Path) -> None:
    events: list[Event] = []
    changes = flow(repo, "ask", Person((True, True), (False,)), events)
    assert await changes.propose(change()) == message("changes.applied_all", path="a.txt", hunks=2)
    assert (repo / "a.txt").read_bytes() == AFTER
    said = await changes.propose(change("b.txt", b"b\n", b"B\n"))
    assert said == message("changes.rejected_all", path="b.txt", notes=message("changes.no_reason"))
    assert (repo / "b.txt").read_bytes() == b"b\n"
    assert [c.path for c in changes.accepted_changes()] == ["a.txt"]  # the rejection is a no-op
    assert len(journal_records(repo)) == 1  # nothing was written for the rejected file
    assert events[-1] == ReviewDecided("b.txt", 0, 1, None)


async def test_a_person_who_stops_ends_the_turn(repo: Path) -> None:
    changes = flow(repo, "ask", Person((True, True), stop=True), [])
    assert not changes.stop_requested
    await changes.propose(change())
    assert changes.stop_requested


@pytest.mark.parametrize(("mode", "key"), [("review", "changes.written_pending"), ("auto", "changes.written")])
async def test_review_and_auto_write_at_once(repo: Path, mode: str, key: str) -> None:
    events: list[Event] = []
    person = Person((False, True))
    changes = flow(repo, mode, person, events)
    assert await changes.propose(change()) == message(key, path="a.txt")
    assert (repo / "a.txt").read_bytes() == AFTER
    assert changes.accepted_changes() == []  # nobody accepted it yet
    await changes.review_pending()
    if mode == "auto":
        assert person.asked == [] and (repo / "a.txt").read_bytes() == AFTER
        assert [c.after for c in changes.accepted_changes()] == [AFTER]
        assert changes.feedback_for_next_turn() == ""
        return
    rolled_back = BEFORE.replace(b"line 18\n", b"line eighteen\n")
    assert [r.phase for r in person.asked] == ["end_of_turn"]
    assert (repo / "a.txt").read_bytes() == rolled_back
    assert [(c.before, c.after) for c in changes.accepted_changes()] == [(BEFORE, rolled_back)]
    rollback = journal_records(repo)[-1]
    assert (rollback["before"], rollback["after"]) == (content_hash(AFTER), content_hash(rolled_back))
    assert events[-1] == ReviewDecided("a.txt", 1, 1, None)
    outcome = message("changes.applied_some", path="a.txt", accepted=1, total=2, notes=message("changes.no_reason"))
    assert changes.feedback_for_next_turn() == render("rejection_feedback", outcomes=outcome)
    await changes.review_pending()  # nothing is pending any more
    assert len(person.asked) == 1


async def test_review_mode_with_nothing_rejected_has_no_feedback(repo: Path) -> None:
    person = Person((True, True))
    changes = flow(repo, "review", person, [])
    await changes.propose(change())
    await changes.review_pending()
    assert changes.feedback_for_next_turn() == "" and changes.rejections == []


async def test_an_interrupted_turn_rolls_back_what_nobody_accepted(repo: Path) -> None:
    events: list[Event] = []
    changes = flow(repo, "review", Person(), events)
    await changes.propose(change())
    await changes.propose(change("b.txt", b"b\n", b"agent\n"))
    await changes.propose(change("new/deep/c.txt", None, b"c\n"))
    (repo / "b.txt").write_bytes(b"the person typed this\n")
    assert changes.roll_back_pending() == ["a.txt", "new/deep/c.txt"]
    assert (repo / "a.txt").read_bytes() == BEFORE
    assert not (repo / "new").exists()  # the folders the write made went with it
    assert (repo / "b.txt").read_bytes() == b"the person typed this\n"
    assert Notice("b.txt changed after the agent wrote it; left as it is") in events
    assert changes.roll_back_pending() == []  # nothing pending any more
    assert [(r["source"], r["before"], r["after"]) for r in journal_records(repo)][-2:] == [
        ("rollback", content_hash(AFTER), content_hash(BEFORE)),
        ("rollback", content_hash(b"c\n"), None),
    ]
    assert not {c.path for c in changes.accepted_changes()} & {"a.txt", "new/deep/c.txt"}  # nothing left to commit


async def test_ask_mode_reviews_what_a_command_changed_and_rolls_back_the_rejected(repo: Path) -> None:
    events: list[Event] = []
    person = Person((True, False), (True,))
    changes = flow(repo, "ask", person, events)
    changes.read_hashes["c.txt"] = "stale"
    (repo / "a.txt").write_bytes(AFTER)
    (repo / "c.txt").write_bytes(b"new\n")
    said = await changes.side_effects(
        [change(), change("c.txt", None, b"new\n"), change("b.txt", b"b\n", b"b\n")], "make gen"
    )
    kept = BEFORE.replace(b"line 2\n", b"line two\n")
    assert (repo / "a.txt").read_bytes() == kept and (repo / "c.txt").read_bytes() == b"new\n"
    assert [(r.phase, r.reason, [f.path for f in r.files]) for r in person.asked] == [
        ("side_effects", "make gen", ["a.txt", "c.txt"])
    ]
    outcomes = "\n".join(
        [
            message("changes.applied_some", path="a.txt", accepted=1, total=2, notes=message("changes.no_reason")),
            message("changes.applied_all", path="c.txt", hunks=1),
        ]
    )
    assert said == message("changes.side_effects_reviewed", command="make gen", outcomes=outcomes)
    assert "c.txt" not in changes.read_hashes  # the model must read it again
    assert sum(isinstance(e, ChangeProposed) for e in events) == 2
    assert {c.path: c.after for c in changes.accepted_changes()} == {"a.txt": kept, "c.txt": b"new\n"}
    rollback = journal_records(repo)[-1]  # from what the command left to what the person kept
    assert (rollback["path"], rollback["before"], rollback["after"]) == ("a.txt", content_hash(AFTER), content_hash(kept))


async def test_review_mode_holds_what_a_command_changed_for_the_end_of_the_turn(repo: Path) -> None:
    person = Person((False, False))
    changes = flow(repo, "review", person, [])
    (repo / "a.txt").write_bytes(AFTER)
    said = await changes.side_effects([change()], "make gen")
    assert said == message("changes.side_effects_pending", paths="a.txt")
    assert person.asked == [] and changes.accepted_changes() == []
    await changes.review_pending()
    assert (repo / "a.txt").read_bytes() == BEFORE


async def test_a_command_that_changed_nothing_is_not_reviewed(repo: Path) -> None:
    person = Person()
    changes = flow(repo, "ask", person, [])
    assert await changes.side_effects([change("b.txt", b"b\n", b"b\n")], "true") == ""
    assert person.asked == [] and journal_records(repo) == []


async def test_under_auto_a_command_may_not_discard_the_persons_work(repo: Path) -> None:
    events: list[Event] = []
    (repo / "a.txt").write_bytes(AFTER)  # the person's uncommitted edit
    (repo / "b.txt").write_bytes(b"mine\n")
    changes = flow(repo, "auto", Person(), events, user_work=frozenset({"a.txt", "b.txt"}))
    (repo / "a.txt").write_bytes(BEFORE)  # `git checkout a.txt`: back to HEAD
    (repo / "b.txt").write_bytes(b"mine, and the command's\n")  # not a discard: stays
    said = await changes.side_effects(
        [change("a.txt", AFTER, BEFORE), change("b.txt", b"mine\n", b"mine, and the command's\n")], "x"
    )
    assert (repo / "a.txt").read_bytes() == AFTER
    assert events[0] == Notice("a command discarded your uncommitted work in a.txt; it was put back")
    assert [(r["path"], r["source"]) for r in journal_records(repo)][2:] == [("a.txt", "restore")]
    told = message("changes.user_work_restored", paths="a.txt")
    assert said == told + "\n" + message("changes.side_effects_pending", paths="b.txt")
    (repo / "b.txt").unlink()  # a deletion of the person's file is a discard too
    said = await changes.side_effects([change("b.txt", b"mine, and the command's\n", None)], "rm")
    assert said == message("changes.user_work_restored", paths="b.txt")
    assert (repo / "b.txt").read_bytes() == b"mine, and the command's\n"


async def test_a_killed_commands_changes_are_held_for_the_rollback(repo: Path) -> None:
    changes = flow(repo, "ask", Person(), [])
    (repo / "a.txt").write_bytes(AFTER)
    (repo / "a.txt").chmod(0o755)  # the command made it executable too
    changes.hold_unreviewed([FileChange("a.txt", BEFORE, AFTER, MODE, 0o100755), change("b.txt", b"b\n", b"b\n")])
    assert changes.accepted_changes() == []
    assert changes.roll_back_pending() == ["a.txt"]
    assert (repo / "a.txt").read_bytes() == BEFORE and (repo / "a.txt").stat().st_mode & 0o777 == 0o644
    assert git(repo, "status", "--porcelain") == ""



async def test_ask_mode_tells_the_model_what_was_rejected_of_a_killed_commands_changes(repo: Path) -> None:
    """In ask mode every change is decided as it comes and the model hears the verdict in the
    tool result, except what a killed command wrote: that is reviewed after the interrupted
    turn, and the model must hear the rejections with the next prompt, as in review mode."""
    person = Person((False, True))
    changes = flow(repo, "ask", person, [])
    (repo / "a.txt").write_bytes(AFTER)
    changes.hold_unreviewed([change()])
    await changes.review_pending()
    assert [r.phase for r in person.asked] == ["end_of_turn"]
    assert (repo / "a.txt").read_bytes() == BEFORE.replace(b"line 18\n", b"line eighteen\n")
    outcome = message("changes.applied_some", path="a.txt", accepted=1, total=2, notes=message("changes.no_reason"))
    assert changes.feedback_for_next_turn() == render("rejection_feedback", outcomes=outcome)
