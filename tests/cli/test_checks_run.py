"""`hunk run` with `[checks]` end to end: the scripted model keeps a checklist, a failing check's
output reaches it, it fixes the code, the check passes; all of it in `--json` and in the
printed output."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_run_protocols import PROTOCOLS
from tests.fakeserver import FakeProvider, Reply, ToolCall
from tests.gitrepo import git, hunk_env, make_repo, run_hunk

APP = "def greet(name):\n    return 'Hello, ' + name\n"
CHECKS = '[checks]\ncommands = ["! grep -Hn FIXME {files}"]\n'


def session() -> list[Reply]:
    steps = [{"content": "Change the greeting", "status": "in_progress"}, {"content": "Pass the checks", "status": "pending"}]
    done = [{"content": "Change the greeting", "status": "done"}, {"content": "Pass the checks", "status": "done"}]
    return [
        Reply(tool_calls=[ToolCall("todo_write", {"todos": steps}), ToolCall("read_file", {"path": "app.py"})]),
        Reply(tool_calls=[ToolCall("edit_file", {"path": "app.py", "old_string": "'Hello, '", "new_string": "'Hi, '  # FIXME"})]),
        Reply(text="Done."),
        Reply(tool_calls=[ToolCall("edit_file", {"path": "app.py", "old_string": "  # FIXME", "new_string": ""}), ToolCall("todo_write", {"todos": done})]),
        Reply(text="Fixed."),
        Reply(text="Say hi"),
    ]


def configured(tmp_path: Path, fake: FakeProvider) -> tuple[Path, dict[str, str]]:
    home = tmp_path / "home"
    (home / ".config" / "hunk").mkdir(parents=True)
    (home / ".config" / "hunk" / "config.toml").write_text(CHECKS)
    root = make_repo(tmp_path / "repo", {"app.py": APP})
    return root, hunk_env(home, **PROTOCOLS["anthropic"][1](fake.url))


def test_json_carries_the_checklist_and_each_check_and_the_model_fixes_what_failed(fake: FakeProvider, tmp_path: Path) -> None:
    root, env = configured(tmp_path, fake)
    fake.script(*session())

    done = run_hunk(root, env, "run", "--yes", "--json", "-m", "anthropic:claude-haiku-4-5", "say hi")

    assert done.returncode == 0, done.stderr
    events = [json.loads(line) for line in done.stdout.splitlines()]
    todos = [e["items"] for e in events if e["type"] == "todo.updated"]
    assert [[item["status"] for item in items] for items in todos] == [["in_progress", "pending"], ["done", "done"]]
    checks = [e for e in events if e["type"] == "check.finished"]
    assert [(c["passed"], c["exit_code"], c["files"], c["failed_files"], c["attempt"]) for c in checks] == [
        (False, 1, ["app.py"], ["app.py"], 1),
        (True, 0, ["app.py"], [], 2),
    ]
    assert "app.py:2:    return 'Hi, '  # FIXME" in checks[0]["output"]
    told = json.dumps(fake.bodies("/v1/messages")[3]["messages"][-1])
    assert "failed (attempt 1 of 3)" in told and "# FIXME" in told
    assert git(root, "show", "HEAD:app.py") == APP.replace("'Hello, '", "'Hi, '")


def test_the_printer_shows_the_checklist_and_the_checks(fake: FakeProvider, tmp_path: Path) -> None:
    root, env = configured(tmp_path, fake)
    fake.script(*session())

    done = run_hunk(root, env, "run", "--yes", "-m", "anthropic:claude-haiku-4-5", "say hi")

    assert done.returncode == 0, done.stderr
    assert "todo\n  ◐ Change the greeting\n  ☐ Pass the checks" in done.stderr
    assert "✗ check ! grep -Hn FIXME app.py  exit 1  (app.py)" in done.stderr
    assert "✓ check ! grep -Hn FIXME app.py" in done.stderr
    assert "todo\n  ☑ Change the greeting\n  ☑ Pass the checks" in done.stderr
