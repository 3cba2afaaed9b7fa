"""MCP tools as hunk tools: `mcp__SERVER__TOOL` with the server's own JSON schema.

With many tools, sending every schema in every request costs more than it helps. Past
`DEFER_AFTER` tools the model gets two tools instead: `mcp_load_tools`, whose description lists
each tool by name with one line about it and which returns the schemas asked for, and
`mcp_call`, which calls any MCP tool by name. The tool list then stays the same for the whole
session (the provider's prompt cache keeps reading it), and a loaded schema stays in the
conversation.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from string import Template
from typing import Any

from hunk.extensions.mcp.connection import CallRefused, CallTimedOut, Connection, ServerUnavailable
from hunk.extensions.mcp.naming import PREFIX, qualified
from hunk.extensions.mcp.results import convert_tool_result
from hunk.settings.prompts import message, tool_spec
from hunk.values.conversation import ToolSpec
from hunk.tools.base import ToolContext, ToolKind, ToolOutput

DEFER_AFTER = 15  # more MCP tools than this: names and one-liners, schemas on request
LOAD_TOOLS = "mcp_load_tools"
CALL_TOOL = "mcp_call"
_DESCRIPTION_LIMIT = 2000
_ONE_LINE = 40  # with 60 tools the catalog is most of the prompt's MCP bytes
_PREVIEW = 400


@dataclass(frozen=True)
class McpTool:
    name: str  # mcp__SERVER__TOOL
    remote: str  # the tool's own name on its server
    description: str
    parameters: dict[str, Any]
    connection: Connection = field(compare=False, repr=False)
    danger: str = "writes"  # from the tool's own annotations, when it gives them
    kind: ToolKind = "mcp"

    @property
    def server(self) -> str:
        return self.connection.name

    def target(self, arguments: dict[str, Any]) -> tuple[McpTool, dict[str, Any]]:
        return self, arguments

    def preview(self, arguments: dict[str, Any]) -> str:
        """The call as the person is asked about it: name and arguments on one line."""
        shown = json.dumps(arguments, ensure_ascii=False)
        return f"{self.name} {shown if len(shown) <= _PREVIEW else shown[:_PREVIEW] + '…'}"

    @property
    def spec(self) -> ToolSpec:
        return ToolSpec(self.name, self.description, self.parameters)

    async def run(self, arguments: dict[str, Any], ctx: ToolContext) -> ToolOutput:
        try:
            result = await self.connection.call_tool(self.remote, arguments or {})
        except ServerUnavailable as exc:
            return ToolOutput(message("mcp.unavailable", server=self.server, problem=str(exc)), is_error=True, summary="server down")
        except CallTimedOut:
            seconds = f"{self.connection.server.timeout_s:g}"
            return ToolOutput(message("mcp.timed_out", name=self.name, seconds=seconds), is_error=True, summary="timed out")
        except CallRefused as exc:
            return ToolOutput(message("mcp.protocol_error", server=self.server, problem=str(exc)), is_error=True, summary="refused")
        converted = convert_tool_result(result, self.server, ctx.output_limit)
        summary = "error" if converted.is_error else f"{len(converted.text)} chars" + (f", {len(converted.images)} images" if converted.images else "")
        return ToolOutput(converted.text, is_error=converted.is_error, summary=summary, images=converted.images)


def tools_of(connection: Connection) -> list[McpTool]:
    """A ready server's tools, in the server's order."""
    out = []
    for tool in connection.offer.tools:
        data = tool.model_dump(by_alias=True, exclude_none=True, mode="json")
        schema = data.get("inputSchema") or {"type": "object", "properties": {}}
        description = (tool.description or getattr(tool, "title", None) or tool.name).strip()[:_DESCRIPTION_LIMIT]
        danger = _danger(data.get("annotations") or {})
        out.append(McpTool(qualified(connection.name, tool.name), tool.name, description, schema, connection, danger))
    return out


def _danger(annotations: dict[str, Any]) -> str:
    """What a tool says of itself (hints only: a server may be wrong, so they never allow a call)."""
    if annotations.get("readOnlyHint") is True:
        return "read-only"
    if annotations.get("destructiveHint") is True:
        return "destructive"
    if annotations.get("openWorldHint") is True:
        return "network"
    return "writes"


def one_line(text: str) -> str:
    """The first sentence of a description, cut at the last word that ends within `_ONE_LINE`
    characters (no ellipsis: three bytes a tool, sent in every request)."""
    first = text.strip().splitlines()[0] if text.strip() else ""
    first = first.split(". ")[0].rstrip(".")
    if len(first) <= _ONE_LINE:
        return first
    cut = first[: _ONE_LINE + 1]
    return cut.rsplit(" ", 1)[0] if " " in cut else first[:_ONE_LINE]


@dataclass(frozen=True)
class LoadTools:
    """`mcp_load_tools`: the catalog in its description, schemas in its result."""

    tools: dict[str, McpTool]
    name: str = LOAD_TOOLS
    kind: ToolKind = "read"

    @property
    def spec(self) -> ToolSpec:
        base = tool_spec(LOAD_TOOLS)
        lines: list[str] = []
        server = None
        for tool in self.tools.values():
            own, _, rest = tool.name[len(PREFIX) :].partition("__")
            if own != server:
                server = own
                lines.append(f"[{own}]")
            lines.append(f"{rest}: {one_line(tool.description)}")
        return ToolSpec(self.name, Template(base.description).substitute(catalog="\n".join(lines)), base.parameters)

    async def run(self, arguments: dict[str, Any], ctx: ToolContext) -> ToolOutput:
        names = arguments.get("names")
        if isinstance(names, str):
            names = [names]
        if not isinstance(names, list) or not names:
            return ToolOutput(message("tools.arg_missing", name="names"), is_error=True, summary="refused")
        found, unknown = [], []
        for name in names:
            tool = self.tools.get(str(name))
            if tool is None:
                unknown.append(str(name))
                continue
            found.append({"name": tool.name, "description": tool.description, "input_schema": tool.parameters})
        if unknown and not found:
            return ToolOutput(message("mcp.unknown_deferred", name=", ".join(unknown), known=", ".join(self.tools)), is_error=True, summary="unknown")
        text = message("mcp.schemas", schemas=json.dumps(found, indent=1, ensure_ascii=False))
        if unknown:
            text += "\n" + message("mcp.unknown_deferred", name=", ".join(unknown), known=", ".join(self.tools))
        return ToolOutput(text, summary=f"{len(found)} schemas")


@dataclass(frozen=True)
class CallTool:
    """`mcp_call`: any MCP tool by name. The agent unwraps it (`target`) before approval, so rules
    and questions name the real tool."""

    tools: dict[str, McpTool]
    name: str = CALL_TOOL
    kind: ToolKind = "mcp"

    @property
    def spec(self) -> ToolSpec:
        return tool_spec(CALL_TOOL)

    def target(self, arguments: dict[str, Any]) -> tuple[McpTool, dict[str, Any]] | str:
        """The tool and arguments this call stands for, or what to tell the model instead."""
        name, inner = arguments.get("name"), arguments.get("arguments", {})
        if not isinstance(name, str) or not isinstance(inner, dict):
            return message("mcp.deferred_call_arguments")
        tool = self.tools.get(name)
        if tool is None:
            return message("mcp.unknown_deferred", name=name, known=", ".join(self.tools))
        return tool, inner

    async def run(self, arguments: dict[str, Any], ctx: ToolContext) -> ToolOutput:
        target = self.target(arguments)
        if isinstance(target, str):
            return ToolOutput(target, is_error=True, summary="refused")
        tool, inner = target
        return await tool.run(inner, ctx)


def offered(tools: list[McpTool]) -> list[McpTool | LoadTools | CallTool]:
    """What the model is offered for these MCP tools: all of them, or the two deferring tools."""
    if len(tools) <= DEFER_AFTER:
        return list(tools)
    by_name = {tool.name: tool for tool in sorted(tools, key=lambda t: t.name)}
    return [LoadTools(by_name), CallTool(by_name)]
