"""One MCP server, connected through the official `mcp` SDK: started in the background, listed,
called with a per-call timeout, restarted on the next use after it crashed.

The SDK's `Client` is an async context manager whose task groups belong to the task that
entered it, so each connection runs in a task of its own (`_serve`) that enters the client,
lists what the server offers, and waits until it is told to close. Calls come from other tasks.

A stdio server's stderr goes to `<log_dir>/<name>.log`, never to the screen; the last lines of it
explain a crash.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from hunk.extensions.mcp.config import ServerConfig

State = Literal["stopped", "starting", "ready", "failed", "crashed", "disabled", "unapproved"]
_CONNECTION_CLOSED = -32000
_REQUEST_TIMEOUT = -32001
_STDERR_TAIL = 1500  # characters of a server's stderr kept in a crash message
START_TIMEOUT_S = 30.0  # a server that is not listed by then has failed to start


class ServerUnavailable(Exception):
    """The server could not be reached; `str()` is one line saying why."""


class CallTimedOut(Exception):
    """The server did not answer a call within its `timeout_s`."""


class CallRefused(Exception):
    """The server answered a request with a protocol error, or with a result hunk cannot read."""


@dataclass
class Offer:
    """What a server offers, as listed when it started (SDK model objects)."""

    tools: list[Any] = field(default_factory=list)
    prompts: list[Any] = field(default_factory=list)
    resources: list[Any] = field(default_factory=list)
    instructions: str | None = None


class Connection:
    def __init__(
        self,
        server: ServerConfig,
        *,
        root: Path,
        log_dir: Path,
        on_state: Callable[[Connection], None] | None = None,
    ) -> None:
        self.server = server
        self.root = root
        self.log_path = log_dir / f"{server.name}.log"
        self.on_state = on_state
        self.state: State = "stopped"
        self.last_error: str | None = None
        self.offer = Offer()
        self.starts = 0  # how many times the server was started (restarts included)
        self._client: Any = None
        self._task: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()
        self._closing = asyncio.Event()
        self._log_offset = 0
        self._lock = asyncio.Lock()

    @property
    def name(self) -> str:
        return self.server.name

    # --- life -------------------------------------------------------------------------------

    def _set(self, state: State, error: str | None = None) -> None:
        self.state = state
        if error is not None:
            self.last_error = error
        if self.on_state is not None:
            self.on_state(self)

    async def start(self) -> None:
        """Start the server (once at a time) and wait until it is ready or has failed."""
        async with self._lock:
            if self.state == "ready" and self._task is not None and not self._task.done():
                return
            await self._stop_task()
            self._ready, self._closing = asyncio.Event(), asyncio.Event()
            self.starts += 1
            self._set("starting")
            self._task = asyncio.create_task(self._serve(), name=f"mcp:{self.name}")
            try:
                await asyncio.wait_for(self._ready.wait(), timeout=max(START_TIMEOUT_S, self.server.timeout_s))
            except asyncio.TimeoutError:
                self._set("failed", f"{self.name} could not start: no answer within {max(START_TIMEOUT_S, self.server.timeout_s):g} s")
                await self._stop_task()

    async def ensure(self) -> Any:
        """The connected client, starting or restarting the server as needed."""
        if self.state != "ready" or self._client is None:
            await self.start()
        if self.state != "ready" or self._client is None:
            raise ServerUnavailable(self.last_error or f"{self.name} is not running")
        return self._client

    async def close(self) -> None:
        async with self._lock:
            await self._stop_task()
            if self.state in ("ready", "starting"):
                self._set("stopped")

    async def _stop_task(self) -> None:
        task, self._task = self._task, None
        if task is None:
            return
        self._closing.set()
        try:
            await asyncio.wait_for(asyncio.shield(task), timeout=10)
        except (asyncio.TimeoutError, Exception):  # noqa: BLE001 - a dying server's own error is already recorded
            task.cancel()
            with contextlib.suppress(BaseException):
                await task

    async def _serve(self) -> None:
        from mcp import Client
        from mcp.types import Implementation

        from hunk import __version__

        try:
            async with contextlib.AsyncExitStack() as stack:
                transport = await self._transport(stack)
                client = Client(
                    transport,
                    client_info=Implementation(name="hunk", version=__version__),
                    cache=None,
                )
                await stack.enter_async_context(client)
                self.offer = await _list_offer(client)
                self._client = client
                self._set("ready")
                self._ready.set()
                await self._closing.wait()
        except Exception as exc:  # noqa: BLE001 - any failure to start is the server's state, not ours
            self._client = None
            if self.state == "starting":
                self._set("failed", self._explain(exc))
        except BaseException:
            self._client = None
            raise
        finally:
            self._client = None
            self._ready.set()

    async def _transport(self, stack: contextlib.AsyncExitStack) -> Any:
        server = self.server
        if server.url:
            import httpx2
            from mcp.client.streamable_http import streamable_http_client

            http = await stack.enter_async_context(
                httpx2.AsyncClient(headers=dict(server.headers), timeout=httpx2.Timeout(30.0, read=300.0))
            )
            return streamable_http_client(server.url, http_client=http)
        from mcp import StdioServerParameters
        from mcp.client.stdio import stdio_client

        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        errlog = stack.enter_context(open(self.log_path, "a", encoding="utf-8"))  # noqa: SIM115
        self._log_offset = errlog.tell()
        cwd = self.root / server.cwd if server.cwd else self.root
        params = StdioServerParameters(command=server.command or "", args=list(server.args), env=dict(server.env), cwd=cwd)
        return stdio_client(params, errlog=errlog)

    # --- calls ------------------------------------------------------------------------------

    async def call_tool(self, tool: str, arguments: dict[str, Any]) -> Any:
        """The server's `CallToolResult`; `ServerUnavailable` when it is down or dies on the way,
        `CallTimedOut` past `timeout_s`."""
        client = await self.ensure()
        return await self._request(lambda: client.call_tool(tool, arguments, read_timeout_seconds=self.server.timeout_s))

    async def read_resource(self, uri: str) -> Any:
        client = await self.ensure()
        return await self._request(lambda: client.read_resource(uri))

    async def get_prompt(self, name: str, arguments: dict[str, str]) -> Any:
        client = await self.ensure()
        return await self._request(lambda: client.get_prompt(name, arguments))

    async def _request(self, send: Callable[[], Any]) -> Any:
        from mcp import MCPError
        from pydantic import ValidationError

        try:
            # the SDK enforces the timeout; this outer bound also covers a transport that hangs
            return await asyncio.wait_for(send(), timeout=self.server.timeout_s + 5)
        except asyncio.TimeoutError:
            raise CallTimedOut(self._timeout_text()) from None
        except MCPError as exc:
            if exc.code == _REQUEST_TIMEOUT:
                raise CallTimedOut(self._timeout_text()) from None
            if exc.code == _CONNECTION_CLOSED:
                await self._crashed()
                raise ServerUnavailable(self.last_error or f"{self.name} closed the connection") from None
            raise CallRefused(exc.message) from None
        except ValidationError as exc:
            raise CallRefused(f"an answer that does not follow the protocol ({exc.error_count()} problems)") from None

    def _timeout_text(self) -> str:
        return f"{self.name} did not answer within {self.server.timeout_s:g} s"

    async def _crashed(self) -> None:
        await asyncio.sleep(0.05)  # let the dying process finish its last words on stderr
        self._client = None
        self._set("crashed", self._explain(None))
        self._closing.set()

    def _explain(self, exc: BaseException | None) -> str:
        """One line (plus the server's last stderr lines) saying why the server is not there."""
        if exc is None:
            head = f"{self.name} stopped (the server exited or closed the connection)"
        else:
            head = f"{self.name} could not start: {_reason(exc)}"
        tail = self.stderr_tail()
        return f"{head}\n{tail}" if tail else head

    def stderr_tail(self) -> str:
        """The end of what the server wrote on stderr since it was last started."""
        if self.server.url:
            return ""
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as handle:
                handle.seek(self._log_offset)
                text = handle.read()
        except OSError:
            return ""
        return text[-_STDERR_TAIL:].strip()


def _reason(exc: BaseException) -> str:
    """The innermost useful message of an exception (task groups wrap theirs in groups)."""
    while isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        exc = exc.exceptions[0]
    if isinstance(exc, FileNotFoundError):
        return f"command not found: {exc.filename or exc}"
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:300]


async def _list_offer(client: Any) -> Offer:
    """Tools, prompts and resources, every page, for the capabilities the server declares."""
    capabilities = client.server_capabilities
    offer = Offer(instructions=client.instructions)
    if capabilities.tools is not None:
        offer.tools = await _all_pages(client.list_tools, "tools")
    if capabilities.prompts is not None:
        offer.prompts = await _all_pages(client.list_prompts, "prompts")
    if capabilities.resources is not None:
        offer.resources = await _all_pages(client.list_resources, "resources")
    return offer


async def _all_pages(fetch: Callable[..., Any], attribute: str, limit: int = 50) -> list[Any]:
    items: list[Any] = []
    cursor = None
    for _ in range(limit):
        page = await fetch(cursor=cursor)
        items.extend(getattr(page, attribute))
        cursor = page.next_cursor
        if not cursor:
            break
    return items
