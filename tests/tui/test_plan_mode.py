"""Plan mode in the TUI with the real agent (the Anthropic SDK against the fake server) and a
real git repository: Shift+Tab into plan mode, a checklist above the prompt, a refused write,
the plan edited in $EDITOR, approved, and implemented in ask mode."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from hunk.agent.approval import ChangeReview
from hunk.agent.assemble import RunSpec, build_agent
from hunk.journal.journal import SessionStore
from hunk.settings.config import load_config
from hunk.tui.app import create_app
from hunk.tui.screens.change import ChangeScreen
from hunk.tui.screens.commit import CommitScreen
from hunk.tui.screens.plan import PlanScreen
from hunk.tui.screens.review import ReviewScreen
from tests.fakeserver import FakeProvider, Reply, ToolCall
from tests.gitrepo import git, make_repo
from tests.tui.fakes import make_app, send, settle

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")

APP = "def greet(name):\n    return 'Hello, ' + name\n"
PLAN = "# Plan\n\n1. Rename greet to welcome.\n"
TODOS = [{"content": "Find the callers", "status": "done"}, {"content": "Write the plan", "status": "in_progress"}]


def real_app(root: Path, fake: FakeProvider, tmp_path: Path):  # type: ignore[no-untyped-def]
    env = {"HOME": str(tmp_path / "home"), "ANTHROPIC_BASE_URL": fake.url, "ANTHROPIC_API_KEY": "test-key"}
    config = load_config(root, env, {"model": "anthropic:claude-haiku-4-5"})
    journal = SessionStore(tmp_path / "state", root).create()
    spec = RunSpec(root=root, config=config, mode="ask", journal=journal, on_interrupt="review", env=env)
    return create_app(
        agent_factory=lambda approver, sink: build_agent(spec, approver, sink),
        repo_label=root.name, branch="main", model="anthropic:claude-haiku-4-5", mode="ask", root=root,
        build_in_thread=False,
    )


async def wait_for(pilot, app, kind: type, tries: int = 200):  # type: ignore[no-untyped-def]
    for _ in range(tries):
        if isinstance(app.screen, kind):
            return app.screen
        await pilot.pause(0.05)
    raise AssertionError(f"no {kind.__name__}; screen is {app.screen}")


async def test_plan_mode_from_shift_tab_to_an_edited_plan_implemented_in_ask_mode(
    fake: FakeProvider, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_repo(tmp_path / "repo", {"app.py": APP})
    editor = tmp_path / "editor.py"
    editor.write_text("import sys\nopen(sys.argv[1], 'a').write('2. Added by the person.\\n')\n")
    monkeypatch.setenv("EDITOR", f"{sys.executable} {editor}")
    fake.script(
        Reply(tool_calls=[ToolCall("todo_write", {"todos": TODOS}), ToolCall("read_file", {"path": "app.py"})]),
        Reply(tool_calls=[ToolCall("write_file", {"path": "app.py", "content": "gone\n"})]),
        Reply(text=PLAN),
        Reply(tool_calls=[ToolCall("edit_file", {"path": "app.py", "old_string": "greet", "new_string": "welcome"})]),
        Reply(text="Done."),
        Reply(text="Rename greet to welcome"),
    )
    app = real_app(root, fake, tmp_path)
    async with app.run_test(size=(110, 36)) as pilot:
        await settle(pilot, app)
        await pilot.press("shift+tab")
        await pilot.pause(0.1)
        assert app.agent.mode == "plan" and app.chat.status.mode == "plan"
        await send(pilot, "rename greet")
        plan_screen = await wait_for(pilot, app, PlanScreen)
        todos = app.chat.todos
        assert todos.display and "☑ Find the callers" in str(todos.render()) and "◐ Write the plan" in str(todos.render())
        assert (root / "app.py").read_text() == APP  # the write was refused
        await pilot.press("e")
        await pilot.pause(0.1)
        assert plan_screen.plan.endswith("2. Added by the person.\n")
        await pilot.press("y")
        await wait_for(pilot, app, ChangeScreen)
        await pilot.press("exclamation_mark", "q")
        await wait_for(pilot, app, CommitScreen)
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.chat.status.mode == "ask" and app.agent.mode == "ask"
    refused = json.dumps(fake.bodies("/v1/messages")[2]["messages"][-1])
    assert "plan mode, where nothing may be changed" in refused
    implement = json.dumps(fake.bodies("/v1/messages")[3]["messages"])
    assert "Added by the person" in implement and "Rename greet to welcome." in implement
    assert git(root, "show", "HEAD:app.py") == APP.replace("greet", "welcome")


async def test_slash_plan_with_a_prompt_switches_mode_and_starts_the_turn(tmp_path: Path) -> None:
    seen: list[tuple[str, str]] = []

    async def script(agent, prompt, files) -> None:  # type: ignore[no-untyped-def]
        seen.append((agent.mode, prompt))

    app, built = make_app(tmp_path, script)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        await send(pilot, "/plan add a cache")
        await settle(pilot, app)
        assert app.chat.status.mode == "plan"
    assert seen == [("plan", "add a cache")]


async def test_the_review_screen_shows_each_file_s_check_results(tmp_path: Path) -> None:
    from hunk.workspace.changeset import FileChange
    from hunk.workspace.diff import file_diff

    diff = file_diff(FileChange("app.py", b"a\n", b"b\n", 0o100644, 0o100644))
    review = ChangeReview((diff,), "end_of_turn", checks={"app.py": {"ruff check {files}": True, "pytest -q": False}})

    async def script(agent, prompt, files) -> None:  # type: ignore[no-untyped-def]
        await agent.ask(review)

    app, built = make_app(tmp_path, script)
    async with app.run_test(size=(110, 30)) as pilot:
        await send(pilot, "go")
        screen = await wait_for(pilot, app, ReviewScreen)
        files = str(screen.query_one("#files").render())
        assert "✓ ruff check {files}" in files and "✗ pytest -q" in files
        await pilot.press("exclamation_mark", "q")
        await settle(pilot, app)
