"""Approval modes through the real agent loop: what reaches disk, git and the model."""

from __future__ import annotations

import json
from pathlib import Path

from hunk.agent.approval import ChangeReview, CommandDecision, CommitDecision
from hunk.values.events import CommitCreated, Notice
from tests.agent.conftest import files_verdicts, hunks
from tests.fakeserver import Reply, ToolCall
from tests.gitrepo import git, git_bytes, make_repo

LINES = [f"line {i}\n" for i in range(1, 21)]
ORIGINAL = "".join(LINES)
# two edits far apart: two hunks
EDITED = ORIGINAL.replace("line 2\n", "line two\n").replace("line 18\n", "line eighteen\n")
SUBJECT = Reply(text="Rename two lines")


def tool_results(body: dict) -> list[str]:
    """The tool results in an Anthropic request's newest user message."""
    last = body["messages"][-1]
    texts = []
    for block in last["content"]:
        if block.get("type") == "tool_result":
            content = block["content"]
            texts.append(content if isinstance(content, str) else "".join(c.get("text", "") for c in content))
    return texts


async def test_ask_mode_accepts_one_hunk_of_a_file_and_tells_the_model_why_the_other_was_rejected(harness, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"notes.txt": ORIGINAL})
    h = harness(root, "ask")
    h.fake.script(
        Reply(tool_calls=[ToolCall("read_file", {"path": "notes.txt"})]),
        Reply(tool_calls=[ToolCall("write_file", {"path": "notes.txt", "content": EDITED})]),
        Reply(text="Understood."),
        SUBJECT,
    )
    h.approver.answers.append(hunks(True, "keep line 18 as it is"))

    outcome = await h.agent.run_turn("rename lines")

    expected = ORIGINAL.replace("line 2\n", "line two\n")
    assert (root / "notes.txt").read_text() == expected
    assert h.approver.reviews()[0].phase == "before_write"
    told = tool_results(h.fake.bodies("/v1/messages")[2])
    assert len(told) == 1 and "accepted 1 of 2 hunks" in told[0] and "keep line 18 as it is" in told[0]
    assert outcome.status == "done" and outcome.rejected and outcome.commit
    assert git(root, "show", "HEAD:notes.txt") == expected
    assert git(root, "status", "--porcelain") == ""


async def test_ask_mode_rejection_leaves_the_file_untouched_on_disk(harness, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"notes.txt": ORIGINAL})
    h = harness(root, "ask")
    h.fake.script(
        Reply(tool_calls=[ToolCall("read_file", {"path": "notes.txt"})]),
        Reply(tool_calls=[ToolCall("write_file", {"path": "notes.txt", "content": EDITED})]),
        Reply(text="OK."),
    )
    h.approver.answers.append(hunks(False, False))
    head = git(root, "rev-parse", "HEAD")

    outcome = await h.agent.run_turn("rename lines")

    assert (root / "notes.txt").read_text() == ORIGINAL
    assert outcome.commit is None and git(root, "rev-parse", "HEAD") == head
    assert "rejected your change to notes.txt" in tool_results(h.fake.bodies("/v1/messages")[2])[0]


async def test_review_mode_writes_at_once_then_rolls_back_rejected_hunks_byte_for_byte(harness, tmp_path: Path) -> None:
    crlf = ORIGINAL.replace("\n", "\r\n").encode()
    root = make_repo(tmp_path / "repo", {"dos.txt": crlf, "other.txt": "alpha\nbeta\n"})
    h = harness(root, "review")
    h.fake.script(
        Reply(tool_calls=[ToolCall("read_file", {"path": "dos.txt"}), ToolCall("read_file", {"path": "other.txt"})]),
        Reply(
            tool_calls=[
                ToolCall("edit_file", {"path": "dos.txt", "old_string": "line 2\n", "new_string": "line two\n"}),
                ToolCall("edit_file", {"path": "dos.txt", "old_string": "line 18", "new_string": "line eighteen"}),
                ToolCall("edit_file", {"path": "other.txt", "old_string": "beta", "new_string": "gamma"}),
            ]
        ),
        # the command sees the changes already on disk
        Reply(tool_calls=[ToolCall("run_command", {"command": "grep -c eighteen dos.txt"})]),
        Reply(text="Done."),
        SUBJECT,  # asked as the review begins
        Reply(text="Rename line two"),  # asked again: the person rejected a hunk, the diff changed
        # the next turn
        Reply(text="I see you rejected some of it."),
    )
    h.approver.answers.append(files_verdicts(dos_txt=(True, "not this one"), other_txt=(True,)))

    outcome = await h.agent.run_turn("edit")

    command_output = tool_results(h.fake.bodies("/v1/messages")[3])[0]
    assert command_output.splitlines()[0] == "1" or "\n1\n" in command_output
    review = h.approver.reviews()
    assert len(review) == 1 and review[0].phase == "end_of_turn" and [f.path for f in review[0].files] == ["dos.txt", "other.txt"]
    expected = crlf.replace(b"line 2\r\n", b"line two\r\n")
    assert (root / "dos.txt").read_bytes() == expected
    assert (root / "other.txt").read_text() == "alpha\ngamma\n"
    assert outcome.rejected and outcome.commit
    assert git(root, "show", "HEAD:other.txt") == "alpha\ngamma\n"
    assert git_bytes(root, "cat-file", "blob", "HEAD:dos.txt") == expected
    assert git(root, "status", "--porcelain") == ""

    await h.agent.run_turn("what happened?")

    first_of_turn_two = h.fake.bodies("/v1/messages")[-1]["messages"][-1]["content"]
    text = "".join(b.get("text", "") for b in first_of_turn_two if b.get("type") == "text")
    assert "rejected" in text and "not this one" in text and "what happened?" in text


async def test_ask_mode_reviews_files_a_command_changed_and_rolls_back_the_rejected(harness, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"a.py": "x = 1\n", "b.py": "y = 2\n"})
    h = harness(root, "ask", flags={"commands.allow": None, "sandbox": "off"})  # so the command asks first
    h.fake.script(
        Reply(tool_calls=[ToolCall("run_command", {"command": "sed -i s/1/10/ a.py && sed -i s/2/20/ b.py && echo made > new.txt"})]),
        Reply(text="Formatted."),
        SUBJECT,
    )
    h.approver.answers += [CommandDecision(allow=True), files_verdicts(a_py=(True,), b_py=("no",), new_txt=(False,))]

    outcome = await h.agent.run_turn("format")

    review = h.approver.reviews()[0]
    assert review.phase == "side_effects" and {f.path for f in review.files} == {"a.py", "b.py", "new.txt"}
    assert (root / "a.py").read_text() == "x = 10\n"
    assert (root / "b.py").read_text() == "y = 2\n"
    assert not (root / "new.txt").exists()
    told = tool_results(h.fake.bodies("/v1/messages")[1])[0]
    assert "b.py" in told and "no" in told
    assert outcome.commit and git(root, "show", "--stat", "--format=", "HEAD").count("|") == 1


async def test_a_command_the_person_refuses_never_runs_and_the_model_gets_the_note(harness, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"a.txt": "a\n"})
    h = harness(root, "ask", flags={"sandbox": "off"})  # in the sandbox, touch would not ask
    h.fake.script(
        Reply(tool_calls=[ToolCall("run_command", {"command": "touch made-by-command"})]),
        Reply(text="OK, I won't."),
    )
    h.approver.answers.append(CommandDecision(allow=False, note="use the Makefile"))

    await h.agent.run_turn("make a file")

    assert not (root / "made-by-command").exists()
    assert h.approver.commands()[0].command == "touch made-by-command"
    result = h.fake.bodies("/v1/messages")[1]["messages"][-1]["content"][0]
    assert result["is_error"] is True and "use the Makefile" in json.dumps(result)


async def test_the_users_uncommitted_staged_and_untracked_work_stays_out_of_the_commit(harness, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"shared.txt": ORIGINAL, "staged.txt": "s1\n"})
    (root / "shared.txt").write_text(ORIGINAL.replace("line 19\n", "line 19 (mine)\n"))  # unstaged, same file
    (root / "staged.txt").write_text("s2\n")
    git(root, "add", "staged.txt")
    (root / "untracked.txt").write_text("my scratch\n")
    h = harness(root, "auto")
    h.fake.script(
        Reply(tool_calls=[ToolCall("read_file", {"path": "shared.txt"})]),
        Reply(tool_calls=[ToolCall("edit_file", {"path": "shared.txt", "old_string": "line 2\n", "new_string": "line two\n"})]),
        Reply(text="Done."),
        SUBJECT,
    )

    outcome = await h.agent.run_turn("edit")

    assert outcome.commit
    assert git(root, "show", "HEAD:shared.txt") == ORIGINAL.replace("line 2\n", "line two\n")
    assert (root / "shared.txt").read_text() == ORIGINAL.replace("line 2\n", "line two\n").replace("line 19\n", "line 19 (mine)\n")
    assert git(root, "diff", "--cached", "--name-only").split() == ["staged.txt"]
    assert git(root, "show", ":staged.txt") == "s2\n"
    assert git(root, "show", "HEAD:staged.txt") == "s1\n"
    assert (root / "untracked.txt").read_text() == "my scratch\n"
    assert "untracked.txt" in git(root, "status", "--porcelain")
    assert git(root, "show", "--name-only", "--format=", "HEAD").split() == ["shared.txt"]


async def test_a_failing_pre_commit_hook_keeps_the_changes_uncommitted_and_says_why(harness, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"a.txt": "a\n"})
    hook = root / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'lint: trailing whitespace in a.txt' >&2\nexit 1\n")
    hook.chmod(0o755)
    h = harness(root, "auto")
    h.fake.script(
        Reply(tool_calls=[ToolCall("read_file", {"path": "a.txt"})]),
        Reply(tool_calls=[ToolCall("write_file", {"path": "a.txt", "content": "a  \n"})]),
        Reply(text="Done."),
        SUBJECT,
    )
    head = git(root, "rev-parse", "HEAD")

    outcome = await h.agent.run_turn("edit")

    assert outcome.commit is None and git(root, "rev-parse", "HEAD") == head
    assert (root / "a.txt").read_text() == "a  \n"
    notices = " ".join(n.message for n in h.of(Notice))
    assert "hook" in notices and "lint: trailing whitespace in a.txt" in notices
    assert not h.of(CommitCreated)


async def test_the_person_can_edit_the_commit_message_or_skip_the_commit(harness, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"a.txt": "a\n"})
    h = harness(root, "auto")
    h.fake.script(
        Reply(tool_calls=[ToolCall("read_file", {"path": "a.txt"})]),
        Reply(tool_calls=[ToolCall("write_file", {"path": "a.txt", "content": "b\n"})]),
        Reply(text="Done."),
        SUBJECT,
    )
    h.approver.answers.append(CommitDecision(True, "My own subject\n\nMy body.\n"))

    await h.agent.run_turn("edit")

    assert git(root, "log", "-1", "--format=%B").strip() == "My own subject\n\nMy body."


async def test_no_commit_leaves_accepted_changes_in_the_working_tree(harness, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"a.txt": "a\n"})
    h = harness(root, "auto", flags={"no_commit": True})
    h.fake.script(
        Reply(tool_calls=[ToolCall("read_file", {"path": "a.txt"})]),
        Reply(tool_calls=[ToolCall("write_file", {"path": "a.txt", "content": "b\n"})]),
        Reply(text="Done."),
    )
    head = git(root, "rev-parse", "HEAD")

    outcome = await h.agent.run_turn("edit")

    assert outcome.commit is None and git(root, "rev-parse", "HEAD") == head
    assert (root / "a.txt").read_text() == "b\n"
    assert h.fake.pending == 0  # no commit subject was asked for


async def test_the_trailer_can_be_switched_off(harness, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"a.txt": "a\n"})
    h = harness(root, "auto", flags={"commit.trailer": False})
    h.fake.script(
        Reply(tool_calls=[ToolCall("read_file", {"path": "a.txt"})]),
        Reply(tool_calls=[ToolCall("write_file", {"path": "a.txt", "content": "b\n"})]),
        Reply(text="Done."),
        SUBJECT,
    )

    await h.agent.run_turn("edit")

    message = git(root, "log", "-1", "--format=%B")
    assert message.startswith("Rename two lines\n") and "a.txt" in message
    assert "hunk" not in message and "Assisted" not in message


def test_review_request_lists_every_hunk(tmp_path: Path) -> None:
    from hunk.workspace.changeset import FileChange
    from hunk.workspace.diff import file_diff

    diff = file_diff(FileChange("n.txt", ORIGINAL.encode(), EDITED.encode(), 0o100644, 0o100644))
    review = ChangeReview((diff,), "before_write")
    assert review.files[0].decision_count == 2


async def test_a_rejected_new_file_in_new_folders_leaves_no_folder_behind(harness, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"a.txt": "a\n"})
    h = harness(root, "review")
    h.fake.script(
        Reply(tool_calls=[ToolCall("write_file", {"path": "deep/er/new.txt", "content": "new\n"})]),
        Reply(text="Added."),
    )
    h.approver.answers.append(hunks(False))

    await h.agent.run_turn("add a file")

    assert not (root / "deep").exists()
    assert git(root, "status", "--porcelain", "--untracked-files=all") == ""


def tangled_repo(tmp_path: Path) -> Path:
    root = make_repo(tmp_path / "repo", {"shared.txt": ORIGINAL})
    (root / "shared.txt").write_text(ORIGINAL.replace("line 5\n", "line 5 (mine)\n"))  # uncommitted
    return root


def tangled_session() -> list[Reply]:
    return [
        Reply(tool_calls=[ToolCall("read_file", {"path": "shared.txt"})]),
        # the agent rewrites the very line the user edited
        Reply(tool_calls=[ToolCall("edit_file", {"path": "shared.txt", "old_string": "line 5 (mine)\n", "new_string": "line five\n"})]),
        Reply(text="Done."),
        SUBJECT,
    ]


def test_under_yes_a_change_tangled_with_the_users_edit_stays_uncommitted_and_is_named(fake, tmp_path: Path) -> None:
    from tests.gitrepo import hunk_env, run_hunk

    root = tangled_repo(tmp_path)
    fake.script(*tangled_session())
    head = git(root, "rev-parse", "HEAD")
    env = hunk_env(tmp_path / "home", ANTHROPIC_BASE_URL=fake.url, ANTHROPIC_API_KEY="test-key")

    done = run_hunk(root, env, "run", "--yes", "-m", "anthropic:claude-haiku-4-5", "edit line 5")

    assert done.returncode == 0, done.stderr
    assert git(root, "rev-parse", "HEAD") == head
    assert (root / "shared.txt").read_text() == ORIGINAL.replace("line 5\n", "line five\n")
    assert "shared.txt: the agent's change overlaps your own uncommitted edits; left uncommitted" in done.stderr
    assert fake.pending == 1  # no commit subject was asked for: nothing was left to commit


async def test_a_person_may_commit_a_tangled_file_whole(harness, tmp_path: Path) -> None:
    from hunk.agent.approval import EntangledChange, EntangledDecision

    root = tangled_repo(tmp_path)
    h = harness(root, "ask")
    h.fake.script(*tangled_session())
    h.approver.answers += [hunks(True), EntangledDecision(commit_whole=True)]

    outcome = await h.agent.run_turn("edit line 5")

    assert [r.paths for r in h.approver.asked if isinstance(r, EntangledChange)] == [("shared.txt",)]
    assert outcome.commit
    assert git(root, "show", "HEAD:shared.txt") == ORIGINAL.replace("line 5\n", "line five\n")
    assert git(root, "status", "--porcelain") == ""


async def test_a_command_allowed_always_runs_unasked_the_next_time_and_a_deny_rule_still_wins(harness, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"a.txt": "a\n", "b.txt": "b\n"})
    (root / ".hunk.toml").write_text('[commands]\ndeny = ["rm -f b.txt"]\n')
    h = harness(root, "ask", flags={"sandbox": "off"})  # in the sandbox, rm would not ask
    h.fake.script(
        Reply(tool_calls=[ToolCall("run_command", {"command": "rm -f a.txt"})]),
        Reply(tool_calls=[ToolCall("run_command", {"command": "rm  -f   a.txt"})]),
        Reply(tool_calls=[ToolCall("run_command", {"command": "rm -f b.txt"})]),
        Reply(text="done"),
        Reply(text="Remove a.txt"),  # the commit subject
    )
    h.approver.answers.append(CommandDecision(allow=True, remember=True))
    h.approver.answers.append(hunks(True))  # the deletion of a.txt, reviewed

    await h.agent.run_turn("remove the files")

    assert [c.command for c in h.approver.commands()] == ["rm -f a.txt"]  # asked once, then remembered
    assert (root / "b.txt").exists()  # the deny rule wins over anything remembered
    last = h.fake.bodies("/v1/messages")[3]["messages"][-1]["content"][0]
    assert last["is_error"] is True and "rm -f b.txt" in json.dumps(last)
