"""The front-end port: everything a front end (the TUI, `hunk run`, a test's fake) may ask of an
agent session. Nothing is optional, so no front end probes the agent with getattr."""

from __future__ import annotations

from typing import Any, Protocol

from hunk.agent.approval import ApprovalMode
from hunk.journal.records import TurnRecord
from hunk.values.conversation import Message, Part
from hunk.values.usage import Usage


class SandboxState(Protocol):
    """What a front end shows of the sandbox (hunk.policy.sandbox.Sandbox)."""

    @property
    def label(self) -> str:
        """A few words for a status bar: "sandbox: workspace-write"."""
    def state(self) -> str:
        """One sentence: what the sandbox does here, or why there is none."""


class AgentSession(Protocol):
    """What `hunk.agent.loop.Agent` offers its front ends."""

    mode: ApprovalMode
    history: list[Message]

    @property
    def model_label(self) -> str: ...
    @property
    def context_window(self) -> int | None: ...
    @property
    def session_usage(self) -> Usage: ...
    @property
    def session_cost_usd(self) -> float | None: ...
    @property
    def sandbox(self) -> SandboxState: ...

    async def run_turn(
        self, prompt: str, attachments: tuple[Part, ...] = (), *, model: str | None = None, tools: set[str] | None = None
    ) -> Any:
        """One prompt; `model` and `tools` (a custom command's) hold for this turn only."""
    async def finish_interrupted(self) -> str | None:
        """Offer what an interrupted turn left pending for review, then commit it."""
    async def undo(self) -> str:
        """Take back the session's last agent commit; one line saying what was done."""
    async def compact(self) -> bool:
        """Summarise older turns; False when there was nothing to compact."""
    def turn_log(self) -> list[TurnRecord]:
        """Blocking: the session's turns (prompt, commits, files, cost), oldest first."""
    async def rewind(self, turn: int, *, code: bool = True, conversation: bool = True) -> str:
        """Back to before `turn`: the code, the conversation, or both; one line for people."""
    async def redo(self) -> str:
        """Bring back the conversation of the latest rewind."""
    async def fork(self, turn: int) -> str:
        """Go on in a new session holding the conversation before `turn`; the old one stays."""
    def session_diff(self) -> str: ...
    def set_model(self, spec: str) -> None:
        """Switch to PROVIDER:MODEL; raises with one clear line when that model cannot be used."""
    def clear(self) -> None: ...
