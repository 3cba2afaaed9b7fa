"""`hunk run --plan` end to end, once per wire protocol: the scripted model tries to write, edit
and run commands that change files; plan mode refuses them all (the tools offered, then the
dispatcher) and the repository stays byte-identical, `.git` included."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_run_protocols import PROTOCOLS
from tests.fakeserver import FakeProvider, Reply, ToolCall
from tests.gitrepo import git, hunk_env, make_repo, run_hunk

PLAN = "# Plan\n\n1. Rename `greet` to `welcome` in app.py.\n2. Run the tests.\n"
APP = 'def greet(name):\n    return "Hello, " + name\n'


def tree_bytes(root: Path) -> dict[str, bytes]:
    """Every file under the root, `.git` included, except git's index cache (a `git status`
    may refresh its timestamps; the index's content is compared through `ls-files --stage`) and
    `.git/hunk/`, hunk's own scratch state (the journal, the keep of the person's files)."""
    files = {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.relative_to(root).as_posix().startswith(".git/hunk/")
    }
    files.pop(".git/index", None)
    files["(index)"] = git(root, "ls-files", "--stage", "--debug").encode()
    return files


def offered_tools(body: dict, protocol: str) -> set[str]:
    if protocol == "openai-chat":
        return {tool["function"]["name"] for tool in body["tools"]}
    return {tool["name"] for tool in body["tools"]}


def sent_tool_results(fake: FakeProvider) -> str:
    """Everything the model was sent, as text (the refusals are in there)."""
    return json.dumps(fake.bodies()[-1], ensure_ascii=False)


@pytest.mark.parametrize("protocol", sorted(PROTOCOLS))
def test_run_plan_refuses_every_write_and_leaves_the_repository_byte_identical(protocol: str, fake: FakeProvider, tmp_path: Path) -> None:
    model, env_for = PROTOCOLS[protocol]
    root = make_repo(tmp_path / "repo", {"app.py": APP, "notes.txt": "b\na\na\n"})
    (root / "app.py").write_text(APP + "# the person's own edit\n")  # uncommitted work
    (root / "scratch.txt").write_text("untracked, the person's\n")
    before = tree_bytes(root)
    fake.script(
        Reply(tool_calls=[ToolCall("read_file", {"path": "app.py"})]),
        Reply(
            text="Trying to change things anyway.",
            tool_calls=[
                ToolCall("write_file", {"path": "app.py", "content": "gone\n"}),
                ToolCall("edit_file", {"path": "app.py", "old_string": "greet", "new_string": "welcome"}),
                ToolCall("run_command", {"command": "touch made.txt"}),
                ToolCall("run_command", {"command": "uniq notes.txt out.txt"}),  # "read-only", yet it writes
                ToolCall("run_command", {"command": "cat notes.txt"}),
            ],
        ),
        Reply(text=PLAN),
    )
    env = hunk_env(tmp_path / "home", **env_for(fake.url))

    done = run_hunk(root, env, "run", "--plan", "--json", "-m", model, "rename greet")

    assert done.returncode == 0, done.stderr
    assert tree_bytes(root) == before
    events = [json.loads(line) for line in done.stdout.splitlines()]
    assert events[0]["type"] == "session.started" and events[0]["approval"] == "plan"
    outputs = {e["call_id"]: (e["name"], e["is_error"], e["output"]) for e in events if e["type"] == "tool.finished"}
    by_name = list(outputs.values())
    writes = [(n, out) for n, is_error, out in by_name if n in ("write_file", "edit_file")]
    assert len(writes) == 2 and all("plan mode, where nothing may be changed" in out for _, out in writes)
    touch, uniq, cat = [out for n, _, out in by_name if n == "run_command"]
    # in the read-only sandbox (bubblewrap here) the command runs and its write fails;
    # without one it is refused for its danger class
    assert "Read-only file system" in touch or "only commands that change nothing" in touch
    assert "Read-only file system" in uniq or "put them back" in uniq
    assert "b\na\n" in cat
    assert next(e for e in events if e["type"] == "plan.proposed")["plan"] == PLAN.strip()
    assert next(e for e in events if e["type"] == "plan.decided")["action"] == "keep"
    assert not any(e["type"] in ("change.proposed", "commit.created") for e in events)
    for body in fake.bodies():
        assert offered_tools(body, protocol) == {"read_file", "list_files", "search_files", "run_command", "todo_write"}
    assert "plan mode" in sent_tool_results(fake)
    assert fake.pending == 0


def test_run_plan_prints_the_plan_and_says_nothing_changed(fake: FakeProvider, tmp_path: Path) -> None:
    model, env_for = PROTOCOLS["anthropic"]
    root = make_repo(tmp_path / "repo", {"app.py": APP})
    fake.script(Reply(text=PLAN))

    done = run_hunk(root, hunk_env(tmp_path / "home", **env_for(fake.url)), "run", "--plan", "-m", model, "plan it")

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == PLAN.strip()
    assert "plan mode: nothing was changed" in done.stderr
    assert git(root, "status", "--porcelain") == ""


@pytest.mark.parametrize("argv", [["--plan"], ["run", "--plan", "x"], ["--yes", "run", "--plan", "x"], ["--approval", "plan"]])
def test_plan_flag_means_the_plan_mode_on_hunk_and_hunk_run(argv: list[str]) -> None:
    from hunk.cli.flags import flags
    from hunk.cli.parser import build_parser

    assert flags(build_parser().parse_args(argv))["approval"] == "plan"
