"""Hooks in the real agent loop, with real hook scripts: the real Anthropic SDK against the fake
server, a real git repository, and the person answering from a script."""

from __future__ import annotations

import asyncio
import json
import stat
from pathlib import Path

from hunk.agent.approval import ChangeReview
from hunk.values.events import CommitCreated, Notice, TurnFailed
from tests.agent.conftest import hunks
from tests.fakeserver import Reply, ToolCall
from tests.gitrepo import git, make_repo

GUARD = 'command=$(python3 -c "import json,sys; print(json.load(sys.stdin)[\'tool_input\'][\'command\'])")\ncase "$command" in *"rm -rf"*) echo "rm -rf is forbidden in this project; delete files one by one" >&2; exit 2;; esac\n'
SECRET_SCAN = 'if python3 -c "import json,sys; sys.exit(0 if \'SECRET\' in json.load(sys.stdin)[\'diff\'] else 1)"; then echo "the diff holds a secret (SECRET)" >&2; exit 2; fi\n'
# a formatter: trailing spaces off every edited file
FORMATTER = 'path=$(python3 -c "import json,sys; print(json.load(sys.stdin)[\'tool_input\'][\'path\'])")\nsed -i \'s/[ ]*$//\' "$path"\n'


def hook_script(folder: Path, name: str, body: str) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("#!/usr/bin/env bash\n" + body)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


def user_config(tmp_path: Path, text: str) -> None:
    path = tmp_path / "home" / ".config" / "hunk" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def results_in(body: dict) -> str:
    return json.dumps(body["messages"][-1])


async def test_a_pre_tool_use_hook_blocks_rm_rf_and_the_model_gets_the_reason(harness, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"build/out.txt": "built\n"})
    guard = hook_script(tmp_path / "hooks", "guard.sh", GUARD)
    user_config(tmp_path, f'[[hooks.PreToolUse]]\nmatcher = "run_command"\ncommand = "{guard}"\n')
    h = harness(root, "auto")
    h.fake.script(
        Reply(tool_calls=[ToolCall("run_command", {"command": "rm -rf build"})]),
        Reply(tool_calls=[ToolCall("run_command", {"command": "echo fine > ok.txt"})]),
        Reply(text="Done."),
        Reply(text="Add ok.txt"),
    )

    outcome = await h.agent.run_turn("clean up")

    assert (root / "build" / "out.txt").read_text() == "built\n"  # the command did not run
    bodies = h.fake.bodies("/v1/messages")
    blocked = results_in(bodies[1])
    assert "blocked this call" in blocked and "rm -rf is forbidden in this project; delete files one by one" in blocked
    assert (root / "ok.txt").read_text() == "fine\n"  # other commands still run
    assert any("PreToolUse hook blocked run_command" in e.message for e in h.of(Notice))
    assert outcome.status == "done"


async def test_a_pre_commit_hook_vetoes_a_diff_holding_a_secret(harness, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"config.py": "TOKEN = None\n"})
    scan = hook_script(tmp_path / "hooks", "scan.sh", SECRET_SCAN)
    user_config(tmp_path, f'[[hooks.PreCommit]]\ncommand = "{scan}"\n')
    h = harness(root, "auto")
    head = git(root, "rev-parse", "HEAD")
    h.fake.script(
        Reply(tool_calls=[ToolCall("read_file", {"path": "config.py"})]),
        Reply(tool_calls=[ToolCall("edit_file", {"path": "config.py", "old_string": "None", "new_string": '"SECRET-123"'})]),
        Reply(text="Set the token."),
        Reply(text="Set the token"),
        Reply(text="Understood."),
    )

    outcome = await h.agent.run_turn("set the token")

    assert outcome.commit is None and git(root, "rev-parse", "HEAD") == head and not h.of(CommitCreated)
    assert (root / "config.py").read_text() == 'TOKEN = "SECRET-123"\n'  # kept in the working tree
    told = [e.message for e in h.of(Notice) if "PreCommit" in e.message]
    assert told == ["not committed: a PreCommit hook refused (the diff holds a secret (SECRET)); the accepted changes stay in the working tree, uncommitted"]
    await h.agent.run_turn("why no commit?")
    assert "refused to commit your accepted changes" in results_in(h.fake.bodies("/v1/messages")[-1])


async def test_a_pre_commit_hook_may_rewrite_the_message(harness, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"a.txt": "a\n"})
    ticket = hook_script(tmp_path / "hooks", "ticket.sh", """python3 -c 'import json,sys; m=json.load(sys.stdin)["message"]; print(json.dumps({"message": "[T-7] " + m}))'\n""")
    user_config(tmp_path, f'[[hooks.PreCommit]]\ncommand = "{ticket}"\n')
    h = harness(root, "auto")
    h.fake.script(
        Reply(tool_calls=[ToolCall("read_file", {"path": "a.txt"})]),
        Reply(tool_calls=[ToolCall("write_file", {"path": "a.txt", "content": "b\n"})]),
        Reply(text="Done."),
        Reply(text="Write b"),
    )
    outcome = await h.agent.run_turn("write b")
    assert outcome.commit and git(root, "log", "-1", "--format=%s").strip() == "[T-7] Write b"


async def test_a_post_tool_use_formatter_s_changes_are_reviewed_hunk_by_hunk(harness, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"a.py": "x = 1\n"})
    fmt = hook_script(tmp_path / "hooks", "fmt.sh", FORMATTER)
    user_config(tmp_path, f'[[hooks.PostToolUse]]\nmatcher = "write_file|edit_file"\ncommand = "{fmt}"\n')
    h = harness(root, "ask")
    written = "x = 1   \ny = 2\n"
    h.fake.script(
        Reply(tool_calls=[ToolCall("read_file", {"path": "a.py"})]),
        Reply(tool_calls=[ToolCall("write_file", {"path": "a.py", "content": written})]),
        Reply(text="Done."),
        Reply(text="Add y"),
    )
    h.approver.answers += [hunks(True), hunks(False)]  # the model's change yes, the formatter's no

    outcome = await h.agent.run_turn("add y")

    first, second = h.approver.reviews()
    assert first.phase == "before_write"
    assert second.phase == "side_effects" and second.reason == "PostToolUse hook after write_file"
    assert "-x = 1   \n+x = 1\n" in second.files[0].text
    assert (root / "a.py").read_text() == written  # the rejected formatter hunk was rolled back
    assert git(root, "show", "HEAD:a.py") == written and outcome.commit
    told = results_in(h.fake.bodies("/v1/messages")[2])
    assert "PostToolUse hook after write_file" in told and "rejected" in told


async def test_a_hook_that_times_out_is_stopped_and_the_call_goes_on(harness, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"a.txt": "a\n"})
    slow = hook_script(tmp_path / "hooks", "slow.sh", "sleep 30\n")
    user_config(tmp_path, f'[[hooks.PreToolUse]]\ncommand = "{slow}"\ntimeout_s = 0.5\n')
    h = harness(root, "auto")
    h.fake.script(Reply(tool_calls=[ToolCall("read_file", {"path": "a.txt"})]), Reply(text="Read it."))

    outcome = await h.agent.run_turn("read a")

    assert outcome.status == "done"
    result = h.fake.bodies("/v1/messages")[1]["messages"][-1]["content"][0]
    assert result["content"] == "    1\ta" and not result["is_error"]  # the read ran, unblocked
    assert any("timed out after 0.5 s and was stopped" in e.message for e in h.of(Notice))


async def test_a_repository_s_hooks_are_ignored_until_it_is_trusted(harness, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"a.txt": "a\n"})
    marker = tmp_path / "hook-ran"
    (root / ".hunk.toml").write_text(f'[[hooks.PreToolUse]]\ncommand = "touch {marker}; echo no >&2; exit 2"\n')
    (root / ".claude").mkdir()
    (root / ".claude" / "settings.json").write_text(
        json.dumps({"hooks": {"PreToolUse": [{"matcher": "Read", "hooks": [{"type": "command", "command": f"touch {marker}; exit 2"}]}]}})
    )
    script = [Reply(tool_calls=[ToolCall("read_file", {"path": "a.txt"})]), Reply(text="Read it.")]

    untrusted = harness(root, "auto")
    untrusted.fake.script(*script)
    await untrusted.agent.run_turn("read a")
    assert not marker.exists()
    said = [e.message for e in untrusted.of(Notice) if "not trusted" in e.message]
    assert said == [f"hooks in {root}/.hunk.toml:1, .claude/settings.json were not run: this repository is not trusted (add it to trusted_repos in ~/.config/hunk/config.toml to run them)"]

    user_config(tmp_path, f'trusted_repos = ["{root}"]\n')
    trusted = harness(root, "auto")
    trusted.fake.script(*script)
    await trusted.agent.run_turn("read a")
    assert marker.exists()
    assert "blocked this call" in results_in(trusted.fake.bodies("/v1/messages")[-1])


async def test_prompt_hooks_add_context_and_a_stop_hook_sends_the_model_back_once(harness, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"a.txt": "a\n"})
    flag = tmp_path / "stopped-once"
    stop = hook_script(tmp_path / "hooks", "stop.sh", f'[ -e {flag} ] && exit 0\ntouch {flag}\necho "run the tests first" >&2\nexit 2\n')
    start = hook_script(tmp_path / "hooks", "start.sh", "echo 'branch: feature/x'\n")
    user_config(tmp_path, f'[[hooks.SessionStart]]\ncommand = "{start}"\n[[hooks.Stop]]\ncommand = "{stop}"\n')
    h = harness(root, "auto")
    h.fake.script(Reply(text="All done."), Reply(text="Tests pass, done."))

    await h.agent.run_turn("hello")

    first, second = h.fake.bodies("/v1/messages")
    assert "branch: feature/x" in json.dumps(first["messages"][0]) and "SessionStart" in json.dumps(first["messages"][0])
    assert "run the tests first" in results_in(second)
    assert len(h.fake.bodies("/v1/messages")) == 2


async def test_a_user_prompt_submit_hook_refuses_a_prompt_before_the_model_sees_it(harness, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"a.txt": "a\n"})
    gate = hook_script(tmp_path / "hooks", "gate.sh", 'grep -q "password" && { echo "prompts may not carry passwords" >&2; exit 2; }\nexit 0\n')
    user_config(tmp_path, f'[[hooks.UserPromptSubmit]]\ncommand = "{gate}"\n')
    h = harness(root, "auto")

    outcome = await h.agent.run_turn("log in with password hunter2")

    assert outcome.status == "failed" and outcome.error == "prompts may not carry passwords"
    assert h.fake.bodies("/v1/messages") == [] and h.agent.history == []
    assert [e.message for e in h.of(TurnFailed)] == ["a UserPromptSubmit hook refused the prompt: prompts may not carry passwords"]


async def test_change_proposed_sees_each_diff_first_and_may_refuse_it_hunks_decided_hears_the_verdicts(harness, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"a.txt": "a\n", "b.txt": "b\n"})
    log = tmp_path / "decided.jsonl"
    only_a = hook_script(tmp_path / "hooks", "only_a.sh", 'python3 -c "import json,sys; d=json.load(sys.stdin); sys.exit(0 if d[\'path\'] == \'a.txt\' else 2)" || { echo "only a.txt may change" >&2; exit 2; }\n')
    decided = hook_script(tmp_path / "hooks", "decided.sh", f"cat >> {log}\necho >> {log}\n")
    user_config(tmp_path, f'[[hooks.ChangeProposed]]\ncommand = "{only_a}"\n[[hooks.HunksDecided]]\ncommand = "{decided}"\n')
    h = harness(root, "ask")
    h.fake.script(
        Reply(tool_calls=[ToolCall("read_file", {"path": "a.txt"}), ToolCall("read_file", {"path": "b.txt"})]),
        Reply(tool_calls=[ToolCall("write_file", {"path": "b.txt", "content": "B\n"}), ToolCall("write_file", {"path": "a.txt", "content": "A\n"})]),
        Reply(text="Done."),
        Reply(text="Capitalise a"),
    )
    h.approver.answers.append(hunks(True))

    await h.agent.run_turn("capitalise")

    assert (root / "b.txt").read_text() == "b\n" and (root / "a.txt").read_text() == "A\n"
    assert [r.files[0].path for r in h.approver.reviews()] == ["a.txt"]  # the person never saw b.txt
    told = results_in(h.fake.bodies("/v1/messages")[2])
    assert "ChangeProposed hook of the project refused your change to b.txt" in told and "only a.txt may change" in told
    [record] = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    assert (record["hook_event_name"], record["path"], record["accepted"], record["rejected"]) == ("HunksDecided", "a.txt", 1, 0)


async def test_a_notification_hook_hears_when_hunk_waits_for_the_person(harness, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"a.txt": "a\n"})
    heard = tmp_path / "heard.json"
    alert = hook_script(tmp_path / "hooks", "alert.sh", f"cat > {heard}\n")
    user_config(tmp_path, f'[[hooks.Notification]]\ncommand = "{alert}"\n')
    h = harness(root, "ask")
    h.fake.script(
        Reply(tool_calls=[ToolCall("read_file", {"path": "a.txt"})]),
        Reply(tool_calls=[ToolCall("write_file", {"path": "a.txt", "content": "b\n"})]),
        Reply(text="Done."),
        Reply(text="Write b"),
    )
    h.approver.answers.append(hunks(True))

    await h.agent.run_turn("write b")
    for _ in range(200):  # the alert runs beside the session, not in its way
        if heard.exists() and heard.read_text():
            break
        await asyncio.sleep(0.02)

    payload = json.loads(heard.read_text())
    assert payload["notification_type"] == "permission_prompt" and payload["message"].startswith("hunk is waiting for your answer")
