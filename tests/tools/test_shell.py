"""run_command: bash in the root, no stdin, process groups ended on timeout and cancellation."""

from __future__ import annotations

import asyncio
import os
import re
from pathlib import Path

import pytest

from hunk.tools.base import ToolContext
from hunk.tools.shell import RUN_COMMAND, HeadTail


def _alive(pid: int) -> bool:
    """Running (a zombie waiting to be reaped counts as gone)."""
    stat = Path(f"/proc/{pid}/stat")
    if Path("/proc").is_dir():
        try:
            return stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"
        except FileNotFoundError:
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


async def _gone(pid: int) -> bool:
    for _ in range(200):  # signals land asynchronously; give the kernel a moment
        if not _alive(pid):
            return True
        await asyncio.sleep(0.02)
    return False


async def _pid_from(path: Path) -> int:
    for _ in range(500):
        if path.exists() and path.read_text().strip():
            return int(path.read_text())
        await asyncio.sleep(0.02)
    raise AssertionError("the command never wrote its pid")


async def test_runs_in_the_root_with_output_and_exit_code(repo: Path, ctx: ToolContext) -> None:
    out = await RUN_COMMAND.run({"command": "pwd; echo to-err >&2; exit 3"}, ctx)
    assert not out.is_error
    lines = out.content.split("\n")
    assert lines[0] == str(repo) and lines[1] == "to-err"
    assert "[exit code 3 after" in out.content
    assert re.fullmatch(r"exit 3  \d+\.\d s", out.summary)


async def test_stdin_is_closed(ctx: ToolContext) -> None:
    out = await RUN_COMMAND.run({"command": "cat; echo after-cat"}, ctx)
    assert out.content.startswith("after-cat") and "exit code 0" in out.content


async def test_timeout_kills_the_whole_process_group(repo: Path, ctx: ToolContext) -> None:
    command = "sleep 300 & echo $! > child.pid; echo started; wait"
    out = await RUN_COMMAND.run({"command": command, "timeout_s": 0.5}, ctx)
    assert out.is_error and "timed out after 0.5 s" in out.content
    assert out.content.startswith("started")
    assert out.summary.startswith("timed out")
    assert await _gone(int((repo / "child.pid").read_text()))


async def test_timeout_defaults_to_the_context_setting(repo: Path, ctx: ToolContext) -> None:
    ctx.command_timeout_s = 0.3
    out = await RUN_COMMAND.run({"command": "sleep 30"}, ctx)
    assert out.is_error and "timed out after 0.3 s" in out.content


async def test_term_ignoring_process_is_killed(repo: Path, ctx: ToolContext, monkeypatch: pytest.MonkeyPatch) -> None:
    from hunk.tools import shell

    monkeypatch.setattr(shell, "GRACE_S", 0.2)
    command = "trap '' TERM; sleep 300 & echo $! > child.pid; wait"
    out = await RUN_COMMAND.run({"command": command, "timeout_s": 0.3}, ctx)
    assert out.is_error
    assert await _gone(int((repo / "child.pid").read_text()))


async def test_cancellation_kills_the_group_then_reraises(repo: Path, ctx: ToolContext) -> None:
    task = asyncio.create_task(RUN_COMMAND.run({"command": "sleep 300 & echo $! > child.pid; wait"}, ctx))
    pid = await _pid_from(repo / "child.pid")
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert await _gone(pid)


async def test_background_process_holding_the_pipe_does_not_hang(repo: Path, ctx: ToolContext) -> None:
    out = await RUN_COMMAND.run({"command": "sleep 300 & echo $! > child.pid; echo done"}, ctx)
    assert out.content.startswith("done") and "background processes" in out.content
    assert "exit code 0" in out.content
    assert await _gone(int((repo / "child.pid").read_text()))


async def test_long_output_keeps_head_and_tail(ctx: ToolContext) -> None:
    ctx.output_limit = 2000
    out = await RUN_COMMAND.run({"command": "seq 1 100000"}, ctx)
    lines = out.content.split("\n")
    assert lines[0] == "1"
    assert "100000" in lines
    dropped = next(line for line in lines if "lines left out" in line)
    kept = sum(1 for line in lines if line.isdigit())
    assert int(re.search(r"(\d+) lines left out", dropped).group(1)) + kept == 100000  # type: ignore[union-attr]
    assert len(out.content) < 2400


async def test_empty_output_says_so(ctx: ToolContext) -> None:
    out = await RUN_COMMAND.run({"command": "true"}, ctx)
    assert out.content.startswith("(no output)")


async def test_bad_arguments_are_tool_errors(ctx: ToolContext) -> None:
    assert (await RUN_COMMAND.run({"command": "  "}, ctx)).is_error
    assert (await RUN_COMMAND.run({"command": "true", "timeout_s": -1}, ctx)).is_error
    assert (await RUN_COMMAND.run({}, ctx)).is_error


def test_head_tail_cuts_a_huge_line_without_newline() -> None:
    output = HeadTail(1000)
    output.feed(b"x" * 50_000)
    output.close()
    assert len(output.text()) < 2300 and "more characters cut" in output.text()


async def test_a_command_with_a_nul_byte_is_refused_in_words_and_nothing_runs(repo: Path, ctx: ToolContext) -> None:
    """A careless model's NUL raised ValueError from the process spawn (and from the rules)."""
    out = await RUN_COMMAND.run({"command": "touch made.txt\x00; echo hi"}, ctx)
    assert out.is_error and "NUL byte" in out.content
    assert not (repo / "made.txt").exists()
