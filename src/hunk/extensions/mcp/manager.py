"""All of a session's MCP servers: started in the background, never blocking the prompt; their
tools, prompts and resources; their state for `/mcp` and `hunk mcp list`.

A server that is disabled, broken in its file, or a repository's server the person has not
approved yet is listed with that state and not started. `approve(name)` starts such a server
after the person said yes (and remembers the yes, see `trust.py`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from hunk.settings.config import Config, state_dir
from hunk.extensions.mcp import trust
from hunk.extensions.mcp.config import ServerConfig, discover
from hunk.extensions.mcp.connection import Connection, State
from hunk.extensions.mcp.naming import qualified
from hunk.extensions.mcp.results import prompt_text, resource_parts
from hunk.extensions.mcp.tools import McpTool, offered, tools_of
from hunk.values.conversation import ImagePart, TextPart


@dataclass(frozen=True)
class ServerStatus:
    """One line of `/mcp`: a server, its state, what it offers and what went wrong last."""

    name: str
    state: State
    transport: str
    origin: str
    target: str  # the command or URL
    tools: tuple[str, ...]
    prompts: tuple[str, ...]
    resources: tuple[str, ...]
    last_error: str | None


class McpManager:
    def __init__(
        self,
        servers: list[ServerConfig],
        *,
        root: Path,
        config: Config,
        env: Mapping[str, str],
        on_state: Callable[[ServerStatus], None] | None = None,
    ) -> None:
        self.root = root
        self.config = config
        self.env = env
        self.on_state = on_state
        log_dir = state_dir(env) / "mcp-logs"
        self.connections = {
            s.name: Connection(s, root=root, log_dir=log_dir, on_state=self._changed) for s in servers
        }
        self._tasks: set[asyncio.Task[None]] = set()
        for connection in self.connections.values():
            server = connection.server
            if server.problem:
                connection.state, connection.last_error = "failed", f"{server.where}: {server.name} {server.problem}"
            elif not server.enabled:
                connection.state = "disabled"
            elif trust.needs_approval(server, root, config, env):
                connection.state = "unapproved"

    def _changed(self, connection: Connection) -> None:
        if self.on_state is not None:
            self.on_state(self.status(connection.name))

    # --- life -------------------------------------------------------------------------------

    def start_background(self) -> None:
        """Start every server that may start; returns at once (call it after the first paint)."""
        for connection in self.connections.values():
            if connection.state == "stopped":
                self._spawn(connection)

    def _spawn(self, connection: Connection) -> None:
        task = asyncio.create_task(connection.start())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def wait_started(self) -> None:
        """Wait for the servers being started now (tests, `hunk mcp list`)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    def problems(self) -> list[str]:
        """One line per server that is not usable, and one naming the stdio servers a sandboxed
        session runs outside its sandbox: notices for when a session starts."""
        lines = []
        for status in self.statuses():
            if status.state == "unapproved":
                lines.append(
                    f"MCP server {status.name} ({status.target}) comes from this repository and is not started: "
                    f"approve it with `hunk mcp approve {status.name}` or /mcp approve {status.name}"
                )
            elif status.state == "failed":
                lines.append((status.last_error or f"MCP server {status.name} failed").splitlines()[0])
        started = [s.name for s in self.statuses() if s.transport == "stdio" and s.state in ("ready", "crashed", "starting")]
        if started and self.config.sandbox.mode != "off":
            lines.append(
                f"MCP servers run outside the sandbox, with your rights (sandbox mode {self.config.sandbox.mode} "
                f"confines commands only): {', '.join(started)}"
            )
        return lines

    def pending_approval(self) -> list[ServerConfig]:
        return [c.server for c in self.connections.values() if c.state == "unapproved"]

    def approve(self, name: str) -> None:
        """The person allowed a repository's server: remember it and start the server."""
        connection = self.connections[name]
        trust.approve(connection.server, self.root, self.env)
        connection.state = "stopped"
        self._spawn(connection)

    async def aclose(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await asyncio.gather(*(c.close() for c in self.connections.values()), return_exceptions=True)

    # --- what the servers offer -------------------------------------------------------------

    def _usable(self) -> list[Connection]:
        """Servers whose tools the model may call: running, or crashed and due for a restart."""
        return [c for c in self.connections.values() if c.state in ("ready", "crashed") and c.offer.tools]

    def tools(self) -> list[McpTool]:
        """Every MCP tool of the servers that came up, in a stable order (server, then the server's own)."""
        return [tool for c in sorted(self._usable(), key=lambda c: c.name) for tool in tools_of(c)]

    def offered_tools(self) -> list[McpTool]:
        """What the model is offered: each tool, or the deferring pair past the threshold."""
        return offered(self.tools())  # type: ignore[return-value]

    def prompts(self) -> dict[str, tuple[str, str]]:
        """`mcp__SERVER__PROMPT` → (server, prompt name), for slash commands."""
        found = {}
        for connection in self.connections.values():
            if connection.state == "ready":
                for prompt in connection.offer.prompts:
                    found[qualified(connection.name, prompt.name)] = (connection.name, prompt.name)
        return dict(sorted(found.items()))

    async def prompt(self, command: str, arguments: dict[str, str]) -> str:
        """The text a `/mcp__server__prompt` command sends as the person's prompt."""
        server, name = self.prompts()[command]
        result = await self.connections[server].get_prompt(name, arguments)
        return prompt_text(result, server)

    async def resource(self, server: str, uri: str, limit: int = 30_000) -> tuple[TextPart | ImagePart, ...]:
        """`@server:uri`: the resource's contents as parts of the person's message."""
        connection = self.connections.get(server)
        if connection is None:
            raise KeyError(f"no MCP server named {server}")
        result = await connection.read_resource(uri)
        return resource_parts(result, server, limit)

    def status(self, name: str) -> ServerStatus:
        c = self.connections[name]
        return ServerStatus(
            name=name,
            state=c.state,
            transport=c.server.transport,
            origin=c.server.origin,
            target=c.server.describe(),
            tools=tuple(t.name for t in c.offer.tools),
            prompts=tuple(p.name for p in c.offer.prompts),
            resources=tuple(r.uri for r in c.offer.resources),
            last_error=c.last_error,
        )

    def statuses(self) -> list[ServerStatus]:
        return [self.status(name) for name in sorted(self.connections)]


class Record(Protocol):
    """Where a server's changes of state are kept (the session's journal)."""

    def append(self, kind: str, **data: Any) -> None: ...


def mcp_servers(root: Path, config: Config, env: Mapping[str, str], journal: Record | None) -> McpManager | None:
    """The session's MCP servers, not started yet (front ends start them once they can), or
    None when none is configured. Raises ConfigError for an unreadable .mcp.json."""
    servers = discover(root, config, env)
    if not servers:
        return None

    def record(status: ServerStatus) -> None:
        if journal is not None and status.state != "starting":
            journal.append("mcp.server", name=status.name, state=status.state, error=status.last_error, tools=len(status.tools))

    return McpManager(servers, root=root, config=config, env=env, on_state=record)
