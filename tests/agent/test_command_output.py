"""A running command's output reaches the front ends as it comes, and a non-zero exit is a
failure for people while the model still reads the exit code."""

from __future__ import annotations

from pathlib import Path

from hunk.values.events import CommandOutput, ToolCallFinished
from tests.fakeserver import Reply, ToolCall
from tests.gitrepo import make_repo


async def test_command_output_streams_and_a_non_zero_exit_is_marked_failed(harness, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"a.txt": "a\n"})
    h = harness(root, "auto")
    h.fake.script(Reply(tool_calls=[ToolCall("run_command", {"command": "echo first; echo second; exit 3"})]), Reply(text="It failed."))

    await h.agent.run_turn("run it")

    streamed = "".join(e.text for e in h.of(CommandOutput))
    assert "first\nsecond\n" in streamed
    [done] = h.of(ToolCallFinished)
    assert done.failed and not done.is_error and "exit 3" in done.summary
