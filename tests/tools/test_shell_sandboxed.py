"""run_command inside the real bubblewrap sandbox: a timeout or a cancellation still ends every
process the command started, and a background process cannot outlive the command."""

from __future__ import annotations

import asyncio
import time
import uuid
from pathlib import Path

from hunk.policy.sandbox import Sandbox
from hunk.tools.base import ToolContext
from hunk.tools.shell import RUN_COMMAND


def _running(marker: str) -> bool:
    """Any process on the machine whose command line holds `marker`."""
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if marker.encode() in cmdline.read_bytes():
                return True
        except OSError:
            continue
    return False


async def _all_gone(marker: str) -> bool:
    for _ in range(200):
        if not _running(marker):
            return True
        await asyncio.sleep(0.02)
    return False


def _ctx(repo: Path, timeout: float = 30.0) -> ToolContext:
    return ToolContext(root=repo, command_timeout_s=timeout, sandbox=Sandbox("workspace-write", repo))


async def test_a_timeout_ends_the_sandboxed_command_and_its_children(repo: Path) -> None:
    marker = f"hunk-timeout-{uuid.uuid4().hex[:8]}"
    started = time.monotonic()

    output = await RUN_COMMAND.run({"command": f"bash -c 'sleep 60; : {marker}' & sleep 60; : {marker}"}, _ctx(repo, 1.0))

    assert output.is_error and "timed out" in output.summary
    assert time.monotonic() - started < 20
    assert await _all_gone(marker)


async def test_a_background_process_does_not_outlive_the_sandboxed_command(repo: Path) -> None:
    marker = f"hunk-bg-{uuid.uuid4().hex[:8]}"

    output = await RUN_COMMAND.run({"command": f"nohup bash -c 'sleep 60; : {marker}' > /dev/null 2>&1 & echo started"}, _ctx(repo))

    assert output.exit_code == 0 and "started" in output.content
    assert await _all_gone(marker)


async def test_cancelling_ends_the_sandboxed_command(repo: Path) -> None:
    marker = f"hunk-cancel-{uuid.uuid4().hex[:8]}"
    task = asyncio.ensure_future(RUN_COMMAND.run({"command": f"sleep 60; : {marker}"}, _ctx(repo)))
    for _ in range(250):
        if _running(marker):
            break
        await asyncio.sleep(0.02)
    assert _running(marker)

    task.cancel()
    await asyncio.gather(task, return_exceptions=True)

    assert await _all_gone(marker)
