"""What plan mode lets the model call: read tools, and run_command for commands that change
nothing (the read-only sandbox, or the read-only danger class without one). Nothing else — a
write, an MCP tool, anything hunk cannot tell is harmless — is offered or run."""

from __future__ import annotations

from hunk.tools.base import Tool

PLAN_COMMAND = "run_command"  # the one command tool plan mode offers, for read-only commands


def offered_in_plan(tool: Tool | None) -> bool:
    return tool is not None and (tool.kind == "read" or tool.name == PLAN_COMMAND)
