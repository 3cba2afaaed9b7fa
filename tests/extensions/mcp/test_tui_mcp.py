"""MCP in the real Textual app: servers start after the first paint, /mcp shows them, a server's
prompt is a slash command, @server:uri attaches a resource, a repository's server waits for /mcp approve."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from hunk.settings.config import Config
from hunk.extensions.mcp import McpManager, ServerConfig, discover
from hunk.tui.app import create_app
from hunk.values.conversation import TextPart
from tests.extensions.mcp.conftest import SERVER, stdio_server
from tests.tui.fakes import factory, send, settle


def app_with(tmp_path: Path, manager: McpManager):  # type: ignore[no-untyped-def]
    make, built = factory()
    app = create_app(agent_factory=make, repo_label="demo", branch="main", model="replay:fake", mode="ask", root=tmp_path, mcp=manager)
    return app, built


def transcript_text(app) -> str:  # type: ignore[no-untyped-def]
    from textual.widgets import Static

    return "\n".join(str(w.render()) for w in app.chat.transcript.query(Static).results())


async def test_servers_start_after_paint_and_mcp_lists_them_with_tools(tmp_path: Path) -> None:
    manager = McpManager([stdio_server("calc"), ServerConfig("gone", command="/no/such/server")], root=tmp_path, config=Config(), env=dict(os.environ))
    app, _ = app_with(tmp_path, manager)
    assert manager.status("calc").state == "stopped"
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await manager.wait_started()
        assert manager.status("calc").state == "ready"
        await send(pilot, "/mcp")
        await settle(pilot, app)
        shown = transcript_text(app)
        assert "calc  ready  (stdio, user)" in shown and "tools: add, echo, picture" in shown
        assert "gone  failed" in shown and "gone could not start: command not found" in shown
        assert any("gone could not start" in n.message for n in app._notifications)
    assert manager.status("calc").state == "stopped"  # closed with the app


async def test_a_servers_prompt_is_a_slash_command_and_a_resource_attaches(tmp_path: Path) -> None:
    manager = McpManager([stdio_server("notes")], root=tmp_path, config=Config(), env=dict(os.environ))
    app, built = app_with(tmp_path, manager)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await manager.wait_started()
        await send(pilot, "/mcp__notes__review app.py")
        await settle(pilot, app)
        await send(pilot, "summarise @notes:note://readme please")
        await settle(pilot, app)
    agent = built[0]
    assert agent.prompts[0] == ("Please review app.py carefully.", ())
    prompt, parts = agent.prompts[1]
    assert prompt == "summarise @notes:note://readme please"
    assert isinstance(parts[0], TextPart) and "The readme says hello." in parts[0].text


async def test_a_repository_server_waits_for_mcp_approve(tmp_path: Path) -> None:
    marker = tmp_path.parent / f"{tmp_path.name}-marker"
    code = f"import pathlib, runpy, sys; pathlib.Path({str(marker)!r}).write_text('x'); sys.argv = [{SERVER!r}]; runpy.run_path({SERVER!r}, run_name='__main__')"
    (tmp_path / ".mcp.json").write_text(json.dumps({"mcpServers": {"repo": {"command": sys.executable, "args": ["-c", code]}}}))
    env = dict(os.environ)
    manager = McpManager(discover(tmp_path, Config(), env), root=tmp_path, config=Config(), env=env)
    app, _ = app_with(tmp_path, manager)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await manager.wait_started()
        assert not marker.exists() and any("/mcp approve repo" in n.message for n in app._notifications)
        await send(pilot, "/mcp approve repo")
        await settle(pilot, app)
        await manager.wait_started()
        assert manager.status("repo").state == "ready" and marker.exists()


async def test_an_mcp_tool_call_is_asked_about_by_name_and_arguments(tmp_path: Path) -> None:
    from textual.widgets import Static

    from hunk.agent.approval import CommandApproval, CommandDecision
    from hunk.tui.screens.command import CommandScreen
    from tests.tui.fakes import make_app

    question = CommandApproval(command='mcp__github__create_issue {"title": "x"}', cwd=str(tmp_path), danger="writes", reason="no allow rule matches mcp__github__create_issue", kind="mcp")

    async def script(agent, prompt, files):  # type: ignore[no-untyped-def]
        await agent.ask(question)

    app, built = make_app(tmp_path, script)
    async with app.run_test(size=(120, 30)) as pilot:
        await send(pilot, "file it")
        await pilot.pause(0.1)
        assert isinstance(app.screen, CommandScreen)
        assert str(app.screen.query_one("#title", Static).render()) == "The model wants to call an MCP tool"
        assert str(app.screen.query_one("#command", Static).render()) == 'mcp__github__create_issue {"title": "x"}'
        await pilot.press("a")
        await settle(pilot, app)
    assert built[0].decisions == [CommandDecision(allow=True, remember=True)]


async def test_hunk_runs_terminal_asks_about_an_mcp_tool_by_name() -> None:
    import io

    from hunk.agent.approval import CommandApproval, CommandDecision
    from hunk.headless.review import TerminalApprover

    out = io.StringIO()
    ask = TerminalApprover(io.StringIO("a\n"), out, colour=False)
    question = CommandApproval(command='mcp__db__query {"sql": "select 1"}', cwd="/repo", danger="read-only", reason="no allow rule matches mcp__db__query", kind="mcp")
    assert await ask.decide(question) == CommandDecision(allow=True, remember=True)
    assert 'MCP tool mcp__db__query {"sql": "select 1"}' in out.getvalue() and "$ mcp__" not in out.getvalue()
