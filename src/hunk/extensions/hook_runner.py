"""Running one hook: `bash -c COMMAND` with one JSON object on stdin, within its timeout.

The hook runs in the repository root, in its own process group: on a timeout or a cancelled turn
the whole group is ended (SIGTERM, then SIGKILL), so a hook's children cannot outlive it. It does
not inherit provider keys. What its exit code and output mean is `hooks.py`'s business.

`Wrap` is the seam for the command sandbox: given the argv and the repository root, it returns the
argv to start instead (for example under bubblewrap). None runs the hook as it is.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hunk.extensions.hook_config import HookSpec

Wrap = Callable[[list[str], Path], list[str]]

OUTPUT_LIMIT = 20_000  # characters of a hook's stdout or stderr kept
KILL_GRACE_S = 1.0
_SECRET_SUFFIXES = ("_API_KEY", "_AUTH_TOKEN", "_SECRET_ACCESS_KEY", "_SESSION_TOKEN")


@dataclass(frozen=True)
class HookRun:
    spec: HookSpec
    exit_code: int | None  # None: it timed out or could not start
    stdout: str = ""
    stderr: str = ""
    timed_out: bool = False
    start_error: str | None = None


def hook_env(env: Mapping[str, str], root: Path, event: str) -> dict[str, str]:
    """The hook's environment: the person's, less provider keys, plus where the project is."""
    kept = {k: v for k, v in env.items() if not k.endswith(_SECRET_SUFFIXES)}
    kept.setdefault("PATH", os.environ.get("PATH", os.defpath))
    kept.update(HUNK_PROJECT_DIR=str(root), CLAUDE_PROJECT_DIR=str(root), HUNK_HOOK_EVENT=event)
    return kept


async def _read(stream: asyncio.StreamReader | None, into: list[bytes]) -> None:
    size = 0
    while stream is not None and (chunk := await stream.read(1 << 16)):
        if size < OUTPUT_LIMIT * 4:
            into.append(chunk)
            size += len(chunk)


async def _feed(stdin: asyncio.StreamWriter | None, data: bytes) -> None:
    if stdin is None:
        return
    try:
        stdin.write(data)
        await stdin.drain()
        stdin.close()
    except (BrokenPipeError, ConnectionResetError):
        pass  # the hook did not read its input: that is its right


def _text(chunks: list[bytes]) -> str:
    text = b"".join(chunks).decode("utf-8", "replace")
    return text if len(text) <= OUTPUT_LIMIT else text[:OUTPUT_LIMIT] + "\n…"


async def run_hook(
    spec: HookSpec,
    payload: Mapping[str, Any],
    *,
    root: Path,
    env: Mapping[str, str],
    wrap: Wrap | None = None,
) -> HookRun:
    from hunk.tools.shell import end_group  # the tools' package: with the first hook, not at start

    argv = ["bash", "-c", spec.command]
    if wrap is not None:
        argv = wrap(argv, root)
    try:
        process = await asyncio.create_subprocess_exec(
            *argv,
            cwd=root,
            env=hook_env(env, root, spec.event),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            start_new_session=True,
        )
    except OSError as exc:
        return HookRun(spec, None, start_error=exc.strerror or str(exc))
    out: list[bytes] = []
    err: list[bytes] = []
    data = (json.dumps(payload, ensure_ascii=False) + "\n").encode("utf-8")
    work = asyncio.gather(_feed(process.stdin, data), _read(process.stdout, out), _read(process.stderr, err), process.wait())
    try:
        await asyncio.wait_for(asyncio.shield(work), spec.timeout_s)
    except TimeoutError:
        await end_group(process, KILL_GRACE_S)
        await _settle(work)
        return HookRun(spec, None, _text(out), _text(err), timed_out=True)
    except asyncio.CancelledError:
        await asyncio.shield(end_group(process, KILL_GRACE_S))
        await asyncio.shield(_settle(work))
        raise
    return HookRun(spec, process.returncode, _text(out), _text(err))


async def _settle(work: asyncio.Future[Any]) -> None:
    """After the group is killed its pipes close; anything outside it holding them is let go."""
    try:
        await asyncio.wait_for(work, KILL_GRACE_S)
    except (TimeoutError, asyncio.CancelledError):
        work.cancel()
