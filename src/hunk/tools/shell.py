"""run_command: `bash -c` in the repository root, in its own process group, with no stdin.

A timeout or a cancellation ends the whole group (SIGTERM, then SIGKILL after a grace period).
Background processes that still hold the output pipe after the shell exits are ended the same
way, so a stray `server &` cannot hang the turn. Output (stdout and stderr interleaved) keeps its
head and tail; the middle is counted, not kept. Approval is the agent's business, not this one's.
"""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections import deque
from collections.abc import Callable

from hunk.settings.prompts import message
from hunk.tools.base import ToolContext, ToolOutput
from hunk.tools.function_tool import Arguments, FunctionTool, refuse

GRACE_S = 2.0  # between SIGTERM and SIGKILL
PIPE_GRACE_S = 1.0
POLL_S = 0.02  # how long background processes may hold the pipe after the shell exits
LINE_CUT = 2000


class HeadTail:
    """Keeps the first and last lines of a stream within a character budget."""

    def __init__(self, limit: int) -> None:
        self._head_budget = limit // 2
        self._tail_budget = limit - self._head_budget
        self.head: list[str] = []
        self.tail: deque[str] = deque()
        self._tail_size = 0
        self.dropped = 0
        self._pending = b""

    def feed(self, chunk: bytes) -> None:
        lines = (self._pending + chunk).split(b"\n")
        self._pending = lines.pop()
        if len(self._pending) > LINE_CUT * 4:  # a huge line without a newline: cut it here
            lines.append(self._pending)
            self._pending = b""
        for line in lines:
            self._add(line.decode("utf-8", "replace"))

    def close(self) -> None:
        if self._pending:
            self._add(self._pending.decode("utf-8", "replace"))
            self._pending = b""

    def _add(self, line: str) -> None:
        line = line.rstrip("\r")
        if len(line) > LINE_CUT:
            line = line[:LINE_CUT] + message("tools.line_cut", more=len(line) - LINE_CUT)
        if not self.tail and self._head_budget >= len(line) + 1:
            self.head.append(line)
            self._head_budget -= len(line) + 1
            return
        self.tail.append(line)
        self._tail_size += len(line) + 1
        while self._tail_size > self._tail_budget and len(self.tail) > 1:
            self._tail_size -= len(self.tail.popleft()) + 1
            self.dropped += 1

    def text(self) -> str:
        middle = [message("tools.command_lines_dropped", count=self.dropped)] if self.dropped else []
        return "\n".join(self.head + middle + list(self.tail))


def _signal_group(pgid: int, sig: signal.Signals) -> None:
    try:
        os.killpg(pgid, sig)
    except (ProcessLookupError, PermissionError):
        pass


async def _exit_code(process: asyncio.subprocess.Process) -> int:
    # Process.wait() also waits for the pipes to close, which a background child can hold open
    # for ever; the return code is set as soon as the shell itself has exited.
    while process.returncode is None:
        await asyncio.sleep(POLL_S)
    return process.returncode


async def end_group(process: asyncio.subprocess.Process, grace_s: float | None = None) -> None:
    """SIGTERM the process group, wait up to `grace_s` for its leader, then SIGKILL the group."""
    _signal_group(process.pid, signal.SIGTERM)
    try:
        await asyncio.wait_for(_exit_code(process), GRACE_S if grace_s is None else grace_s)
    except TimeoutError:
        pass
    finally:
        _signal_group(process.pid, signal.SIGKILL)
    await _exit_code(process)


async def _pump(process: asyncio.subprocess.Process, output: HeadTail, listen: Callable[[str], None] | None) -> None:
    assert process.stdout is not None
    while chunk := await process.stdout.read(1 << 16):
        output.feed(chunk)
        if listen is not None:
            listen(chunk.decode("utf-8", "replace"))


async def _drain(pump: asyncio.Future[None], seconds: float) -> bool:
    """Wait for the output to end; False when it is still open after `seconds`."""
    done, _ = await asyncio.wait({pump}, timeout=seconds)
    return bool(done)


async def _supervise(process: asyncio.subprocess.Process, pump: asyncio.Future[None], timeout: float) -> tuple[bool, bool]:
    """Wait for the command within `timeout`; returns (timed out, background processes ended)."""
    deadline = time.monotonic() + timeout
    exited = asyncio.ensure_future(_exit_code(process))
    try:
        await asyncio.wait({pump, exited}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        if process.returncode is None:
            # With the output closed, wait() needs no polling: it ends when the shell exits.
            finisher = asyncio.ensure_future(process.wait()) if pump.done() else exited
            await asyncio.wait({finisher}, timeout=max(0.0, deadline - time.monotonic()))
            finisher.cancel()
        if process.returncode is None:
            await end_group(process)
            await _drain(pump, PIPE_GRACE_S)
            return True, False
        if await _drain(pump, PIPE_GRACE_S):
            return False, False
        _signal_group(process.pid, signal.SIGTERM)
        _signal_group(process.pid, signal.SIGKILL)
        await _drain(pump, PIPE_GRACE_S)
        return False, True
    finally:
        exited.cancel()
        if not pump.done():  # something outside the group holds the pipe: stop listening
            pump.cancel()


async def _end_started(spawn: asyncio.Future[asyncio.subprocess.Process]) -> None:
    try:
        process = await spawn
    except OSError:
        return
    await end_group(process)


async def run_command(args: Arguments, ctx: ToolContext) -> ToolOutput:
    command = args.text("command")
    if not command.strip():
        raise refuse("arg_missing", name="command")
    if "\x00" in command:
        raise refuse("command_nul")
    timeout = args.number("timeout_s") or ctx.command_timeout_s
    started = time.monotonic()
    argv = ["bash", "-c", command]
    spawn = asyncio.ensure_future(asyncio.create_subprocess_exec(
        *(ctx.sandbox.wrap(argv, ctx.root) if ctx.sandbox is not None else argv),
        cwd=ctx.root,
        env=ctx.command_env,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        start_new_session=True,
    ))
    try:
        process = await asyncio.shield(spawn)
    except asyncio.CancelledError:  # cancelled while it started: it runs all the same, so end it
        await asyncio.shield(_end_started(spawn))
        raise
    output = HeadTail(ctx.output_limit)
    pump = asyncio.ensure_future(_pump(process, output, ctx.on_output))
    try:
        timed_out, lingering = await _supervise(process, pump, timeout)
    except asyncio.CancelledError:
        pump.cancel()
        await asyncio.shield(end_group(process))
        raise
    output.close()
    elapsed = time.monotonic() - started
    return _report(process.returncode, elapsed, timeout, timed_out, lingering, output)


def _report(
    code: int | None, elapsed: float, timeout: float, timed_out: bool, lingering: bool, output: HeadTail
) -> ToolOutput:
    body = output.text() or message("tools.command_no_output")
    notes = []
    if lingering:
        notes.append(message("tools.command_background_killed"))
    if timed_out:
        notes.append(message("tools.command_timed_out", seconds=f"{timeout:g}"))
        summary = f"timed out  {elapsed:.1f} s"
    else:
        notes.append(message("tools.command_exit", code=code, seconds=f"{elapsed:.1f}"))
        summary = f"exit {code}  {elapsed:.1f} s"
    return ToolOutput(
        body + "\n\n" + "\n".join(notes), is_error=timed_out, summary=summary, failed=bool(code),
        exit_code=None if timed_out else code,
    )


RUN_COMMAND = FunctionTool("run_command", "command", run_command)
