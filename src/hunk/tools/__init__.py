"""hunk.tools — provider → tools: the tools the model may call, in one fixed order (the order of
`tool_specs()` is part of the prompt prefix that providers cache, so it never depends on dict or
file-system order). Write tools return a FileChange and never touch disk themselves.

May import: hunk.values, hunk.settings, hunk.workspace. Never: hunk.providers, hunk.policy,
hunk.journal (siblings), or anything above (extensions, agent, front ends, cli).
"""

from __future__ import annotations

from hunk.values.conversation import ToolSpec
from hunk.tools.base import Tool
from hunk.tools.edit import EDIT_FILE, WRITE_FILE
from hunk.tools.files import LIST_FILES, READ_FILE, SEARCH_FILES
from hunk.tools.shell import RUN_COMMAND
from hunk.tools.todo import TODO_WRITE

TOOL_ORDER: tuple[str, ...] = (
    "read_file",
    "list_files",
    "search_files",
    "write_file",
    "edit_file",
    "run_command",
    "todo_write",
)
_TOOLS: tuple[Tool, ...] = (READ_FILE, LIST_FILES, SEARCH_FILES, WRITE_FILE, EDIT_FILE, RUN_COMMAND, TODO_WRITE)


def all_tools() -> dict[str, Tool]:
    """Name → tool, in `TOOL_ORDER`."""
    return {tool.name: tool for tool in _TOOLS}


def tool_specs() -> tuple[ToolSpec, ...]:
    """What the model is told about each tool, in `TOOL_ORDER`."""
    return tuple(tool.spec for tool in _TOOLS)
