"""The agent loop: ask the model, run its tool calls, append the results, repeat. One `run_turn`
per prompt; beside it: tool dispatch (calls.py), a change's path (changes.py), the commit."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

from hunk.settings import prompts
from hunk.agent.approval import ApprovalMode, Approver, TimedApprover
from hunk.agent.changes import ChangeFlow
from hunk.agent.calls import ToolRunner, noted
from hunk.agent.checks import run_checks
from hunk.agent.dangling import interrupted_results
from hunk.agent.plan import planning_prompt, review_plan
from hunk.agent.plan_gate import offered_in_plan
from hunk.agent.guard import CommandGuard
from hunk.policy.commands import CommandRules
from hunk.values.events import (EventSink, Notice, ProviderRetrying, ReasoningDelta, TextDelta,
                                 TurnFailed, TurnFinished, TurnStarted, UsageUpdated)
from hunk.agent.limits import LoopGuard, Meter
from hunk.agent.one_turn import for_one_turn
from hunk.extensions.hook_points import HookPoints
from hunk.providers.base import Provider, ProviderConfigError, ReasoningChunk, Request, Retrying, StreamEvent, TextChunk
from hunk.providers.collect import Completion, complete
from hunk.providers.catalog import load_catalog
from hunk.journal.journal import Journal
from hunk.policy.sandbox import Sandbox
from hunk.policy.tools import ToolRules
from hunk.tools.base import ExtraTools, Tool, ToolContext
from hunk.values.conversation import Message, Part, TextPart, append_merged
from hunk.values.usage import Usage
from hunk.agent import timeline, turn_end
from hunk.agent.options import AgentSettings
from hunk.journal.records import CLEARED, MODEL, TURN_BEGIN, TURN_END, TurnRecord, fold
from hunk.journal.undo import NothingToUndo, undo_last_commit
from hunk.workspace.commits import show_commits
from hunk.workspace.errors import GitStateError
from hunk.workspace.git import uncommitted_paths


@dataclass
class TurnOutcome:
    status: Literal["done", "failed", "interrupted"]
    rejected: bool = False  # some hunk was rejected
    commit: str | None = None
    error: str | None = None


class Compactor(Protocol):
    """Keeps the history within the model's context window (see compaction.py)."""

    async def maybe_compact(self, agent: Agent, *, force: bool = False) -> bool: ...


class Agent:
    def __init__(
        self,
        *,
        provider: Provider,
        root: Path,
        approver: Approver,
        sink: EventSink,
        tools: dict[str, Tool],
        rules: CommandRules,
        system_prompt: str,
        settings: AgentSettings | None = None,
        journal: Journal | None = None,
        history: list[Message] | None = None,
        provider_factory: Callable[[str], Provider] | None = None,
        meter: Meter | None = None,
        sandbox: Sandbox | None = None,
        guard: CommandGuard | None = None,
        secrets: tuple[str, ...] = (),
        hooks: HookPoints | None = None,
        extra_tools: ExtraTools | None = None,  # MCP servers' tools, as they come up
        tool_rules: ToolRules | None = None,
    ) -> None:
        self.provider = provider
        self.root = root
        self.timed_approver = TimedApprover(approver)
        self.hooks = hooks or HookPoints()
        self.sink = self.hooks.attach(sink)
        self.tools = tools
        self.system_prompt = system_prompt
        self.settings = settings or AgentSettings()
        self.journal = journal
        self.history: list[Message] = list(history or [])
        self.provider_factory = provider_factory  # PROVIDER:MODEL → Provider, for /model
        self.ctx = ToolContext(root=root, command_timeout_s=self.settings.command_timeout_s)
        self.runner = ToolRunner(
            tools=tools, ctx=self.ctx, rules=rules, approver=self.timed_approver, sink=self.sink, journal=journal,
            sandbox=sandbox, guard=guard, secrets=secrets, hooks=self.hooks, extra_tools=extra_tools, tool_rules=tool_rules,
        )
        self.meter = meter or Meter()
        self.turns = 0
        self._guard = LoopGuard()
        self._interrupted: ChangeFlow | None = None
        self.compactor: Compactor | None = None
        self.last_context_tokens = 0  # prompt size of the latest request: "context used"
        self.mode_after_plan: ApprovalMode = "ask"  # where an approved plan is implemented
        self.commit_refused: str | None = None  # a hook refused the turn's commit

    # --- public API --------------------------------------------------------------------------

    @property
    def approver(self) -> Approver:
        return self.timed_approver.inner

    @approver.setter
    def approver(self, value: Approver) -> None:
        self.timed_approver.inner = value

    @property
    def mode(self) -> ApprovalMode:
        return self.settings.mode

    @mode.setter
    def mode(self, value: ApprovalMode) -> None:
        if value == "plan" and self.settings.mode != "plan":
            self.mode_after_plan = self.settings.mode
        self.settings.mode = value

    @property
    def session_usage(self) -> Usage:
        return self.meter.usage

    @property
    def session_cost_usd(self) -> float | None:
        return self.meter.cost_usd

    @property
    def sandbox(self) -> Sandbox:
        """Where commands run (the network may be allowed during the session)."""
        return self.runner.sandbox

    @property
    def model_label(self) -> str:
        return f"{self.provider.provider_name}:{self.provider.model}"

    @property
    def context_window(self) -> int | None:
        info = load_catalog().model(self.provider.provider_name, self.provider.model)
        return None if info is None else info.context_window

    async def run_turn(
        self, prompt: str, attachments: tuple[Part, ...] = (), *, model: str | None = None, tools: set[str] | None = None
    ) -> TurnOutcome:
        planning = self.mode == "plan"  # then the turn ends with a plan the person reviews (plan.py)
        async with for_one_turn(self, model, tools):
            outcome = await self._turn(prompt, attachments)
        return await review_plan(self, outcome) if planning and outcome.status == "done" else outcome

    async def _turn(self, prompt: str, attachments: tuple[Part, ...]) -> TurnOutcome:
        self.turns += 1
        turn = self.turns
        self.commit_refused = None
        self.sink(TurnStarted(turn, prompt))
        if self.journal is not None:
            self.journal.append(TURN_BEGIN, turn=turn, prompt=prompt)
        said = await self.hooks.opening(prompt, first=turn == 1, resumed=bool(self.history))
        if said.blocked is not None:
            self._end_journal(turn, "failed")
            self.sink(TurnFailed("hook", f"a UserPromptSubmit hook refused the prompt: {said.blocked}"))
            self.sink(TurnFinished(turn, "error", Usage(), None))
            return TurnOutcome(status="failed", error=said.blocked)
        self._append(Message("user", (TextPart(prompt), *planning_prompt(self.mode), *attachments, *said.parts())))
        self._guard = LoopGuard()  # each prompt gets its own warning before a loop is stopped
        user_work = frozenset(await asyncio.to_thread(uncommitted_paths, self.root))
        flow = self._new_flow(user_work)
        turn_usage_before = self.session_usage
        try:
            failure, stop = await self._loop(flow)
        except asyncio.CancelledError:
            if answers := interrupted_results(self.history):  # the history stays valid for the next request
                self._append(answers)
            if self.settings.on_interrupt == "rollback":
                restored = flow.roll_back_pending()
                if restored:
                    self.sink(Notice("interrupted: put back " + ", ".join(restored)))
                self._end_journal(turn, "interrupted")
            else:
                self._interrupted = flow
            self.sink(TurnFailed("interrupted", "interrupted"))
            raise
        except Exception as exc:  # noqa: BLE001 - a bug below the loop ends the turn, not the session
            if answers := interrupted_results(self.history):
                self._append(answers)
            failure, stop = ("internal", f"{type(exc).__name__}: {exc}"), "error"
        if failure is not None:
            self.sink(TurnFailed(failure[0], failure[1]))
        commit = await self._finish(flow)
        if failure is None and self.commit_refused:
            failure, stop = ("hook", self.commit_refused), "error"
        self._end_journal(turn, "failed" if failure else "done", commit)
        turn_usage = self.session_usage - turn_usage_before
        self.sink(TurnFinished(turn, "error" if failure else stop, turn_usage, self._price(turn_usage)))
        return TurnOutcome(
            status="failed" if failure else "done",
            rejected=bool(flow.rejections),
            commit=commit,
            error=failure[1] if failure else None,
        )

    async def finish_interrupted(self) -> str | None:
        """After an interrupted turn (on_interrupt="review"): review what is pending, commit it."""
        flow, self._interrupted = self._interrupted, None
        if flow is None:
            return None
        commit = await self._finish(flow)
        self._end_journal(self.turns, "interrupted", commit)
        return commit

    async def compact(self) -> bool:
        """`/compact`: summarise older turns now. False when there is nothing to compact."""
        return self.compactor is not None and await self.compactor.maybe_compact(self, force=True)

    async def undo(self) -> str:
        """`/undo`: take back the newest agent commit here (the model is told); one line for people."""
        if self.journal is None:
            return "nothing to undo: this session keeps no journal"
        try:
            sha, said = await asyncio.to_thread(undo_last_commit, self.root, self.journal.siblings())
        except (NothingToUndo, GitStateError) as exc:
            return str(exc)
        self._append(Message.user(prompts.message("agent.commit_undone", sha=sha[:10])))
        return said

    def turn_log(self) -> list[TurnRecord]:
        """Blocking: the session's turns, for the rewind picker."""
        return fold(self.journal.path).turn_log if self.journal is not None else []

    async def rewind(self, turn: int, *, code: bool = True, conversation: bool = True) -> str:
        """`/rewind`: back to before `turn`; `/redo` and `/fork` below. One line for people."""
        return await self._travel(timeline.rewind_to(self.root, self.journal, turn, code=code, conversation=conversation) if self.journal else None)

    async def redo(self) -> str:
        return await self._travel(timeline.redo_last(self.journal) if self.journal else None)

    async def fork(self, turn: int) -> str:
        return await self._travel(timeline.fork_at(self.journal, turn) if self.journal else None)

    async def _travel(self, step: Awaitable[timeline.Moved] | None) -> str:
        if step is None:
            return prompts.message("rewind.no_journal")
        moved = await step
        if moved.journal is not None:
            self.journal = self.runner.journal = moved.journal
        if moved.history is not None:
            self.history = moved.history
        return moved.said

    def session_diff(self) -> str:
        """`/diff`: the patches of this session's commits so far (blocking: call from a thread)."""
        commits = [c.sha for c in fold(self.journal.path).live_commits] if self.journal is not None else []
        return show_commits(self.root, commits) or "no commits in this session yet"

    def set_model(self, spec: str) -> None:
        """`/model PROVIDER:MODEL`: the next request goes there (raises a one-line message if not)."""
        if self.provider_factory is None:
            raise ProviderConfigError("this session cannot switch models; restart with -m PROVIDER:MODEL")
        self.provider = self.provider_factory(spec)
        if self.journal is not None:
            self.journal.append(MODEL, model=self.model_label)

    def clear(self) -> None:
        """Start a new conversation (the journal keeps the old one)."""
        self.history = []
        if self.journal is not None:
            self.journal.append(CLEARED)

    # --- the loop ----------------------------------------------------------------------------

    async def _loop(self, flow: ChangeFlow) -> tuple[tuple[str, str] | None, str]:
        for _ in range(self.settings.max_steps):
            if self.compactor is not None:
                await self.compactor.maybe_compact(self)
            request = self._request()
            if self.meter.would_exceed(self.settings.max_cost_usd, self.provider.provider_name, self.provider.model, request):
                spent = self.session_cost_usd or 0.0
                return ("limit", prompts.message("agent.cost_limit_person", spent=f"{spent:.4f}", limit=self.settings.max_cost_usd)), "limit"
            reply = await self._query(request)
            if reply.failure is not None:
                return ("provider", reply.failure.message), "error"
            self._append(reply.message)
            calls = reply.message.tool_calls
            if not calls:
                back = await run_checks(self.runner.checker, flow, self.settings.mode, "turn")
                if back or (not flow.stop_requested and (back := await self.hooks.send_back())):
                    self._append(Message.user(back))  # failed checks, or a Stop hook wants more work first
                    continue
                return None, reply.stop
            results = await self.runner.run_calls(calls, flow, self.settings.mode)
            looping = [c for c in calls if self._guard.record(c.name, c.arguments)]
            if looping and self._guard.warned:
                self._append(Message("user", tuple(results)))
                return ("loop", prompts.message("agent.loop_stopped_person", name=looping[0].name)), "loop"
            if looping:
                self._guard.warned = True
                results = noted(results, prompts.message("agent.loop_warning"))
            self._append(Message("user", tuple(results)))
            if flow.stop_requested:
                return None, "stopped"
        limit = prompts.message("agent.step_limit_person", steps=self.settings.max_steps)
        return ("limit", limit), "limit"

    def _request(self) -> Request:
        return Request(
            model=self.provider.model,
            system=self.system_prompt,
            messages=tuple(self.history),
            tools=tuple(s for s in self.runner.specs() if self.mode != "plan" or offered_in_plan(self.tools.get(s.name))),
            max_tokens=self.settings.max_tokens,
            reasoning_effort=self.settings.reasoning_effort,
        )

    async def _query(self, request: Request) -> Completion:
        def show(event: StreamEvent) -> None:
            if isinstance(event, TextChunk):
                self.sink(TextDelta(event.text))
            elif isinstance(event, ReasoningChunk):
                self.sink(ReasoningDelta(event.text))
            elif isinstance(event, Retrying):
                self.sink(ProviderRetrying(event.kind, event.message, event.delay_s, event.attempt, event.of, event.restart))

        reply = await complete(self.provider, request, show)
        self.last_context_tokens = reply.usage.prompt_tokens or self.last_context_tokens
        self.record_usage(reply.usage)
        return reply

    # --- bookkeeping -------------------------------------------------------------------------

    def _new_flow(self, user_work: frozenset[str] = frozenset()) -> ChangeFlow:
        return ChangeFlow(
            root=self.root,
            mode=self.settings.mode,
            approver=self.timed_approver,
            sink=self.sink,
            journal=self.journal,
            read_hashes=self.ctx.read_hashes,
            user_work=user_work,
            hooks=self.hooks,
        )

    async def _finish(self, flow: ChangeFlow) -> str | None:
        return await turn_end.finish(self, flow)

    def tell_model(self, text: str) -> None:
        """Words the model reads with the next prompt (consecutive user messages merge)."""
        self._append(Message.user(text))

    def _append(self, message: Message) -> None:
        """Add to the history; consecutive user messages are merged (APIs want alternation)."""
        append_merged(self.history, message)
        if self.journal is not None:
            self.journal.message(message)

    def _price(self, usage: Usage) -> float | None:
        return Meter.price(self.provider.provider_name, self.provider.model, usage)

    def record_usage(self, usage: Usage, model: str | None = None) -> None:
        """Count a call's tokens and cost (any request made for this session, summaries and the
        commit subject, which may use another `model` of the provider, too)."""
        cost = self.meter.add(self.provider.provider_name, model or self.provider.model, usage)
        if self.journal is not None:
            self.journal.usage(usage, cost)
        # "context used" is the conversation's size: side requests (the commit subject) leave it
        self.sink(UsageUpdated(usage, cost, self.session_cost_usd, self.last_context_tokens))

    def _end_journal(self, turn: int, status: str, commit: str | None = None) -> None:
        if self.journal is not None:
            self.journal.append(TURN_END, turn=turn, status=status, commit=commit)

