"""How an agent is set to behave: the values `assemble` reads from configuration."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from hunk.settings.config import ApprovalMode, CommitConfig


@dataclass
class AgentSettings:
    mode: ApprovalMode = "ask"
    max_steps: int = 50  # model requests per prompt (--max-turns)
    max_cost_usd: float | None = None
    commit: bool = True
    trailer: CommitConfig | None = None  # the commit trailer (config `commit.trailer*`); None: none
    max_tokens: int = 8192
    reasoning_effort: str | None = None
    command_timeout_s: float = 120.0
    # what an interrupted turn does with changes nobody accepted yet: put them back at once
    # (hunk run), or keep them for `finish_interrupted` to review (the TUI)
    on_interrupt: Literal["rollback", "review"] = "rollback"
    small_model: str = ""  # `[models] small`: the commit subject's model ("": the provider's cheap one)
