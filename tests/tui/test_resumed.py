"""A resumed session shows what the person typed — not hunk's own notes to the model as if
they had typed them — and each tool call with its result."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from hunk.tui.app import create_app
from hunk.tui.widgets.transcript import ToolCallEntry
from hunk.values.conversation import Message, TextPart, ToolCallPart, ToolResultPart
from tests.tui.fakes import factory

NOTE = "The user rejected your change to a.py; the file is unchanged. Reasons: too clever"
HISTORY = [
    Message.user("tidy a.py"),
    Message("assistant", (ToolCallPart("c1", "run_command", {"command": "pytest -q"}),)),
    Message("user", (ToolResultPart("c1", "1 failed, 2 passed\nexit 1", is_error=False), TextPart(NOTE), TextPart("try again, simpler"))),
    Message("assistant", (TextPart("Done, simpler."), ToolCallPart("c2", "read_file", {"path": "a.py"}))),
    Message("user", (ToolResultPart("c2", "    1\timport sys\n    2\tprint(1)", is_error=False),)),
]


async def test_a_resumed_session_shows_the_persons_prompts_and_tool_results(tmp_path: Path) -> None:
    make, _ = factory(history=HISTORY)
    app = create_app(
        agent_factory=make, repo_label="r", branch="main", model="replay:fake", mode="ask", root=tmp_path,
        earlier_prompts=["tidy a.py", "try again, simpler"],
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        typed = [str(w.render()) for w in app.chat.transcript.query(".user").results(Static)]
        entry, read = app.chat.transcript.query(ToolCallEntry)
        title = str(entry.title)
    assert typed == ["tidy a.py", "try again, simpler"]  # not hunk's note
    assert "pytest -q" in title and "1 failed, 2 passed" in title
    assert str(read.title).endswith("✓ 1 import sys")  # one line: the tab broke it in two



async def test_a_header_redrawn_while_the_session_is_replayed_stays_gone(tmp_path: Path) -> None:
    """The header follows the status the agent sets when it is built, in a worker; when that
    redraw ran while the replay was dropping the header, it put the header back above the
    continued conversation (seen in tmux at 120×40 and 200×60 after `hunk -c`)."""
    make, _ = factory()
    app = create_app(agent_factory=make, repo_label="r", branch="main", model="replay:fake", mode="ask", root=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        transcript = app.chat.transcript
        assert transcript.query(".welcome")  # the first screen
        app.chat.set_status(mode="ask")  # as the agent's build does: the header is redrawn in a worker
        await transcript.replay([Message.user("tidy a.py"), Message("assistant", (TextPart("Done."),))], ["tidy a.py"])
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert transcript.query(".user")
        assert not transcript.query(".welcome")
