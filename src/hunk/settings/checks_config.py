"""`[checks]`: the commands hunk runs after the agent's changes (see agent/checks.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class ChecksConfig:
    """`[checks]`: commands run after the agent's changes are applied, each step or each turn;
    a failure goes back to the model, at most `max_attempts` times a turn."""

    commands: tuple[str, ...] = ()
    when: Literal["step", "turn"] = "turn"
    max_attempts: int = 3


__all__ = ["ChecksConfig"]
