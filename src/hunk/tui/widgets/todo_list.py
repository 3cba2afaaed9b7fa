"""The model's checklist (`todo_write`), above the prompt; hidden while there is none."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from hunk.values.todos import TodoItem

STYLES = {"pending": "", "in_progress": "bold yellow", "done": "dim strike"}


def render_todos(items: tuple[TodoItem, ...]) -> Text:
    done = sum(item.status == "done" for item in items)
    text = Text(f"todo {done}/{len(items)}", style="bold")
    for item in items:
        text.append("\n")
        text.append(item.line, style=STYLES[item.status])
    return text


class TodoList(Static):
    def on_mount(self) -> None:
        self.display = False

    def show(self, items: tuple[TodoItem, ...]) -> None:
        self.display = bool(items)
        self.items = items
        self.update(render_todos(items))
