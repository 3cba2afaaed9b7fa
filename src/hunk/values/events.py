"""Core events: what happened, in the past tense, for every front end.

The agent calls an `EventSink` (a plain callable) with these values. The headless printer, the
JSONL writer and the TUI adapter all consume the same stream. `event_to_json` gives the stable
`--json` shape: one object per event with `type` and `session`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any, ClassVar

from hunk.values.usage import Usage, usage_to_dict
from hunk.values.todos import TodoItem, todos_to_dicts


@dataclass(frozen=True)
class Event:
    type: ClassVar[str] = "event"


@dataclass(frozen=True)
class SessionStarted(Event):
    type: ClassVar[str] = "session.started"
    model: str
    repo: str
    approval: str
    resumed: bool = False
    sandbox: str = "off"  # the sandbox mode commands run in: workspace-write | read-only | required | off
    sandboxed: bool = False  # commands really run sandboxed (False where the sandbox cannot start)


@dataclass(frozen=True)
class TurnStarted(Event):
    type: ClassVar[str] = "turn.started"
    turn: int
    prompt: str


@dataclass(frozen=True)
class TextDelta(Event):
    type: ClassVar[str] = "text.delta"
    text: str


@dataclass(frozen=True)
class ReasoningDelta(Event):
    type: ClassVar[str] = "reasoning.delta"
    text: str


@dataclass(frozen=True)
class ToolCallStarted(Event):
    type: ClassVar[str] = "tool.started"
    call_id: str
    name: str
    arguments: dict[str, Any]


@dataclass(frozen=True)
class ToolCallFinished(Event):
    type: ClassVar[str] = "tool.finished"
    call_id: str
    name: str
    summary: str  # one short line: "src/cli.py  +3 −3", "exit 0  2.1 s"
    is_error: bool
    duration_s: float
    output: str  # what the model received
    failed: bool = False  # it ran but failed: a command's non-zero exit


@dataclass(frozen=True)
class CommandOutput(Event):
    """A running command's output as it comes (a chunk, not lines), for a live tail."""

    type: ClassVar[str] = "tool.output"
    call_id: str
    text: str


@dataclass(frozen=True)
class ChangeProposed(Event):
    type: ClassVar[str] = "change.proposed"
    path: str
    status: str  # added | modified | deleted | renamed | mode
    diff: str  # unified diff text
    added: int
    removed: int
    source: str  # the tool that produced it
    # each hunk's group id (`hunk.values.groups`): hunks of a turn with the same id make the same change
    hunk_groups: tuple[str, ...] = ()


@dataclass(frozen=True)
class ApprovalRequested(Event):
    """A question is open; the front end's Approver answers it. Not part of `--json`."""

    type: ClassVar[str] = "approval.requested"
    kind: str  # change | command | commit


@dataclass(frozen=True)
class ReviewDecided(Event):
    type: ClassVar[str] = "review.decided"
    path: str
    accepted: int  # hunks
    rejected: int
    note: str | None = None
    # the groups this file's hunks belong to in the review: {"group", "places", "accepted", "rejected"}
    # (places: the group's size across the review; accepted/rejected: its hunks in this file)
    groups: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class ChangesApplied(Event):
    """The turn's accepted changes, as they stand at its end (committed or not)."""

    type: ClassVar[str] = "changes.applied"
    paths: tuple[str, ...]
    diffstat: str


@dataclass(frozen=True)
class CommitCreated(Event):
    type: ClassVar[str] = "commit.created"
    sha: str
    subject: str
    files: tuple[str, ...]


@dataclass(frozen=True)
class UsageUpdated(Event):
    type: ClassVar[str] = "usage"
    usage: Usage  # this call
    cost_usd: float | None  # this call; None when the model's price is unknown
    session_cost_usd: float | None
    context_tokens: int  # prompt size of this call, for "context used"


@dataclass(frozen=True)
class TurnFinished(Event):
    type: ClassVar[str] = "turn.finished"
    turn: int
    stop_reason: str
    usage: Usage  # the whole turn
    cost_usd: float | None


@dataclass(frozen=True)
class TurnFailed(Event):
    type: ClassVar[str] = "error"
    kind: str  # provider | limit | loop | interrupted | git | config
    message: str


@dataclass(frozen=True)
class Notice(Event):
    """Something a person should read that is not an error (a hook's output, a skipped file)."""

    type: ClassVar[str] = "notice"
    message: str


@dataclass(frozen=True)
class TodosUpdated(Event):
    """The model rewrote its checklist (`todo_write`): the whole list, in its order."""

    type: ClassVar[str] = "todo.updated"
    items: tuple[TodoItem, ...]


@dataclass(frozen=True)
class PlanProposed(Event):
    """Plan mode ended with this plan (markdown) for the person to review."""

    type: ClassVar[str] = "plan.proposed"
    plan: str


@dataclass(frozen=True)
class PlanDecided(Event):
    type: ClassVar[str] = "plan.decided"
    action: str  # implement | implement_fresh | reject | keep
    note: str | None = None
    mode: str = "plan"  # the approval mode the session goes on in


@dataclass(frozen=True)
class CheckFinished(Event):
    """One configured check ran on the changed files (`[checks]`)."""

    type: ClassVar[str] = "check.finished"
    command: str  # as run, `{files}` filled in
    passed: bool
    exit_code: int | None  # None: timed out or could not start
    files: tuple[str, ...]  # the changed files it checked
    failed_files: tuple[str, ...]  # of those, the ones it failed on
    output: str  # the tail of its output
    attempt: int  # 1 for the first run in this turn

    @property
    def status(self) -> str:
        """"exit 1", or "timed out"."""
        return exit_status(self.exit_code)


def exit_status(code: int | None) -> str:
    return "timed out" if code is None else f"exit {code}"


@dataclass(frozen=True)
class ProviderRetrying(Event):
    """The provider's request failed and is being sent again (`restart`: the reply streamed so
    far is void and comes afresh)."""

    type: ClassVar[str] = "provider.retrying"
    kind: str  # rate_limit | overloaded | server | connection | stream_cut
    message: str
    delay_s: float
    attempt: int  # from 1
    attempts: int  # retries allowed
    restart: bool = False

    def for_people(self) -> str:
        """`rate limited — retrying in 4 s (2/6)`"""
        what = _RETRY_WORDS.get(self.kind, "the request failed")
        when = "asking again" if self.delay_s < 0.5 else f"retrying in {self.delay_s:.0f} s"
        return f"{what} — {when} ({self.attempt}/{self.attempts})"


_RETRY_WORDS = {
    "rate_limit": "rate limited",
    "overloaded": "the API is overloaded",
    "server": "server error",
    "connection": "cannot reach the API",
    "stream_cut": "the reply was cut off",
}


EventSink = Callable[[Event], None]


def event_to_json(event: Event, session: str) -> dict[str, Any]:
    """The stable `--json` object for an event."""
    out: dict[str, Any] = {"type": event.type, "session": session}
    for f in fields(event):
        value = getattr(event, f.name)
        if isinstance(value, Usage):
            value = usage_to_dict(value)
        elif isinstance(value, tuple) and value and isinstance(value[0], TodoItem):
            value = todos_to_dicts(value)
        elif isinstance(value, tuple):
            value = list(value)
        out[f.name] = value
    return out
