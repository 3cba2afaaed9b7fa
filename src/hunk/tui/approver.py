"""The TUI's Approver: each question becomes a screen, and its dismiss value is the answer."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, overload

from textual.app import App
from textual.screen import Screen

if TYPE_CHECKING:  # the requests load with the agent, after the first paint
    from hunk.agent.approval import (
        ApprovalRequest,
        ChangeDecision,
        ChangeReview,
        CommandApproval,
        CommandDecision,
        CommitApproval,
        CommitDecision,
        Decision,
        EntangledChange,
        EntangledDecision,
        PlanDecision,
        PlanReview,
    )


def screen_for(request: ApprovalRequest, explanation: str = "") -> Screen[Any]:
    """The screen that asks `request`; a change shows `explanation` (the model's last words) above it.
    The screens (and the diff view's highlighter) are imported with the first question, not
    before the prompt is on screen."""
    from hunk.agent.approval import ChangeReview, CommandApproval, CommitApproval, EntangledChange, PlanReview
    from hunk.tui.screens.change import ChangeScreen
    from hunk.tui.screens.command import CommandScreen
    from hunk.tui.screens.commit import CommitScreen
    from hunk.tui.screens.entangled import EntangledScreen
    from hunk.tui.screens.plan import PlanScreen
    from hunk.tui.screens.review import ReviewScreen

    match request:
        case ChangeReview(phase="end_of_turn"):
            return ReviewScreen(request, explanation)
        case ChangeReview():
            return ChangeScreen(request, explanation)
        case CommandApproval():
            return CommandScreen(request)
        case CommitApproval():
            return CommitScreen(request)
        case EntangledChange():
            return EntangledScreen(request)
        case PlanReview():
            return PlanScreen(request)
    raise TypeError(f"unknown approval request {request!r}")


class TuiApprover:
    """Pushes the screen for a request and awaits its result; works from any task on the app's loop.

    When the awaiting task is cancelled (Ctrl+C during a question) the screen is taken down.
    """

    def __init__(self, app: App[Any], last_words: Callable[[], str] = lambda: "") -> None:
        self._app = app
        self._last_words = last_words

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
    async def decide(self, request: ApprovalRequest) -> Decision:
        screen = screen_for(request, self._last_words())
        answer: asyncio.Future[Decision] = asyncio.get_running_loop().create_future()

        def resolve(result: Decision | None) -> None:
            if result is not None and not answer.done():
                answer.set_result(result)

        await self._app.push_screen(screen, callback=resolve)
        try:
            return await answer
        except asyncio.CancelledError:
            if self._app.screen is screen:
                self._app.pop_screen()
            raise
