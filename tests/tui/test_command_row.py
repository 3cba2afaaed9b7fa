"""While an approved command runs, its row shows a live tail of the output and how long it has
run; a command that exits non-zero is shown as a failure, not ✓."""

from __future__ import annotations

import asyncio
from pathlib import Path

from textual.widgets._collapsible import CollapsibleTitle

from hunk.tui.widgets.spinner import Spinner
from hunk.tui.widgets.transcript import LiveTail, ToolCallEntry
from hunk.values.events import CommandOutput, ToolCallFinished, ToolCallStarted
from tests.tui.fakes import FakeAgent, make_app, send, settle

finish = asyncio.Event()


async def a_failing_test_run(agent: FakeAgent, prompt: str, files: tuple) -> None:  # type: ignore[type-arg]
    agent.sink(ToolCallStarted("c1", "run_command", {"command": "pytest -q"}))
    agent.sink(CommandOutput("c1", ""))
    agent.sink(CommandOutput("c1", "collected 3 items\n..F"))
    agent.sink(CommandOutput("c1", "\n1 failed, 2 passed\n"))
    await finish.wait()
    agent.sink(ToolCallFinished("c1", "run_command", "exit 1  0.4 s", False, 0.4, "…", failed=True))


async def test_a_running_command_streams_a_live_tail_and_a_failure_is_marked(tmp_path: Path) -> None:
    finish.clear()
    app, _ = make_app(tmp_path, a_failing_test_run)
    async with app.run_test(size=(100, 30)) as pilot:
        await send(pilot, "run the tests")
        await pilot.pause(0.3)
        [tail] = app.chat.transcript.query(LiveTail)
        shown = str(tail.render())
        assert "running" in shown and "1 failed, 2 passed" in shown and "collected 3 items" in shown
        assert "waiting" not in str(app.chat.query_one(Spinner).render())
        finish.set()
        await settle(pilot, app)
        assert not app.chat.transcript.query(LiveTail)
        [entry] = app.chat.transcript.query(ToolCallEntry)
        assert "✗ exit 1" in str(entry.title) and entry.has_class("-error")


LONG = "for i in 1 2 3 4 5 6; do echo step $i; sleep 1; done; exit 1"


async def a_long_failing_command(agent: FakeAgent, prompt: str, files: tuple) -> None:  # type: ignore[type-arg]
    agent.sink(ToolCallStarted("c1", "run_command", {"command": LONG}))
    agent.sink(ToolCallFinished("c1", "run_command", "exit 1  6.0 s  sandboxed", False, 6.0, "…", failed=True))


async def test_a_long_commands_outcome_is_never_cut_off_the_end_of_its_row(tmp_path: Path) -> None:
    """At 60 and 80 columns the row showed the command to the edge and no outcome at all: the
    command's gist now gives way to it."""
    for width in (60, 80, 120):
        app, _ = make_app(tmp_path, a_long_failing_command)
        async with app.run_test(size=(width, 24)) as pilot:
            await send(pilot, "run it")
            await settle(pilot, app)
            [entry] = app.chat.transcript.query(ToolCallEntry)
            title = entry.query_one(CollapsibleTitle)
            shown = str(title.render())
            visible = shown[: entry.region.right - title.region.x]  # one cell a character here
            assert "✗ exit 1  6.0 s" in visible, (width, shown)
