"""The `git add -p`-style questions of `hunk run`, answered from literal input."""

from __future__ import annotations

import io

from hunk.agent.approval import ChangeReview, CommandApproval, CommitApproval
from hunk.values.diffs import HunkVerdict
from hunk.headless.review import TerminalApprover
from hunk.workspace.changeset import FileChange
from hunk.workspace.diff import apply_verdicts, file_diff

BEFORE = "".join(f"line {i}\n" for i in range(1, 21)).encode()
AFTER = BEFORE.replace(b"line 2\n", b"line two\nline 2b\n").replace(b"line 18\n", b"line eighteen\n")
CHANGE = FileChange("notes.txt", BEFORE, AFTER, 0o100644, 0o100644, "write_file")


def approver(answers: str, editor=None) -> tuple[TerminalApprover, io.StringIO]:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    return TerminalApprover(io.StringIO(answers), out, colour=False, editor=editor), out


async def test_each_hunk_is_asked_in_turn_with_a_note_on_rejection() -> None:
    review = ChangeReview((file_diff(CHANGE),), "end_of_turn")
    ask, out = approver("y\nr\nnot this one\n")

    decision = await ask.decide(review)

    assert decision.files[0].hunks == (HunkVerdict(True), HunkVerdict(False, "not this one"))
    assert "(1/2) Accept this hunk" in out.getvalue() and "(2/2)" in out.getvalue()
    assert "+line two" in out.getvalue()


async def test_an_edited_hunk_is_applied_as_edited() -> None:
    diff = file_diff(CHANGE)

    def editor(text: str) -> str:
        assert text.startswith(" line 1\n-line 2\n+line two\n+line 2b\n")
        return text.replace("+line 2b\n", "")  # keep the rename, drop the added line

    ask, _ = approver("e\nn\n", editor)
    decision = await ask.decide(ChangeReview((diff,), "before_write"))

    assert decision.files[0].hunks[0].accepted and decision.files[0].hunks[0].edited
    final = apply_verdicts(CHANGE, diff, decision.files[0])
    assert final.after == BEFORE.replace(b"line 2\n", b"line two\n")


async def test_end_of_input_rejects_what_is_left_and_stops() -> None:
    ask, _ = approver("y\n")  # then the terminal closes
    decision = await ask.decide(ChangeReview((file_diff(CHANGE),), "end_of_turn"))
    assert [v.accepted for v in decision.files[0].hunks] == [True, False] and decision.stop


async def test_accept_everything_left_covers_later_files() -> None:
    other = FileChange("b.txt", b"b\n", b"bee\n", 0o100644, 0o100644)
    ask, _ = approver("A\n")
    decision = await ask.decide(ChangeReview((file_diff(CHANGE), file_diff(other)), "end_of_turn"))
    assert all(v.accepted for f in decision.files for v in f.hunks)


async def test_unknown_answers_are_asked_again_and_help_is_shown() -> None:
    ask, out = approver("x\n?\nd\n")
    decision = await ask.decide(ChangeReview((file_diff(CHANGE),), "end_of_turn"))
    assert not any(v.accepted for v in decision.files[0].hunks)
    assert "Answer one of" in out.getvalue() and "accept this hunk and the rest of this file" in out.getvalue()


async def test_a_binary_file_is_one_whole_decision() -> None:
    binary = FileChange("logo.png", b"\x89PNG\x00\x01", b"\x89PNG\x00\x02", 0o100644, 0o100644)
    ask, out = approver("y\n")
    decision = await ask.decide(ChangeReview((file_diff(binary),), "end_of_turn"))
    assert decision.files[0].hunks == (HunkVerdict(True),)
    assert "binary file" in out.getvalue()


async def test_command_and_commit_questions() -> None:
    ask, _ = approver("r\nuse make\n")
    refused = await ask.decide(CommandApproval("rm -r build", "/repo", "destructive", "no allow rule matches"))
    assert not refused.allow and refused.note == "use make"

    ask, _ = approver("a\n")
    always = await ask.decide(CommandApproval("pytest", "/repo", "writes"))
    assert always.allow and always.remember

    ask, _ = approver("\n")
    commit = await ask.decide(CommitApproval("Subject\n\n- a.txt\n", ("a.txt",), ""))
    assert commit.commit and commit.message.startswith("Subject")

    ask, _ = approver("e\n", editor=lambda text: "# a comment\nBetter subject\n")
    edited = await ask.decide(CommitApproval("Subject\n", ("a.txt",), ""))
    assert edited.commit and edited.message == "Better subject\n"


def long_change(lines: int) -> FileChange:
    before = "".join(f"dep-{n} = 1.0\n" for n in range(lines)).encode()
    return FileChange("deps.lock", before, before.replace(b"= 1.0", b"= 1.1"), 0o100644, 0o100644, "write_file")


async def test_a_long_hunk_is_paged_a_screenful_at_a_time_before_the_question() -> None:
    ask, out = approver("\n\ny\n")  # two more screenfuls, then yes
    decision = await ask.decide(ChangeReview((file_diff(long_change(200)),), "before_write"))

    assert decision.files[0].hunks == (HunkVerdict(True),)
    text = out.getvalue()
    first_question = text.index("Enter shows more")
    before = text[:first_question]
    assert "-dep-0 = 1.0" in before and "-dep-199 = 1.0" not in before
    assert len(before.splitlines()) <= 24  # one screenful of the 80×24 fallback, question included
    assert "(1/1) 382 more lines, Enter shows more. Accept this hunk [y,n,r,a,d,A,e,o,q,?]?" in text
    pages = text.split("Accept this hunk")
    assert len(pages) == 4 and "+dep-199 = 1.1" not in text  # answered before the end: never dumped


async def test_a_six_megabyte_line_is_shown_around_its_change_and_o_opens_it_whole() -> None:
    body = "x" * 3_000_000
    change = FileChange("bundle.min.js", (body + "OLD" + body).encode(), (body + "NEW" + body).encode(), 0o100644, 0o100644)
    seen: list[str] = []

    def editor(text: str) -> str:
        seen.append(text)
        return "ignored"

    ask, out = approver("\no\nn\n", editor)  # the − line fills the first screen; Enter shows the +
    decision = await ask.decide(ChangeReview((file_diff(change),), "before_write"))

    assert decision.files[0].hunks == (HunkVerdict(False),)
    text = out.getvalue()
    assert len(text) < 10_000 and "OLD" in text and "NEW" in text
    assert "[… 2,999,800 earlier characters]" in text
    assert "more characters — o opens the whole hunk]" in text
    assert seen and len(seen[0]) > 6_000_000 and "+" + body + "NEW" + body in seen[0]


async def test_the_terminal_refuses_an_edit_the_tui_refuses_and_asks_again() -> None:
    """One parser for both front ends: an edit that changes nothing is refused here too."""
    diff = file_diff(CHANGE)

    def editor(text: str) -> str:
        return "".join(" " + line[1:] + "\n" for line in text.splitlines() if line[:1] in " -")

    ask, out = approver("e\nn\ny\nn\n", editor)  # edit, don't edit again, then y and n
    decision = await ask.decide(ChangeReview((diff,), "before_write"))

    assert "the edited hunk changes nothing" in out.getvalue() and "Edit it again?" in out.getvalue()
    assert decision.files[0].hunks == (HunkVerdict(True), HunkVerdict(False))
