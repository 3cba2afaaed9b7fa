"""Questions the core asks a person (or a policy), and their typed answers.

The agent awaits `Approver.decide(request)`; the headless prompt, the TUI screens and the policy
approver all implement it. Requests and decisions are plain values.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, Protocol, overload

from hunk.settings.config import APPROVAL_MODES, ApprovalMode
from hunk.values.diffs import FileDiff, FileVerdict, HunkVerdict

if TYPE_CHECKING:
    from hunk.agent.subject import PendingSubject

def next_mode(mode: str) -> ApprovalMode:
    """The mode after `mode` in the cycle ask → plan → review → auto → ask."""
    index = APPROVAL_MODES.index(mode) if mode in APPROVAL_MODES else -1  # type: ignore[arg-type]
    return APPROVAL_MODES[(index + 1) % len(APPROVAL_MODES)]


# --- changes ---------------------------------------------------------------------------------


ReviewPhase = Literal["before_write", "end_of_turn", "side_effects"]


@dataclass(frozen=True)
class ChangeReview:
    """Decide these files hunk by hunk.

    `before_write` (ask mode): nothing is on disk yet. `end_of_turn` (review mode) and
    `side_effects` (a command changed files): the changes are on disk; rejected hunks will be
    rolled back.
    """

    files: tuple[FileDiff, ...]
    phase: ReviewPhase
    reason: str = ""  # e.g. the command that produced side effects
    checks: Mapping[str, Mapping[str, bool]] = field(default_factory=dict)  # path → check → passed


@dataclass(frozen=True)
class ChangeDecision:
    files: tuple[FileVerdict, ...]
    stop: bool = False  # the person quit: end the turn after applying these verdicts


# --- commands --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CommandApproval:
    command: str
    cwd: str
    danger: str  # read-only | writes | network | destructive
    reason: str = ""  # why it is asked: "no allow rule matches"
    kind: str = "command"  # command: a shell line; mcp: an MCP tool call, `command` is its preview
    sandboxed: bool = False  # it would run in the sandbox: offer to run it outside, or with network
    denied: str = ""  # it ran in the sandbox, which refused a "write" or the "network": run it again?


@dataclass(frozen=True)
class CommandDecision:
    allow: bool
    remember: bool = False  # allow this command for the rest of the session
    note: str | None = None
    outside_sandbox: bool = False  # run it outside the sandbox, this once
    allow_network: bool = False  # let sandboxed commands use the network for the rest of the session


# --- the commit ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CommitApproval:
    """`message` holds the best subject known when asked; while `subject` is still waiting for
    the model, a screen fills its words in when they come (unless the person typed over them)."""

    message: str  # subject, blank line, body, trailers
    files: tuple[str, ...]
    diffstat: str
    subject: PendingSubject | None = field(default=None, compare=False)


@dataclass(frozen=True)
class CommitDecision:
    commit: bool
    message: str


# --- accepted hunks tangled with the person's own edits ----------------------------------


@dataclass(frozen=True)
class EntangledChange:
    """The agent's accepted hunks in these files touch the same lines as the person's own
    uncommitted edits, so they cannot be committed apart. Commit the files whole (the person's
    edits in them included), or leave them uncommitted (nothing is lost either way)."""

    paths: tuple[str, ...]


@dataclass(frozen=True)
class EntangledDecision:
    commit_whole: bool


# --- the plan (plan mode) ---------------------------------------------------------------------


@dataclass(frozen=True)
class PlanReview:
    """Plan mode ended with this plan (markdown). Implement it, in this session's context or a
    fresh one carrying only the plan; reject it with a note for the model; or keep it without
    acting (`hunk run --plan`)."""

    plan: str


PlanAction = Literal["implement", "implement_fresh", "reject", "keep"]


@dataclass(frozen=True)
class PlanDecision:
    action: PlanAction
    plan: str  # the plan to implement: the person may have edited it
    note: str | None = None  # with "reject": what the model should change


ApprovalRequest = ChangeReview | CommandApproval | CommitApproval | EntangledChange | PlanReview
Decision = ChangeDecision | CommandDecision | CommitDecision | EntangledDecision | PlanDecision


class Approver(Protocol):
    @overload
    async def decide(self, request: ChangeReview) -> ChangeDecision: ...
    @overload
    async def decide(self, request: CommandApproval) -> CommandDecision: ...
    @overload
    async def decide(self, request: CommitApproval) -> CommitDecision: ...
    @overload
    async def decide(self, request: EntangledChange) -> EntangledDecision: ...
    @overload
    async def decide(self, request: PlanReview) -> PlanDecision: ...
    async def decide(self, request: ApprovalRequest) -> Decision: ...


def accept_all(review: ChangeReview) -> ChangeDecision:
    return ChangeDecision(
        tuple(
            FileVerdict(f.path, tuple(HunkVerdict(True) for _ in range(f.decision_count)))
            for f in review.files
        )
    )


class TimedApprover:
    """Wraps an approver and adds up the time spent waiting for its answers, so a tool call's
    duration can leave out the time a person took to decide."""

    def __init__(self, inner: Approver) -> None:
        self.inner = inner
        self.waited = 0.0

    async def decide(self, request: ApprovalRequest) -> Decision:
        started = time.monotonic()
        try:
            return await self.inner.decide(request)  # type: ignore[call-overload, no-any-return]
        finally:
            self.waited += time.monotonic() - started


class PolicyApprover:
    """`auto` mode: accept every change, allow every command that reached it, keep the message
    and the plan.
    Files tangled with the person's own edits stay uncommitted: only a person may commit their
    edits.

    Deny rules are applied before a command ever reaches an approver, so this approver never
    sees a denied command.
    """

    async def decide(self, request: ApprovalRequest) -> Decision:
        match request:
            case ChangeReview():
                return accept_all(request)
            case CommandApproval():
                return CommandDecision(allow=True)
            case CommitApproval():  # nobody reads it: worth waiting for the model's subject
                if request.subject is None:
                    return CommitDecision(commit=True, message=request.message)
                return CommitDecision(commit=True, message=request.subject.fill(request.message, await request.subject.wait()))
            case EntangledChange():
                return EntangledDecision(commit_whole=False)
            case PlanReview():  # a plan is for a person to read: shown, never acted on unasked
                return PlanDecision("keep", request.plan)
        raise TypeError(f"unknown approval request {request!r}")
