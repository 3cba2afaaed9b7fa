"""The model's visible checklist: what it means to do, what it is doing, what it has done."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

TodoStatus = Literal["pending", "in_progress", "done"]
TODO_STATUSES: tuple[TodoStatus, ...] = ("pending", "in_progress", "done")
TODO_MARKS: dict[str, str] = {"pending": "☐", "in_progress": "◐", "done": "☑"}


@dataclass(frozen=True)
class TodoItem:
    """One line of the model's checklist."""

    content: str
    status: TodoStatus = "pending"

    @property
    def line(self) -> str:
        """One line for people: "◐ write the parser"."""
        return f"{TODO_MARKS[self.status]} {self.content}"


def todos_to_dicts(items: tuple[TodoItem, ...]) -> list[dict[str, str]]:
    return [{"content": item.content, "status": item.status} for item in items]
