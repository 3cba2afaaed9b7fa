"""The real agent, the replay provider and a real git repository behind the TUI: prompt →
streamed reply → changes proposed → per-hunk decisions → command → commit, checked in git."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from hunk.settings.config import load_config
from hunk.cli.demo import prepare_repo
from hunk.agent.assemble import RunSpec, build_agent
from hunk.journal.journal import SessionStore
from hunk.tui.app import create_app
from hunk.tui.screens.change import ChangeScreen
from hunk.tui.screens.command import CommandScreen
from hunk.tui.screens.commit import CommitScreen
from hunk.tui.screens.review import ReviewScreen
from hunk.tui.widgets.transcript import ToolCallEntry

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout


def demo_app(tmp_path: Path, home: Path):  # type: ignore[no-untyped-def]
    root = prepare_repo(tmp_path / "wordcount")
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state"), "HOME": str(home)}
    config = load_config(root, env, {"model": "replay:demo", "approval": "ask"})
    journal = SessionStore(tmp_path / "state" / "hunk", root).create()
    spec = RunSpec(root=root, config=config, mode="ask", journal=journal, on_interrupt="review", env=env)
    app = create_app(
        agent_factory=lambda approver, sink: build_agent(spec, approver, sink),
        repo_label=root.name,
        branch="main",
        model="replay:demo",
        mode="ask",
        root=root,
    )
    return root, app


async def test_demo_session_with_the_real_agent_commits_exactly_the_accepted_hunks(
    tmp_path: Path, hermetic_home: Path
) -> None:
    root, app = demo_app(tmp_path, hermetic_home)
    original_core = (root / "wordcount" / "core.py").read_text()
    seen: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*"make counting ignore case", "enter")
        for _ in range(400):
            await pilot.pause(0.05)
            screen = app.screen
            if isinstance(screen, ChangeScreen | ReviewScreen):
                path = screen.state.file.path
                seen.append(path)
                if path == "wordcount/core.py":
                    await pilot.press("r")  # the first hunk of core.py is rejected
                await pilot.press("exclamation_mark", "q")  # everything else accepted
            elif isinstance(screen, CommandScreen):
                seen.append(screen.request.command)
                await pilot.press("y")
            elif isinstance(screen, CommitScreen):
                if not screen.query("#message") or screen.query("#subject-state"):
                    continue  # not composed yet, or a person who waits to read the model's subject
                seen.append("commit")
                await pilot.press("ctrl+s")
            elif not app.turn_running and app.agent is not None and app.agent.turns:
                break
        else:
            raise AssertionError(f"the turn did not finish; decided so far: {seen}, screen {app.screen}")
        await app.workers.wait_for_complete()
        await pilot.pause(0.1)
        tools = [e.call.name for e in app.chat.transcript.query(ToolCallEntry)]
        command_rows = [str(e.title) for e in app.chat.transcript.query(ToolCallEntry) if e.call.name == "run_command"]
        status = str(app.chat.status_bar.render())
        reply = app.chat.transcript.query("Markdown").last().source
    assert seen[:2] == ["wordcount/core.py", "tests/test_core.py"] and seen[-1] == "commit"
    assert tools[:3] == ["list_files", "read_file", "search_files"] and "run_command" in tools
    assert command_rows and all(row.endswith("sandboxed") for row in command_rows)  # ran unasked, in the sandbox
    assert "sandbox: workspace-write" in status and app.sub_title.startswith("Commands run in a bubblewrap sandbox")
    assert reply.startswith("Done.")
    subject = git(root, "log", "-1", "--format=%s").strip()
    assert subject == "Count words case-insensitively and break ties alphabetically"
    committed = git(root, "show", "HEAD:wordcount/core.py")
    assert committed != original_core
    assert "import re" not in committed  # the rejected first hunk never reached history
    assert git(root, "status", "--porcelain") == ""


async def test_cancelling_the_real_agent_at_a_proposed_change_leaves_the_repository_as_it_was(
    tmp_path: Path, hermetic_home: Path
) -> None:
    root, app = demo_app(tmp_path, hermetic_home)
    head = git(root, "rev-parse", "HEAD")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*"make counting ignore case", "enter")
        for _ in range(400):
            await pilot.pause(0.05)
            if isinstance(app.screen, ChangeScreen):
                break
        assert isinstance(app.screen, ChangeScreen)
        await pilot.press("ctrl+c")
        await app.workers.wait_for_complete()
        await pilot.pause(0.1)
        assert app.screen is app.chat and app.is_running and not app.turn_running
        lines = [str(w.render()) for w in app.chat.transcript.query(".error")]
        assert lines == ["■ interrupted"]
    assert git(root, "rev-parse", "HEAD") == head
    assert git(root, "status", "--porcelain") == ""
