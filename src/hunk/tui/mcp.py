"""MCP in the TUI: `/mcp` (servers, state, tools, last error), `/mcp approve NAME`,
`/mcp__SERVER__PROMPT [ARGS]` (a server's prompt sent as yours) and `@SERVER:URI` attachments."""

from __future__ import annotations

import re
from typing import Protocol

from hunk.extensions.mcp import McpManager
from hunk.extensions.mcp.admin import status_lines
from hunk.tui.screens.chat import ChatScreen
from hunk.values.conversation import Part


class McpHost(Protocol):
    """What the MCP commands use of the app (the slash commands' host has all of it)."""

    mcp: McpManager | None

    @property
    def chat(self) -> ChatScreen: ...
    def notify(self, message: str, *, title: str = "", severity: str = "information", timeout: float | None = None) -> None: ...
    def start_turn(self, prompt: str, files: list[str]) -> None: ...

_RESOURCE = re.compile(r"(?:^|\s)@([A-Za-z0-9_.-]+):(\S+)")


def resource_refs(text: str, manager: McpManager | None) -> list[tuple[str, str]]:
    """The `@server:uri` words of a prompt that name one of the session's servers."""
    if manager is None:
        return []
    found: list[tuple[str, str]] = []
    for match in _RESOURCE.finditer(text):
        ref = (match.group(1), match.group(2).rstrip(",.;)"))
        if ref[0] in manager.connections and ref not in found:
            found.append(ref)
    return found


async def load_resources(manager: McpManager, refs: list[tuple[str, str]]) -> tuple[tuple[Part, ...], list[str]]:
    """The resources' contents as message parts, and one line per resource that could not be read."""
    parts: list[Part] = []
    problems: list[str] = []
    for server, uri in refs:
        try:
            parts.extend(await manager.resource(server, uri))
        except Exception as error:  # noqa: BLE001 - any server trouble is one line for the person
            problems.append(f"@{server}:{uri}: {str(error).splitlines()[0] if str(error) else type(error).__name__}")
    return tuple(parts), problems


def prompt_arguments(argument: str, names: list[str]) -> dict[str, str]:
    """`key=value` words, or the whole text for a prompt that takes exactly one argument."""
    pairs = dict(word.split("=", 1) for word in argument.split() if "=" in word)
    if not pairs and argument and len(names) == 1:
        return {names[0]: argument}
    return pairs


async def run_mcp_slash(app: McpHost, name: str, argument: str) -> None:
    manager = app.mcp
    chat = app.chat
    if manager is None:
        await chat.transcript.add_line("no MCP servers configured (hunk mcp add NAME -- COMMAND, or .mcp.json)")
        return
    if name == "mcp":
        action, _, target = argument.partition(" ")
        if action == "approve":
            if manager.connections.get(target.strip()) is None or manager.status(target.strip()).state != "unapproved":
                app.notify(f"no MCP server {target.strip() or '(none given)'} waits for approval", severity="warning")
                return
            manager.approve(target.strip())
            await chat.transcript.add_line(f"approved {target.strip()}: starting it")
            return
        await chat.transcript.add_line("\n".join(status_lines(manager.statuses())))
        return
    found = manager.prompts().get(name)
    if found is None:
        app.notify(f"unknown command /{name} — /mcp lists the servers' prompts", severity="warning")
        return
    server, prompt_name = found
    connection = manager.connections[server]
    prompt = next(p for p in connection.offer.prompts if p.name == prompt_name)
    names = [a.name for a in (prompt.arguments or [])]
    try:
        text = await manager.prompt(name, prompt_arguments(argument, names))
    except Exception as error:  # noqa: BLE001 - a server's refusal is a notice, not a crash
        app.notify(str(error).splitlines()[0] if str(error) else type(error).__name__, title=f"/{name}", severity="error")
        return
    await chat.transcript.add_user(text)
    app.start_turn(text, [])
