"""Plan mode's end: the model's last words are a plan (markdown) the person reviews.

They may implement it in this session, or in a fresh context that carries only the plan (after
editing it, if they like); reject it with a note, which the model answers with a revised plan;
or keep it without acting (`hunk run --plan`). What plan mode may do while the model plans is
decided by the tools offered (`Agent._request`) and the dispatcher (`plan_gate.offered_in_plan`).
"""

from __future__ import annotations

from typing import Protocol, TypeVar

from hunk.agent.approval import ApprovalMode, Approver, PlanReview
from hunk.journal.journal import Journal
from hunk.settings import prompts
from hunk.values.conversation import Message, TextPart
from hunk.values.events import EventSink, Notice, PlanDecided, PlanProposed

Outcome = TypeVar("Outcome")


class Planner(Protocol[Outcome]):
    """What the plan's review needs of the agent (`loop.Agent`)."""

    history: list[Message]
    sink: EventSink
    journal: Journal | None
    mode: ApprovalMode
    mode_after_plan: ApprovalMode

    @property
    def approver(self) -> Approver: ...
    async def run_turn(self, prompt: str) -> Outcome: ...
    def clear(self) -> None: ...


def planning_prompt(mode: str) -> tuple[TextPart, ...]:
    """What the model reads with each prompt in plan mode (nothing in the other modes)."""
    return (TextPart(prompts.render("plan_mode")),) if mode == "plan" else ()


def last_reply(agent: Planner[Outcome]) -> str:
    """The text of the model's final message: the plan."""
    for message in reversed(agent.history):
        if message.role == "assistant":
            return message.text.strip()
    return ""


async def review_plan(agent: Planner[Outcome], outcome: Outcome) -> Outcome:
    plan = last_reply(agent)
    if not plan:
        agent.sink(Notice("plan mode: the model ended without a plan"))
        return outcome
    agent.sink(PlanProposed(plan))
    if agent.journal is not None:
        agent.journal.append("plan", plan=plan)
    decision = await agent.approver.decide(PlanReview(plan))
    implement = decision.action in ("implement", "implement_fresh")
    if implement:
        agent.mode = agent.mode_after_plan
    agent.sink(PlanDecided(decision.action, decision.note, agent.mode))
    if decision.action == "reject" and decision.note:
        return await agent.run_turn(prompts.message("agent.plan_rejected", note=decision.note))
    if not implement:
        return outcome
    if decision.action == "implement_fresh":
        agent.clear()
    return await agent.run_turn(prompts.render("plan_implement", plan=decision.plan.strip()))
