"""The terminal review's group questions, answered from literal input: a group decided at once,
opened place by place, or cut short; the hunks of no group asked afterwards."""

from __future__ import annotations

import io

from hunk.agent.approval import ChangeReview
from hunk.headless.review import TerminalApprover
from hunk.values.diffs import HunkVerdict
from hunk.workspace.changeset import FileChange
from hunk.workspace.diff import file_diff

GAP = "".join(f"same {n}\n" for n in range(8))


def review() -> ChangeReview:
    a = FileChange("a.py", (GAP + "old(1)\n" + GAP + "old(2)\n" + GAP + "x = 1\n").encode(), (GAP + "new(1)\n" + GAP + "new(2)\n" + GAP + "x = 2\n").encode())
    b = FileChange("b.py", (GAP + "y = old(3)\n").encode(), (GAP + "y = new(3)\n").encode())
    return ChangeReview((file_diff(a), file_diff(b)), "end_of_turn")


async def ask(answers: str) -> tuple[list[list[HunkVerdict]], bool, str]:
    out = io.StringIO()
    decision = await TerminalApprover(io.StringIO(answers), out, colour=False).decide(review())
    return [list(f.hunks) for f in decision.files], decision.stop, out.getvalue()


async def test_a_group_rejected_with_a_note_then_the_lone_hunk_asked() -> None:
    verdicts, stop, said = await ask("r\nnot yet\ny\n")
    no = HunkVerdict(False, "not yet")
    assert verdicts == [[no, no, HunkVerdict(True)], [no]] and not stop
    assert "2 files · 4 hunks · 1 group (3 hunks) · 4 undecided" in said
    assert "old → new" in said and "a.py  #1 line 9, #2 line 18" in said and "b.py  #3 line 9" in said


async def test_an_opened_group_is_decided_place_by_place_and_d_rejects_the_rest_of_it() -> None:
    verdicts, stop, _ = await ask("o\ny\nd\nn\n")
    assert verdicts == [[HunkVerdict(True), HunkVerdict(False), HunkVerdict(False)], [HunkVerdict(False)]] and not stop


async def test_a_bad_place_number_takes_nothing_out_and_the_question_comes_again() -> None:
    verdicts, _, said = await ask("x\n9\nx\n2-3\ny\nn\nn\ny\n")
    assert "Not a place: 9" in said
    # place 1, alone in the group now, is asked with the hunks of no group, in file order
    assert "in 1 places" not in said
    assert verdicts == [[HunkVerdict(True), HunkVerdict(False), HunkVerdict(False)], [HunkVerdict(True)]]


async def test_accept_everything_left_from_the_group_question_and_end_of_input_rejects() -> None:
    verdicts, stop, _ = await ask("A\n")
    assert all(v.accepted for row in verdicts for v in row) and not stop
    verdicts, stop, _ = await ask("")
    assert not any(v.accepted for row in verdicts for v in row) and stop


async def test_the_review_is_headed_by_its_summary_with_or_without_groups() -> None:
    _, _, said = await ask("n\nn\n")
    assert said.startswith("Review of this turn's changes: 2 files · 4 hunks · 1 group (3 hunks) · 4 undecided\n")
    lone = ChangeReview((file_diff(FileChange("c.txt", b"a\n", b"b\n")),), "end_of_turn")
    out = io.StringIO()
    await TerminalApprover(io.StringIO("y\n"), out, colour=False).decide(lone)
    assert out.getvalue().startswith("Review of this turn's changes: 1 file · 1 hunk · 1 undecided\n")
