"""The first screen: repository path, branch, model, approval mode, sandbox state and three
tips — gone once the conversation starts."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from hunk.policy.sandbox import Sandbox

from tests.tui.fakes import make_app, send, settle


def welcome(app) -> str:  # type: ignore[no-untyped-def]
    return " ".join(str(w.render()) for w in app.chat.transcript.query(".welcome").results(Static))


async def test_the_first_screen_has_a_header_and_tips_until_the_first_prompt(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = welcome(app)
        assert str(tmp_path) in shown and "main" in shown
        assert "replay:fake" in shown and "ask" in shown and "sandbox:" in shown
        assert shown.count("• ") == 3
        await send(pilot, "hello")
        await settle(pilot, app)
        assert welcome(app) == ""


async def test_the_first_screen_states_the_sandbox_the_agent_runs_commands_in(tmp_path: Path) -> None:
    """It said "sandbox: none (commands run as you)" while the status bar below it said
    "sandbox: workspace-write": the header must say what the agent does."""
    app, _ = make_app(tmp_path, sandbox=Sandbox("workspace-write", tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        label = app.agent.sandbox.label
        assert label == "sandbox: workspace-write", "bubblewrap is installed on this machine"
        assert label in welcome(app)
        assert "commands run as you" not in welcome(app)
        assert app.chat.status.sandbox == label
