"""`todo_write`: the model keeps a visible checklist. The tool checks and returns the whole list;
the agent shows it (a `todo.updated` event). It never touches the repository, so it is a read
tool: plan mode offers it too."""

from __future__ import annotations

from typing import Any

from hunk.settings.prompts import message
from hunk.tools.base import ToolContext, ToolOutput
from hunk.tools.function_tool import Arguments, FunctionTool, refuse
from hunk.values.todos import TODO_STATUSES, TodoItem

MAX_ITEMS = 50


def parse_todos(raw: Any) -> tuple[TodoItem, ...]:
    """The `todos` argument as items, or a `ToolRefusal` saying what is wrong with it."""
    if not isinstance(raw, list):
        raise refuse("arg_type", name="todos", expected="a list of {content, status} objects")
    if len(raw) > MAX_ITEMS:
        raise refuse("todo_too_many", limit=MAX_ITEMS)
    items = []
    for number, entry in enumerate(raw, 1):
        if not isinstance(entry, dict) or not isinstance(entry.get("content"), str) or not entry["content"].strip():
            raise refuse("todo_bad_item", number=number)
        status = entry.get("status", "pending")
        if status not in TODO_STATUSES:
            raise refuse("todo_bad_status", number=number, status=status, allowed=", ".join(TODO_STATUSES))
        items.append(TodoItem(" ".join(entry["content"].split()), status))
    return tuple(items)


async def todo_write(args: Arguments, ctx: ToolContext) -> ToolOutput:
    items = parse_todos(args.raw("todos"))
    done = sum(item.status == "done" for item in items)
    listing = "\n".join(item.line for item in items) or message("tools.todo_empty")
    return ToolOutput(
        message("tools.todo_saved", listing=listing),
        summary=f"{done}/{len(items)} done",
        todos=items,
    )


TODO_WRITE = FunctionTool("todo_write", "read", todo_write)
