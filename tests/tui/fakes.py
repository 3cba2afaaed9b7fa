"""A test double of `hunk.agent.Agent`: scripted turns that emit core events and ask questions."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from hunk.agent.approval import Approver, ChangeReview, CommandApproval, CommitApproval, Decision
from hunk.values.events import EventSink
from hunk.values.diffs import DiffHunk, FileDiff
from hunk.journal.records import TurnRecord
from hunk.values.conversation import Message, Part
from hunk.values.usage import Usage

Script = Callable[["FakeAgent", str, tuple[Part, ...]], Awaitable[None]]


class FakeSandbox:
    """A sandbox that says nothing, so the status bar of these tests stays as it was."""

    label = ""

    def state(self) -> str:
        return ""


@dataclass
class FakeAgent:
    approver: Approver
    sink: EventSink
    script: Script | None = None
    mode: str = "ask"
    session_usage: Usage = Usage()
    session_cost_usd: float | None = None
    context_window: int | None = 200_000
    model: str = "replay:fake"
    prompts: list[tuple[str, tuple[Part, ...]]] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    cancelled: bool = False
    cleared: int = 0
    diff: str = ""
    history: list[Message] = field(default_factory=list)
    overrides: list[tuple[str | None, set[str] | None]] = field(default_factory=list)  # (model, tools) per turn
    finished_interrupted: int = 0
    sandbox: FakeSandbox = field(default_factory=FakeSandbox)
    rewinds: list[tuple[int, bool, bool]] = field(default_factory=list)

    async def run_turn(
        self, prompt: str, attachments: tuple[Part, ...] = (), *, model: str | None = None, tools: set[str] | None = None
    ) -> None:
        self.prompts.append((prompt, attachments))
        self.overrides.append((model, tools))
        try:
            if self.script is not None:
                await self.script(self, prompt, attachments)
        except asyncio.CancelledError:
            self.cancelled = True
            raise

    async def ask(self, request: ChangeReview | CommandApproval | CommitApproval) -> Decision:
        decision = await self.approver.decide(request)  # type: ignore[call-overload]
        self.decisions.append(decision)
        return decision

    @property
    def model_label(self) -> str:
        return self.model

    async def finish_interrupted(self) -> str | None:
        self.finished_interrupted += 1
        return None

    async def compact(self) -> bool:
        """Stands in for the real compactor: keeps the newest message when there is history."""
        if len(self.history) < 2:
            return False
        self.history = self.history[-1:]
        return True

    def turn_log(self) -> list[TurnRecord]:
        return [TurnRecord(n, prompt, 0, 0, 0) for n, (prompt, _) in enumerate(self.prompts, start=1)]

    async def rewind(self, turn: int, *, code: bool = True, conversation: bool = True) -> str:
        self.rewinds.append((turn, code, conversation))
        return f"rewound to before turn {turn}"

    async def redo(self) -> str:
        return "redone"

    async def fork(self, turn: int) -> str:
        self.rewinds.append((turn, False, False))
        return f"forked at turn {turn}"

    async def undo(self) -> str:
        return "undid 1234abcd Add a greeting"

    def session_diff(self) -> str:
        return self.diff

    def clear(self) -> None:
        self.cleared += 1

    def set_model(self, spec: str) -> None:
        if not spec.startswith(("anthropic:", "openai:", "replay:")):
            raise ValueError(f"unknown provider in {spec!r}")
        self.model = spec


def hunk(index: int, start: int, lines: tuple[str, ...]) -> DiffHunk:
    removed = sum(1 for line in lines if line[:1] in " -")
    added = sum(1 for line in lines if line[:1] in " +")
    return DiffHunk(index, f"@@ -{start},{removed} +{start},{added} @@", start, removed, start, added, lines)


def two_file_review(phase: str = "before_write") -> ChangeReview:
    """app.py with two hunks, README.md with one."""
    app = FileDiff(
        path="src/app.py",
        status="modified",
        text="",
        hunks=(
            hunk(0, 3, (" import sys", "-print('hi')", "+print('hello')", " ")),
            hunk(1, 20, (" def main():", "+    setup()", "     run()")),
        ),
    )
    readme = FileDiff(
        path="README.md",
        status="modified",
        text="",
        hunks=(hunk(0, 1, ("-# App", "+# The app", " ")),),
    )
    return ChangeReview(files=(app, readme), phase=phase)  # type: ignore[arg-type]


def factory(script: Script | None = None, **kwargs: Any) -> tuple[Callable[..., FakeAgent], list[FakeAgent]]:
    """An agent_factory for create_app, and the list that receives the agent it builds."""
    built: list[FakeAgent] = []

    def make(approver: Approver, sink: EventSink) -> FakeAgent:
        agent = FakeAgent(approver, sink, script, **kwargs)
        built.append(agent)
        return agent

    return make, built


def make_app(tmp_path: Any, script: Script | None = None, **kwargs: Any) -> tuple[Any, list[FakeAgent]]:
    from hunk.tui.app import create_app

    make, built = factory(script, **kwargs)
    app = create_app(
        agent_factory=make, repo_label="demo", branch="main", model="replay:fake", mode="ask", root=tmp_path
    )
    return app, built


def notices(app: Any) -> list[str]:
    return [n.message for n in app._notifications]


async def send(pilot: Any, text: str) -> None:
    """Type a prompt into the focused prompt and press Enter."""
    pilot.app.chat.prompt.area.insert(text)
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()


async def settle(pilot: Any, app: Any) -> None:
    """Wait until the turn worker is done and the screen caught up."""
    await app.workers.wait_for_complete()
    await pilot.pause(0.1)
