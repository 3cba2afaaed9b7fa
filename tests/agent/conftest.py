"""The agent in-process: the real Anthropic SDK against the fake server, a real git repository,
and an approver that answers from a script (the person, in these tests)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest

from hunk.agent.loop import Agent
from hunk.agent.approval import (
    ApprovalRequest,
    ChangeDecision,
    ChangeReview,
    CommandApproval,
    CommitApproval,
    CommitDecision,
    Decision,
)
from hunk.values.diffs import FileVerdict, HunkVerdict
from hunk.settings.config import Config, load_config
from hunk.values.events import Event
from hunk.agent.assemble import RunSpec, build_agent
from hunk.journal.journal import SessionStore
from tests.fakeserver import FakeProvider

Answer = Decision | Callable[[ApprovalRequest], Decision]


@dataclass
class ScriptedApprover:
    """Answers questions from a queue; commits are confirmed unless a CommitDecision is queued."""

    answers: list[Answer] = field(default_factory=list)
    asked: list[ApprovalRequest] = field(default_factory=list)

    async def decide(self, request: ApprovalRequest) -> Decision:
        if isinstance(request, CommitApproval) and request.subject is not None:  # reads the model's subject
            request = replace(request, message=request.subject.fill(request.message, await request.subject.wait()))
        self.asked.append(request)
        if isinstance(request, CommitApproval) and not (self.answers and isinstance(self.answers[0], CommitDecision)):
            return CommitDecision(True, request.message)
        answer = self.answers.pop(0)
        return answer(request) if callable(answer) else answer

    def reviews(self) -> list[ChangeReview]:
        return [r for r in self.asked if isinstance(r, ChangeReview)]

    def commands(self) -> list[CommandApproval]:
        return [r for r in self.asked if isinstance(r, CommandApproval)]


def hunks(*verdicts: bool | str) -> Callable[[ApprovalRequest], ChangeDecision]:
    """Per-hunk answers for a one-file review: True accepts, False rejects, a string rejects
    with that note."""

    def answer(request: ApprovalRequest) -> ChangeDecision:
        assert isinstance(request, ChangeReview) and len(request.files) == 1
        diff = request.files[0]
        assert len(verdicts) == diff.decision_count, f"{diff.path} has {diff.decision_count} hunks"
        return ChangeDecision(
            (FileVerdict(diff.path, tuple(HunkVerdict(v) if isinstance(v, bool) else HunkVerdict(False, v) for v in verdicts)),)
        )

    return answer


def files_verdicts(**per_path: tuple[bool | str, ...]) -> Callable[[ApprovalRequest], ChangeDecision]:
    """Per-file, per-hunk answers for a review of several files (path with / written as __)."""

    def answer(request: ApprovalRequest) -> ChangeDecision:
        assert isinstance(request, ChangeReview)
        out = []
        for diff in request.files:
            verdicts = per_path[diff.path.replace("/", "__").replace(".", "_")]
            assert len(verdicts) == diff.decision_count
            out.append(FileVerdict(diff.path, tuple(HunkVerdict(v) if isinstance(v, bool) else HunkVerdict(False, v) for v in verdicts)))
        return ChangeDecision(tuple(out))

    return answer


@dataclass
class Harness:
    root: Path
    fake: FakeProvider
    approver: ScriptedApprover
    events: list[Event]
    agent: Agent
    config: Config
    env: dict[str, str]

    def of(self, kind: type) -> list[Any]:
        return [e for e in self.events if isinstance(e, kind)]


@pytest.fixture
def harness(fake: FakeProvider, tmp_path: Path) -> Callable[..., Harness]:
    def make(root: Path, mode: str, *, flags: dict[str, Any] | None = None, on_interrupt: str = "rollback") -> Harness:
        env = {
            "HOME": str(tmp_path / "home"),
            "XDG_CONFIG_HOME": str(tmp_path / "home" / ".config"),
            "ANTHROPIC_BASE_URL": fake.url,
            "ANTHROPIC_API_KEY": "test-key",
        }
        config = load_config(root, env, {"model": "anthropic:claude-haiku-4-5", "approval": mode, **(flags or {})})
        journal = SessionStore(tmp_path / "state", root).create()
        approver = ScriptedApprover()
        events: list[Event] = []
        spec = RunSpec(root=root, config=config, mode=mode, env=env, journal=journal, on_interrupt=on_interrupt)
        agent = build_agent(spec, approver, events.append)
        return Harness(root, fake, approver, events, agent, config, env)

    return make
