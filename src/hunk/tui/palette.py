"""The command palette's entries (Ctrl+P): every slash command, one per approval mode, and the
custom commands and skills, which may take arguments and so go into the prompt."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Protocol

from textual.app import SystemCommand

from hunk.settings.config import APPROVAL_MODES
from hunk.tui.completion import SLASH_COMMANDS, SlashCommand


class PaletteHost(Protocol):
    chat: Any

    def run_slash(self, line: str) -> None: ...


def palette_commands(app: PaletteHost, custom: Iterable[SlashCommand]) -> Iterable[SystemCommand]:
    def slash(line: str) -> Callable[[], None]:
        return lambda: app.run_slash(line)

    def prefill(text: str) -> Callable[[], None]:
        def fill() -> None:
            area = app.chat.prompt.area
            area.load_text(text)
            area.move_cursor(area.document.end)
            area.focus()

        return fill

    for command in SLASH_COMMANDS:
        if command.name == "approval":
            for mode in APPROVAL_MODES:
                yield SystemCommand(f"/approval {mode}", f"approval mode: {mode}", slash(f"/approval {mode}"))
        elif command.name == "model":
            yield SystemCommand("/model", command.help, prefill("/model "))
        else:
            yield SystemCommand(f"/{command.name}", command.help, slash(f"/{command.name}"))
    for command in custom:  # they may take arguments: put them in the prompt
        yield SystemCommand(command.usage, command.help, prefill(f"/{command.name} "))
