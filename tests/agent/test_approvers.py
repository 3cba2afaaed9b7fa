"""The approvers that need no person: `auto` mode's policy, accept-all, and the timing wrapper."""

from __future__ import annotations

import pytest

from hunk.agent import approval
from hunk.agent.approval import (
    ChangeDecision,
    ChangeReview,
    CommandApproval,
    CommandDecision,
    CommitApproval,
    CommitDecision,
    EntangledChange,
    EntangledDecision,
    PolicyApprover,
    TimedApprover,
    accept_all,
)
from hunk.values.diffs import FileVerdict, HunkVerdict
from hunk.workspace.changeset import FileChange
from hunk.workspace.diff import file_diff

TWO_HUNKS = FileChange(
    "a.txt",
    b"".join(b"%d\n" % i for i in range(20)),
    b"".join(b"%d\n" % i for i in range(20)).replace(b"1\n", b"one\n", 1).replace(b"18\n", b"x\n"),
)
REVIEW = ChangeReview((file_diff(TWO_HUNKS), file_diff(FileChange("n", None, b""))), "end_of_turn")


def test_accept_all_accepts_every_hunk_of_every_file() -> None:
    assert accept_all(REVIEW) == ChangeDecision(
        (
            FileVerdict("a.txt", (HunkVerdict(True), HunkVerdict(True))),
            FileVerdict("n", (HunkVerdict(True),)),
        )
    )


async def test_the_policy_says_yes_keeps_the_message_and_never_commits_a_persons_edits() -> None:
    policy = PolicyApprover()
    assert await policy.decide(REVIEW) == accept_all(REVIEW)
    assert await policy.decide(CommandApproval("make", "/r", "writes")) == CommandDecision(True)
    commit = await policy.decide(CommitApproval("Subject\n\nbody\n", ("a",), ""))
    assert commit == CommitDecision(True, "Subject\n\nbody\n")
    assert await policy.decide(EntangledChange(("a",))) == EntangledDecision(False)
    with pytest.raises(TypeError, match="unknown approval request"):
        await policy.decide("what?")  # type: ignore[arg-type]


async def test_the_timed_approver_adds_up_the_time_spent_deciding(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Clock:  # the wrapper's own clock only: the event loop keeps the real one
        readings = iter([10.0, 12.5, 20.0, 20.25, 30.0, 31.0])

        def monotonic(self) -> float:
            return next(self.readings)

    monkeypatch.setattr(approval, "time", Clock())

    class Slow:
        async def decide(self, request: object) -> object:
            if request == "boom":
                raise RuntimeError("the person's terminal went away")
            return CommandDecision(True)

    timed = TimedApprover(Slow())  # type: ignore[arg-type]
    assert timed.waited == 0.0
    assert await timed.decide(CommandApproval("ls", "/r", "read-only")) == CommandDecision(True)
    assert timed.waited == 2.5
    await timed.decide(CommandApproval("ls", "/r", "read-only"))
    assert timed.waited == 2.75
    with pytest.raises(RuntimeError):
        await timed.decide("boom")  # type: ignore[arg-type]
    assert timed.waited == 3.75  # a failed question counts too
