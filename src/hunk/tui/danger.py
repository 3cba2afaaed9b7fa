"""How a command's danger class looks: one colour per class (from hunk.policy's own judgement),
on the command question and on the command's row in the transcript."""

from __future__ import annotations

from pathlib import Path
from typing import Any

STYLES = {
    "read-only": "bold black on green",
    "writes": "bold black on yellow",
    "network": "bold white on magenta",
    "destructive": "bold white on red",
}
MEANINGS = {
    "read-only": "only reads",
    "writes": "may change files in the repository (you review them afterwards)",
    "network": "reaches the network",
    "destructive": "may delete or overwrite what cannot be reviewed",
}


def style_of(danger: str) -> str:
    return STYLES.get(danger, "bold reverse")


def command_danger(name: str, arguments: dict[str, Any], root: Path | None) -> str | None:
    """The danger class of a `run_command` call (None for any other tool)."""
    command = arguments.get("command")
    if name != "run_command" or not isinstance(command, str):
        return None
    from hunk.policy.commands import classify  # the shell parser: not before the first command

    return str(classify(command, root))
