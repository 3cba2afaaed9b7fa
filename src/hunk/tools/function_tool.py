"""One tool = a name, a kind and an async handler; arguments checked, refusals turned into results.

A handler raises `ToolRefusal` (bad argument, refused path, missing file…) and the model gets the
message as an error result; the loop never sees an exception from a tool.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hunk.settings.prompts import message, tool_spec
from hunk.values.conversation import ToolSpec
from hunk.tools.base import ToolContext, ToolKind, ToolOutput
from hunk.workspace.paths import PathRefused, resolve_in_repo
from hunk.workspace.filetypes import git_mode


class ToolRefusal(Exception):
    """The tool cannot do what was asked; `message` tells the model what to do instead."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def refuse(key: str, **values: Any) -> ToolRefusal:
    return ToolRefusal(message(f"tools.{key}", **values))


class Arguments:
    """Typed access to a tool call's arguments; wrong or missing ones raise `ToolRefusal`."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self._raw = raw

    def text(self, name: str, default: str | None = None, *, required: bool = True) -> str:
        value = self._raw.get(name, default)
        if value is None:
            if required:
                raise refuse("arg_missing", name=name)
            return ""
        if not isinstance(value, str):
            raise refuse("arg_type", name=name, expected="a string")
        return value

    def raw(self, name: str) -> Any:
        """The argument as the model sent it (None when absent), for tools that check it whole."""
        return self._raw.get(name)

    def optional_text(self, name: str) -> str | None:
        value = self._raw.get(name)
        if value is None or value == "":
            return None
        return self.text(name)

    def flag(self, name: str) -> bool:
        value = self._raw.get(name, False)
        if value is None:
            return False
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        if not isinstance(value, bool):
            raise refuse("arg_type", name=name, expected="true or false")
        return value

    def number(self, name: str, default: float | None = None) -> float | None:
        value = self._raw.get(name, default)
        if value is None:
            return None
        if isinstance(value, str):
            try:
                value = float(value)
            except ValueError:
                raise refuse("arg_type", name=name, expected="a number") from None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise refuse("arg_type", name=name, expected="a number")
        if value <= 0:
            raise refuse("arg_positive", name=name)
        return float(value)

    def count(self, name: str, default: int | None = None) -> int | None:
        value = self.number(name, default)
        return None if value is None else int(value)


def resolve(ctx: ToolContext, path: str) -> tuple[str, Path]:
    try:
        return resolve_in_repo(ctx.root, path)
    except PathRefused as refused:
        raise ToolRefusal(refused.message) from None


def file_mode(absolute: Path) -> int:
    """The git mode of an existing file (a symlink's target counts): executable or not."""
    return git_mode(os.stat(absolute).st_mode)


Handler = Callable[[Arguments, ToolContext], Awaitable[ToolOutput]]


@dataclass(frozen=True)
class FunctionTool:
    name: str
    kind: ToolKind
    handler: Handler

    @property
    def spec(self) -> ToolSpec:
        return tool_spec(self.name)

    async def run(self, arguments: dict[str, Any], ctx: ToolContext) -> ToolOutput:
        try:
            return await self.handler(Arguments(arguments or {}), ctx)
        except ToolRefusal as refusal:
            return ToolOutput(refusal.message, is_error=True, summary="refused")
        except OSError as error:  # a vanished file, a missing git or bash: the model can go on
            reason = error.strerror or str(error)
            return ToolOutput(message("tools.os_error", tool=self.name, error=reason), is_error=True, summary="failed")
