"""The checks loop through the real agent: a failing check's output reaches the model, the model
fixes the code, the check passes; attempts are bounded; a repository's own checks need a yes."""

from __future__ import annotations

import json
from pathlib import Path

from hunk.agent.approval import CommandApproval, CommandDecision, accept_all
from hunk.settings import approved
from hunk.values.events import CheckFinished, Notice
from tests.agent.conftest import hunks
from tests.fakeserver import Reply, ToolCall
from tests.gitrepo import git, make_repo

APP = "def greet(name):\n    return 'Hello, ' + name\n"
CHECK = "! grep -Hn FIXME {files}"


def last_user_text(body: dict) -> str:
    return json.dumps(body["messages"][-1], ensure_ascii=False)


def fixme_session() -> list[Reply]:
    return [
        Reply(tool_calls=[ToolCall("read_file", {"path": "app.py"})]),
        Reply(tool_calls=[ToolCall("edit_file", {"path": "app.py", "old_string": "'Hello, ' + name", "new_string": "'Hi, ' + name  # FIXME"})]),
        Reply(text="Done."),
        Reply(tool_calls=[ToolCall("edit_file", {"path": "app.py", "old_string": "  # FIXME", "new_string": ""})]),
        Reply(text="Fixed the check."),
        Reply(text="Tidy greet"),  # the commit subject
    ]


async def test_a_failing_check_reaches_the_model_which_fixes_the_code_and_the_check_passes(harness, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"app.py": APP, "other.py": "# FIXME elsewhere is not checked\n"})
    h = harness(root, "auto", flags={"checks.commands": [CHECK, "true"], "checks.when": "turn"})
    h.fake.script(*fixme_session())

    outcome = await h.agent.run_turn("tidy greet")

    told = last_user_text(h.fake.bodies("/v1/messages")[3])
    assert "checks ran on the files you changed and failed (attempt 1 of 3)" in told
    assert "app.py:2:    return 'Hi, ' + name  # FIXME" in told and "other.py" not in told
    checks = h.of(CheckFinished)
    assert [(c.command, c.passed, c.attempt) for c in checks] == [
        ("! grep -Hn FIXME app.py", False, 1), ("true", True, 1),
        ("! grep -Hn FIXME app.py", True, 2), ("true", True, 2),
    ]
    assert checks[0].failed_files == ("app.py",) and checks[0].exit_code == 1 and "FIXME" in checks[0].output
    assert outcome.status == "done" and outcome.commit
    assert git(root, "show", "HEAD:app.py") == APP.replace("Hello", "Hi")
    assert h.fake.pending == 0


async def test_step_checks_answer_in_the_tool_result_and_the_review_shows_them_per_file(harness, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"app.py": APP})
    h = harness(root, "review", flags={"checks.commands": [CHECK], "checks.when": "step"})
    read, broke, _, fix, done, subject = fixme_session()
    h.fake.script(read, broke, fix, done, subject)  # the fix answers the failing step at once
    h.approver.answers.append(hunks(True))

    await h.agent.run_turn("tidy greet")

    result = last_user_text(h.fake.bodies("/v1/messages")[2])
    assert "tool_result" in result and "failed (attempt 1 of 3)" in result
    review = h.approver.reviews()[0]
    assert review.phase == "end_of_turn" and review.checks == {"app.py": {CHECK: True}}
    assert [c.passed for c in h.of(CheckFinished)] == [False, True]


async def test_attempts_are_bounded_and_the_last_failure_says_to_stop(harness, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"app.py": APP})
    h = harness(root, "auto", flags={"checks.commands": ["echo broken; false"], "checks.max_attempts": 1})
    h.fake.script(
        Reply(tool_calls=[ToolCall("read_file", {"path": "app.py"})]),
        Reply(tool_calls=[ToolCall("edit_file", {"path": "app.py", "old_string": "Hello", "new_string": "Hi"})]),
        Reply(text="Done."),
        Reply(tool_calls=[ToolCall("edit_file", {"path": "app.py", "old_string": "Hi", "new_string": "Hey"})]),
        Reply(text="It still fails: the check itself is broken."),
        Reply(text="Say hey"),
    )

    outcome = await h.agent.run_turn("say hi")

    told = last_user_text(h.fake.bodies("/v1/messages")[3])
    assert "attempt 1 of 1, the last" in told and "Don't keep trying" in told and "broken" in told
    assert len(h.of(CheckFinished)) == 1  # not run again after the last attempt
    assert outcome.status == "done"


async def test_checks_from_an_untrusted_repository_run_only_after_the_person_approves_them_once(harness, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"app.py": APP, ".hunk.toml": '[checks]\ncommands = ["touch ran-{files}.flag"]\n'})
    h = harness(root, "ask")
    h.fake.script(
        Reply(tool_calls=[ToolCall("read_file", {"path": "app.py"})]),
        Reply(tool_calls=[ToolCall("edit_file", {"path": "app.py", "old_string": "Hello", "new_string": "Hi"})]),
        Reply(text="Done."),
        Reply(text="Say hi"),
    )
    h.approver.answers += [hunks(True), CommandDecision(allow=True, remember=True), accept_all]  # the flag file too

    await h.agent.run_turn("say hi")

    asked = [r for r in h.approver.asked if isinstance(r, CommandApproval)]
    assert [a.command for a in asked] == ["touch ran-{files}.flag"] and ".hunk.toml" in asked[0].reason
    assert approved.is_approved(h.agent.runner.checker._env, root, "checks", "touch ran-{files}.flag")
    assert [c.passed for c in h.of(CheckFinished)] == [True] and (root / "ran-app.py.flag").exists()


async def test_auto_mode_skips_an_unapproved_repository_check_and_says_so(harness, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"app.py": APP, ".hunk.toml": '[checks]\ncommands = ["touch ran.flag"]\n'})
    h = harness(root, "auto")
    h.fake.script(
        Reply(tool_calls=[ToolCall("read_file", {"path": "app.py"})]),
        Reply(tool_calls=[ToolCall("edit_file", {"path": "app.py", "old_string": "Hello", "new_string": "Hi"})]),
        Reply(text="Done."),
        Reply(text="Say hi"),
    )

    await h.agent.run_turn("say hi")

    assert not (root / "ran.flag").exists() and h.of(CheckFinished) == []
    assert any("skipped the check `touch ran.flag`" in n.message for n in h.of(Notice))



async def test_the_policy_approver_accepts_every_hunk_of_a_review() -> None:
    from hunk.agent.approval import ChangeReview, PolicyApprover
    from hunk.values.diffs import FileVerdict, HunkVerdict
    from hunk.workspace.changeset import FileChange
    from hunk.workspace.diff import file_diff

    diff = file_diff(FileChange("a.txt", b"a\nb\n", b"A\nb\n", 0o100644, 0o100644))
    decision = await PolicyApprover().decide(ChangeReview((diff,), "end_of_turn"))
    assert decision.files == (FileVerdict("a.txt", (HunkVerdict(True),)),)
