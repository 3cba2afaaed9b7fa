"""A command's row and its question show the command's own danger class, coloured by class:
not "writes" for everything."""

from __future__ import annotations

from pathlib import Path

from textual.content import Content

from hunk.agent.approval import CommandApproval
from hunk.tui.danger import STYLES
from hunk.tui.screens.command import CommandScreen
from hunk.tui.widgets.transcript import ToolCallEntry
from hunk.values.events import ToolCallFinished, ToolCallStarted
from tests.tui.fakes import FakeAgent, make_app, send, settle

COMMANDS = {
    "cat README.md": "read-only",
    "pytest -q": "writes",
    "curl https://example.org": "network",
    "rm -rf build": "destructive",
}


async def four_commands(agent: FakeAgent, prompt: str, files: tuple) -> None:  # type: ignore[type-arg]
    for i, command in enumerate(COMMANDS):
        agent.sink(ToolCallStarted(f"c{i}", "run_command", {"command": command}))
        agent.sink(ToolCallFinished(f"c{i}", "run_command", "exit 0", False, 0.1, ""))
    agent.sink(ToolCallStarted("r", "read_file", {"path": "a.txt"}))


def badge(title: Content) -> tuple[str, str]:
    """The styled span of a row's title: its text and its style."""
    [span] = [s for s in title.spans if str(s.style)]
    return title.plain[span.start : span.end].strip(), str(span.style)


async def test_each_command_row_carries_its_own_danger_class_in_its_colour(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path, four_commands)
    async with app.run_test(size=(120, 30)) as pilot:
        await send(pilot, "go")
        await settle(pilot, app)
        entries = list(app.chat.transcript.query(ToolCallEntry))
        shown = [badge(e.title) for e in entries[:4]]  # type: ignore[arg-type]
        plain_file_row = entries[4].title
    assert shown == [(danger, STYLES[danger]) for danger in COMMANDS.values()]
    assert len(set(STYLES.values())) == 4  # one colour per class
    assert "network" not in str(plain_file_row) and "writes" not in str(plain_file_row)


async def test_the_command_question_is_coloured_by_its_class(tmp_path: Path) -> None:
    async def ask_twice(agent: FakeAgent, prompt: str, files: tuple) -> None:  # type: ignore[type-arg]
        for command, danger in (("curl https://example.org", "network"), ("rm -rf build", "destructive")):
            await agent.ask(CommandApproval(command=command, cwd="/repo", danger=danger, reason="no allow rule matches"))

    app, _ = make_app(tmp_path, ask_twice)
    seen = []
    async with app.run_test(size=(100, 30)) as pilot:
        await send(pilot, "go")
        for _ in range(2):
            await pilot.pause(0.1)
            screen = app.screen
            assert isinstance(screen, CommandScreen)
            facts = screen.query_one("#facts").render()
            seen.append((screen.query_one("#command").classes, str(facts)))
            await pilot.press("n")
        await settle(pilot, app)
    assert "-network" in seen[0][0] and "network" in seen[0][1] and "reaches the network" in seen[0][1]
    assert "-destructive" in seen[1][0] and "destructive" in seen[1][1]
