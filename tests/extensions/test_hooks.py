"""Real hook scripts: what they receive on stdin, and what their exit and output mean."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from hunk.extensions.hook_config import HookSetup, HookSpec
from hunk.extensions.hooks import Hooks
from tests.extensions.conftest import script


def hooks_for(repo: Path, env: dict[str, str], *specs: HookSpec) -> Hooks:
    return Hooks(HookSetup(list(specs)), root=repo, env=env, session_id="s-1")


async def test_a_hook_gets_one_json_object_on_stdin_and_runs_in_the_repository(repo: Path, env: dict[str, str], tmp_path: Path) -> None:
    seen = tmp_path / "seen.json"
    hook = script(tmp_path, "record.sh", f'cat > {seen}\npwd >> {seen}.cwd\nenv > {seen}.env\n')
    hooks = hooks_for(repo, {**env, "ANTHROPIC_API_KEY": "sk-secret"}, HookSpec("PreToolUse", str(hook), "run_command"))

    effect = await hooks.fire("PreToolUse", "run_command", tool_name="run_command", tool_input={"command": "ls"})

    assert effect.blocked is None and effect.notices == []
    assert json.loads(seen.read_text()) == {
        "session_id": "s-1",
        "cwd": str(repo),
        "hook_event_name": "PreToolUse",
        "tool_name": "run_command",
        "tool_input": {"command": "ls"},
    }
    assert Path(f"{seen}.cwd").read_text().strip() == str(repo)
    hook_env = Path(f"{seen}.env").read_text()
    assert "sk-secret" not in hook_env and f"HUNK_PROJECT_DIR={repo}" in hook_env


async def test_exit_2_blocks_with_stderr_as_the_reason_and_later_hooks_do_not_run(repo: Path, env: dict[str, str], tmp_path: Path) -> None:
    guard = script(tmp_path, "guard.sh", 'grep -q "rm -rf" && { echo "rm -rf is not allowed here" >&2; exit 2; }\nexit 0\n')
    later = script(tmp_path, "later.sh", f"touch {tmp_path}/later-ran\n")
    hooks = hooks_for(repo, env, HookSpec("PreToolUse", str(guard)), HookSpec("PreToolUse", str(later)))

    effect = await hooks.fire("PreToolUse", "run_command", tool_name="run_command", tool_input={"command": "rm -rf build"})

    assert effect.blocked == "rm -rf is not allowed here" and effect.blocked_by == str(guard)
    assert not (tmp_path / "later-ran").exists()
    allowed = await hooks.fire("PreToolUse", "run_command", tool_name="run_command", tool_input={"command": "ls"})
    assert allowed.blocked is None and (tmp_path / "later-ran").exists()


async def test_json_stdout_adds_context_blocks_or_rewrites_the_commit_message(repo: Path, env: dict[str, str], tmp_path: Path) -> None:
    context = script(tmp_path, "ctx.sh", """echo '{"hookSpecificOutput": {"additionalContext": "tests live in t/"}}'\n""")
    deny = script(tmp_path, "deny.sh", """echo '{"hookSpecificOutput": {"permissionDecision": "deny", "permissionDecisionReason": "no network"}}'\n""")
    rewrite = script(tmp_path, "msg.sh", """python3 -c 'import json,sys; d=json.load(sys.stdin); print(json.dumps({"message": "[T-1] " + d["message"]}))'\n""")
    hooks = hooks_for(
        repo, env, HookSpec("PostToolUse", str(context)), HookSpec("PreToolUse", str(deny), "run_command"), HookSpec("PreCommit", str(rewrite)), HookSpec("PreCommit", str(rewrite))
    )

    assert (await hooks.fire("PostToolUse", "read_file", tool_name="read_file")).context == ["tests live in t/"]
    assert (await hooks.fire("PreToolUse", "run_command", tool_name="run_command")).blocked == "no network"
    assert (await hooks.fire("PreToolUse", "read_file", tool_name="read_file")).blocked is None  # matcher
    rewritten = await hooks.fire("PreCommit", diff="+x\n", message="Add x\n")
    assert rewritten.message == "[T-1] [T-1] Add x\n"  # each hook sees the message the last one left


async def test_plain_stdout_of_a_prompt_hook_is_context_for_the_model(repo: Path, env: dict[str, str], tmp_path: Path) -> None:
    hook = script(tmp_path, "branch.sh", "echo 'current ticket: T-42'\n")
    hooks = hooks_for(repo, env, HookSpec("UserPromptSubmit", str(hook)), HookSpec("PostToolUse", str(hook)))
    assert (await hooks.fire("UserPromptSubmit", prompt="fix it")).context == ["current ticket: T-42"]
    assert (await hooks.fire("PostToolUse", "read_file")).context == []


async def test_a_hook_that_times_out_is_killed_with_its_children_and_the_person_is_told(repo: Path, env: dict[str, str], tmp_path: Path) -> None:
    pids = tmp_path / "pids"
    hook = script(tmp_path, "slow.sh", f"sleep 300 &\necho $! > {pids}\nsleep 300\n")
    hooks = hooks_for(repo, env, HookSpec("PreToolUse", str(hook), timeout_s=0.5, where="~/.config/hunk/config.toml:3"))

    effect = await hooks.fire("PreToolUse", "run_command", tool_name="run_command")

    assert effect.blocked is None  # a hook that hangs does not decide anything
    [notice] = effect.notices
    assert notice.startswith("PreToolUse hook `/") and "`" in notice  # the command, cut to a line
    assert notice.endswith("(~/.config/hunk/config.toml:3) timed out after 0.5 s and was stopped; going on without it")
    child = int(pids.read_text())
    for _ in range(100):  # the group was sent SIGKILL; give the kernel a moment to reap it
        if not _alive(child):
            break
        time.sleep(0.02)
    assert not _alive(child)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    state = Path(f"/proc/{pid}/stat").read_text().split()[2] if Path(f"/proc/{pid}/stat").exists() else "X"
    return state not in ("Z", "X")


async def test_other_failures_are_told_and_do_not_block(repo: Path, env: dict[str, str], tmp_path: Path) -> None:
    broken = script(tmp_path, "broken.sh", "echo 'jq: not found' >&2\nexit 127\n")
    hooks = hooks_for(repo, env, HookSpec("Stop", str(broken), where="x"), HookSpec("Stop", str(tmp_path / "missing.sh"), where="y"))
    effect = await hooks.fire("Stop")
    assert effect.blocked is None
    assert effect.notices[0].startswith("Stop hook `") and effect.notices[0].endswith("` (x) failed (exit 127): jq: not found")
    assert "` (y) failed (exit 127)" in effect.notices[1]


async def test_a_claude_hook_sees_claude_s_tool_names(repo: Path, env: dict[str, str], tmp_path: Path) -> None:
    seen = tmp_path / "seen.json"
    hook = script(tmp_path, "record.sh", f"cat > {seen}\n")
    hooks = hooks_for(repo, env, HookSpec("PostToolUse", str(hook), "Edit|Write", flavour="claude"))
    await hooks.fire("PostToolUse", "edit_file", tool_name="edit_file", tool_input={"path": "a.py"})
    payload = json.loads(seen.read_text())
    assert payload["tool_name"] == "Edit" and payload["tool_input"] == {"path": "a.py", "file_path": "a.py"}


async def test_a_hook_that_ignores_its_input_still_runs(repo: Path, env: dict[str, str], tmp_path: Path) -> None:
    hook = script(tmp_path, "quiet.sh", "exit 0\n")
    effect = await hooks_for(repo, env, HookSpec("Stop", str(hook))).fire("Stop", transcript="x" * 500_000)
    assert effect.blocked is None and effect.notices == []



async def test_a_hook_runs_inside_the_command_sandbox_when_one_is_given(repo: Path, env: dict[str, str], tmp_path: Path) -> None:
    from hunk.policy.sandbox import Sandbox

    sandbox = Sandbox("workspace-write", repo)
    assert sandbox.active, sandbox.problem  # real bubblewrap
    seen = repo / "seen.json"
    hook = script(tmp_path / "hooks", "write.sh", f"cat > {seen}\necho out > {tmp_path}/outside.txt || echo 'denied' >&2\n")
    hooks = Hooks(HookSetup([HookSpec("Stop", str(hook))]), root=repo, env=env, wrap=sandbox.wrap)

    effect = await hooks.fire("Stop", stop_hook_active=False)

    assert json.loads(seen.read_text())["hook_event_name"] == "Stop"  # stdin and the tree work inside
    assert not (tmp_path / "outside.txt").exists() and effect.blocked is None
