"""The tool contract. Read tools answer at once; write tools return a `FileChange` and never
touch the disk; `run_command` runs (after the agent's approval check) and the agent detects
its side effects."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

from hunk.values.conversation import ImagePart, ToolSpec
from hunk.values.todos import TodoItem
from hunk.workspace.changeset import FileChange

ToolKind = Literal["read", "write", "command", "mcp"]  # mcp: a tool of an MCP server (hunk.extensions.mcp)


@dataclass(frozen=True)
class ToolOutput:
    content: str  # what the model receives
    is_error: bool = False
    summary: str = ""  # one short line for people: "+3 −3", "12 matches", "exit 0  2.1 s"
    change: FileChange | None = None  # write tools only
    todos: tuple[TodoItem, ...] | None = None  # todo_write only: the whole new list
    exit_code: int | None = None  # run_command: the shell's exit status (None: timed out)
    # ran, but failed (a command's non-zero exit): people see a failure; the model reads the
    # exit code in `content` and decides (is_error stays for calls that could not do their job)
    failed: bool = False
    images: tuple[ImagePart, ...] = ()  # images a tool returned (MCP tools), sent with the result


@dataclass
class ToolContext:
    root: Path  # the repository root, resolved
    # path → content hash (changeset.content_hash) of the file when the model last read it or
    # the agent last wrote it; write tools refuse to replace a file that is absent here or
    # whose hash changed since.
    read_hashes: dict[str, str | None] = field(default_factory=dict)
    command_timeout_s: float = 120.0
    output_limit: int = 30_000  # characters of tool output kept for the model
    sandbox: CommandWrapper | None = None  # where run_command starts its shell; None: as it is
    # hears a running command's output as it comes (for a live tail); None: nobody listens
    on_output: Callable[[str], None] | None = None
    # the environment commands run in (hunk's own, less credentials, plus the scratch index);
    # None: hunk's own
    command_env: dict[str, str] | None = None


class CommandWrapper(Protocol):
    """Turns a command's argv into the argv that runs it confined (hunk.policy.sandbox)."""

    def wrap(self, argv: list[str], cwd: Path | None = None) -> list[str]: ...


class Tool(Protocol):
    name: str
    kind: ToolKind

    @property
    def spec(self) -> ToolSpec: ...

    async def run(self, arguments: dict[str, Any], ctx: ToolContext) -> ToolOutput: ...


class ExtraTools(Protocol):
    """Tools that come and go during a session (MCP servers starting in the background): what
    the model is offered, and everything callable by name (offered or not)."""

    def offered_tools(self) -> Sequence[Tool]: ...

    def tools(self) -> Sequence[Tool]: ...
