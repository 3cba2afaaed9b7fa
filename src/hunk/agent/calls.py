"""Running the tool calls of one model reply.

Consecutive read calls run concurrently; writes and commands run one at a time, in order.
A tool error is a result the model can act on, never a crash of the loop.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace
from typing import Any, Protocol

from hunk.settings import prompts
from hunk.settings.secrets import redact
from hunk.agent.approval import ApprovalMode, Approver, CommandApproval, CommandDecision
from hunk.agent.changes import ChangeFlow
from hunk.agent.checks import Checker, run_checks
from hunk.agent.plan_gate import PLAN_COMMAND, offered_in_plan
from hunk.values.events import (
    ApprovalRequested, CommandOutput, EventSink, Notice, TodosUpdated, ToolCallFinished, ToolCallStarted,
)
from hunk.journal.journal import Journal
from hunk.extensions.hook_points import HookPoints
from hunk.policy.commands import CommandRules
from hunk.policy.danger import Danger
from hunk.policy.sandbox import Denial, Sandbox
from hunk.policy.tools import ToolRules
from hunk.tools.base import ExtraTools, Tool, ToolContext, ToolOutput
from hunk.values.conversation import ImagePart, ToolCallPart, ToolResultPart, ToolSpec
from hunk.values.todos import TodoItem, todos_to_dicts
from hunk.workspace import tree
from hunk.workspace.command_changes import ChangeDetector
from hunk.workspace.changeset import FileChange
from hunk.workspace.errors import GitStateError, WorkspaceError
from hunk.agent.guard import CommandGuard, Guarded, KeepRefused


class McpTarget(Protocol):
    """An MCP tool as the runner judges it: its name, what it says of its own danger, and a
    one-line preview of a call for the person."""

    name: str
    danger: str

    def preview(self, arguments: dict[str, Any]) -> str: ...

    async def run(self, arguments: dict[str, Any], ctx: ToolContext) -> ToolOutput: ...


class McpCall(Protocol):
    """A tool of kind "mcp": the tool a call stands for (itself, or the one `mcp_call` names),
    or what to tell the model instead."""

    def target(self, arguments: dict[str, Any]) -> tuple[McpTarget, dict[str, Any]] | str: ...


class ToolRunner:
    def __init__(
        self,
        *,
        tools: dict[str, Tool],
        ctx: ToolContext,
        rules: CommandRules,
        approver: Approver,
        sink: EventSink,
        journal: Journal | None,
        sandbox: Sandbox | None = None,
        tool_rules: ToolRules | None = None,
        guard: CommandGuard | None = None,
        secrets: tuple[str, ...] = (),
        hooks: HookPoints | None = None,
        extra_tools: ExtraTools | None = None,
    ) -> None:
        self.tools = tools
        self.extra_tools = extra_tools  # tools that come and go (MCP servers), offered after the fixed ones
        self.ctx = ctx
        self.rules = rules  # the configured rules, plus what the person allowed "always"
        self.approver = approver
        self.sink = sink
        self.journal = journal
        self.todos: tuple[TodoItem, ...] = ()  # the model's checklist, as todo_write last left it
        self.plan_sandbox: Sandbox | None = None  # the read-only sandbox plan mode's commands run in
        self.checker: Checker | None = None  # the configured checks ([checks])
        self.tool_rules = tool_rules or ToolRules()  # MCP tools by name, plus what was allowed "always"
        self._images: list[ImagePart] = []
        self.hooks = hooks or HookPoints()
        self.offered: set[str] | None = None  # this turn's tools when a custom command limits them
        self.detector = ChangeDetector(ctx.root)
        self.sandbox = sandbox or Sandbox("off", ctx.root)
        self.guard = guard or CommandGuard(ctx.root, journal)
        self.secrets = secrets  # credential values the model, journal and events never see

    def specs(self) -> tuple[ToolSpec, ...]:
        """What the model is told about the tools it may call now: the fixed tools, then the extra
        ones that are up (a stable order: the prompt prefix the provider caches)."""
        extra = list(self.extra_tools.offered_tools()) if self.extra_tools is not None else []
        return tuple(tool.spec for tool in [*self.tools.values(), *extra] if self._may(tool.name))

    def _may(self, name: str) -> bool:
        return self.offered is None or name in self.offered

    def _tool(self, name: str) -> Tool | None:
        """A tool by name: a fixed one, or an extra one (offered, or loaded by its schema)."""
        if name in self.tools or self.extra_tools is None:
            return self.tools.get(name)
        extra = [*self.extra_tools.offered_tools(), *self.extra_tools.tools()]
        return next((tool for tool in extra if tool.name == name), None)

    async def run_calls(
        self, calls: tuple[ToolCallPart, ...], flow: ChangeFlow, mode: ApprovalMode
    ) -> list[ToolResultPart | ImagePart]:
        """One result per call, in order, then the images the tools returned (the APIs take
        images beside the results, in the same user message)."""
        results: list[ToolResultPart | ImagePart] = []
        self._images = []
        index = 0
        while index < len(calls):
            if flow.stop_requested:
                results.extend(self._skipped(call) for call in calls[index:])
                break
            batch = [calls[index]]
            if self._kind(calls[index]) == "read":
                while index + len(batch) < len(calls) and self._kind(calls[index + len(batch)]) == "read":
                    batch.append(calls[index + len(batch)])
            done = await asyncio.gather(*(self._run_one(call, flow, mode) for call in batch))
            results.extend(done)
            index += len(batch)
        if results and (failed_checks := await run_checks(self.checker, flow, mode, "step")):
            results = noted(results, failed_checks)  # `[checks] when = "step"`: failures join the last
        return results + self._images

    def _kind(self, call: ToolCallPart) -> str:
        tool = self._tool(call.name)
        return tool.kind if tool is not None and call.invalid_arguments is None else "invalid"

    def _skipped(self, call: ToolCallPart) -> ToolResultPart:
        return ToolResultPart(call.id, prompts.message("agent.call_skipped"), is_error=True)

    async def _run_one(self, call: ToolCallPart, flow: ChangeFlow, mode: ApprovalMode) -> ToolResultPart:
        self.sink(ToolCallStarted(call.id, call.name, call.arguments))
        started, waited = time.monotonic(), getattr(self.approver, "waited", 0.0)
        try:
            output = await self._execute(call, flow, mode)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - whatever fails, the call gets its result
            problem = f"{type(exc).__name__}: {exc}"
            self.sink(Notice(f"{call.name} failed: {problem}"))
            output = _error(prompts.message("agent.call_failed", problem=problem))
        if self.secrets:
            output = replace(output, content=redact(output.content, self.secrets))
        # the call's own time: a person's time to decide is not the tool's
        elapsed = time.monotonic() - started - (getattr(self.approver, "waited", 0.0) - waited)
        self.sink(ToolCallFinished(call.id, call.name, output.summary, output.is_error, elapsed, output.content, output.failed))
        if self.journal is not None:
            self.journal.append(
                "tool", call_id=call.id, name=call.name, is_error=output.is_error, summary=output.summary,
                duration_s=round(elapsed, 3),
            )
        self._images.extend(output.images)
        return ToolResultPart(call.id, output.content, output.is_error)

    async def _execute(self, call: ToolCallPart, flow: ChangeFlow, mode: ApprovalMode) -> ToolOutput:
        if call.invalid_arguments is not None:
            return _error(prompts.message("agent.invalid_arguments", name=call.name, raw=call.invalid_arguments[:500]))
        tool = self._tool(call.name)
        if tool is None or not self._may(call.name):
            known = [spec.name for spec in self.specs()]
            return _error(prompts.message("agent.unknown_tool", name=call.name, known=", ".join(known)))
        if mode == "plan" and not offered_in_plan(tool):  # offered or not, plan mode writes nothing
            return _error(prompts.message("agent.plan_refused", name=call.name))
        name, arguments = _hooked(tool, call)
        before = await self.hooks.before_tool(name, arguments)
        if before.blocked is not None:
            self.sink(Notice(f"a PreToolUse hook blocked {name}: {before.blocked}"))
            return _error(prompts.message("extensions.tool_blocked", reason=before.blocked))
        output = await self._call(tool, call, flow, mode)
        if self.hooks.has("PostToolUse", name):
            output = await self._after(replace(call, name=name, arguments=arguments), output, flow)
        if before.context:
            output = replace(output, content=f"{output.content}\n\n{before.context}")
        return output

    async def _call(self, tool: Tool, call: ToolCallPart, flow: ChangeFlow, mode: ApprovalMode) -> ToolOutput:
        if tool.kind == "command":
            return await self._command(tool, call, flow, mode)
        if tool.kind == "mcp":
            return await self._mcp(tool, call, flow, mode)  # type: ignore[arg-type]
        output = await self._guarded(tool, call.arguments)
        if output.todos is not None and not output.is_error:
            self.todos = output.todos
            self.sink(TodosUpdated(output.todos))
            if self.journal is not None:
                self.journal.append("todos", items=todos_to_dicts(output.todos))
        if tool.kind == "write" and output.change is not None and not output.is_error:
            if output.change.is_noop:
                return _error(prompts.message("agent.write_noop", path=output.change.path))
            try:
                words = await flow.propose(output.change)
            except WorkspaceError as exc:  # a full disk, a file that vanished: the old file is intact
                self.sink(Notice(str(exc)))
                return _error(prompts.message("agent.write_failed", path=output.change.path, problem=str(exc)))
            return ToolOutput(content=f"{output.content}\n{words}".strip(), summary=output.summary)
        return output

    async def _after(self, call: ToolCallPart, output: ToolOutput, flow: ChangeFlow) -> ToolOutput:
        """PostToolUse hooks; what they change in the repository (a formatter) is reviewed hunk
        by hunk like a command's changes, and what they say reaches the model."""
        watch = await asyncio.to_thread(self.detector.watch)
        try:
            said = await self.hooks.after_tool(call.name, call.arguments, output.content, output.is_error)
        except asyncio.CancelledError:
            flow.hold_unreviewed(tree.changes_between(*watch.finish(), self.ctx.root))
            raise
        before, after = await asyncio.to_thread(watch.finish)
        changes = tree.changes_between(before, after, self.ctx.root)
        words = [said.context] if said.context else []
        if said.blocked is not None:  # the call already ran: the reason is feedback for the model
            words.append(prompts.message("extensions.hook_context", event="PostToolUse", context=said.blocked))
        if changes:
            words.append(await flow.side_effects(changes, f"PostToolUse hook after {call.name}"))
        words = [w for w in words if w]
        return replace(output, content="\n\n".join([output.content, *words])) if words else output

    async def _guarded(self, tool: Tool, arguments: dict[str, Any]) -> ToolOutput:
        try:
            return await tool.run(arguments, self.ctx)
        except asyncio.CancelledError:
            raise
        except OSError as exc:
            return _error(prompts.message("agent.os_error", name=tool.name, problem=exc.strerror or str(exc)))
        except Exception as exc:  # noqa: BLE001 - a tool's bug must not end the turn
            self.sink(Notice(f"{tool.name} failed unexpectedly: {type(exc).__name__}: {exc}"))
            return _error(prompts.message("agent.tool_crashed", name=tool.name, problem=f"{type(exc).__name__}: {exc}"))

    async def _command(self, tool: Tool, call: ToolCallPart, flow: ChangeFlow, mode: ApprovalMode) -> ToolOutput:
        command = str(call.arguments.get("command", ""))
        judgement = self.rules.judge(command, self.ctx.root)
        if judgement.outcome == "deny":
            return _error(prompts.message("agent.command_denied", reason=judgement.reason))
        if self.sandbox.refuses:
            return _error(prompts.message("sandbox.refused", state=self.sandbox.state()))
        if mode == "plan":
            return await self._plan_command(tool, call, flow, judgement.danger)
        # the sandbox guards the machine and the review the repository: no question up to "writes"
        covered = self.sandbox.active and Danger(judgement.danger) <= Danger.WRITES
        outside = False
        if mode != "auto" and judgement.outcome != "allow" and not covered:
            decision = await self._ask(CommandApproval(
                command=command, cwd=str(self.ctx.root), danger=judgement.danger, reason=judgement.reason,
                sandboxed=self.sandbox.active,
            ))
            if not decision.allow:
                note = decision.note or prompts.message("changes.no_reason")
                return _error(prompts.message("agent.command_rejected", note=note))
            if decision.remember:
                self.rules = self.rules.allowing(command)
            outside = decision.outside_sandbox
        output = await self._watched(tool, call, flow, command, outside)
        denial = self._denial(output, outside)
        # a refusal is offered to the person when the command failed on it; one that still
        # exited 0 (`find -exec rm {} \;`) is only explained to the model
        if denial is not None and mode != "auto" and output.exit_code not in (0, None):
            again = await self._ask(CommandApproval(
                command=command, cwd=str(self.ctx.root), danger=judgement.danger, reason=denial.evidence[0],
                sandboxed=True, denied=denial.kind,
            ))
            if again.allow and (again.outside_sandbox or again.allow_network):
                output = await self._watched(tool, call, flow, command, again.outside_sandbox)
                denial = self._denial(output, again.outside_sandbox)
        if denial is not None:
            return replace(output, content=f"{output.content}\n\n{denial.explain()}")
        return output

    async def _mcp(self, tool: McpCall, call: ToolCallPart, flow: ChangeFlow, mode: ApprovalMode) -> ToolOutput:
        """An MCP tool: judged by name, asked about like a command, its file changes reviewed."""
        target = tool.target(call.arguments)
        if isinstance(target, str):
            return _error(target)
        real, inner = target
        verdict = self.tool_rules.judge(real.name, real.danger)
        if verdict.outcome == "deny":
            return _error(prompts.message("mcp.denied", reason=verdict.reason))
        if mode != "auto" and verdict.outcome != "allow":
            decision = await self._ask(
                CommandApproval(command=real.preview(inner), cwd=str(self.ctx.root), danger=real.danger, reason=verdict.reason, kind="mcp")
            )
            if not decision.allow:
                return _error(prompts.message("mcp.rejected", note=decision.note or prompts.message("changes.no_reason")))
            if decision.remember:
                self.tool_rules = self.tool_rules.allowing(real.name)
        # an MCP server is not a command: it runs as the person, outside the sandbox (README)
        return await self._watched(real, replace(call, arguments=inner), flow, real.name, outside=True)  # type: ignore[arg-type]

    async def _plan_command(self, tool: Tool, call: ToolCallPart, flow: ChangeFlow, danger: str) -> ToolOutput:
        """Plan mode: inside the read-only sandbox where there is one, commands up to "writes"
        run (their writes fail); without it, only read-only commands. Never a question."""
        sandbox = self.plan_sandbox if self.plan_sandbox is not None and self.plan_sandbox.active else None
        if danger not in (("read-only", "writes") if sandbox else ("read-only",)):
            return _error(prompts.message("agent.plan_command_refused", danger=danger))
        return await self._watched(tool, call, flow, str(call.arguments.get("command", "")), sandbox is None, sandbox)

    async def run_check(self, command: str, flow: ChangeFlow) -> ToolOutput:
        """A configured check: no rules or questions (the person chose it), but the same trust
        boundary as the model's commands (the session's sandbox), files it changes included."""
        call = ToolCallPart("check", PLAN_COMMAND, {"command": command})
        return await self._watched(self.tools[PLAN_COMMAND], call, flow, command, False)

    async def _ask(self, question: CommandApproval) -> CommandDecision:
        self.sink(ApprovalRequested(kind="command"))
        decision = await self.approver.decide(question)
        if decision.allow and decision.allow_network and not self.sandbox.network:
            self.sandbox = self.sandbox.with_network()
            self.sink(Notice(f"network allowed for this session. {self.sandbox.state()}"))
        return decision

    def _denial(self, output: ToolOutput, outside: bool) -> Denial | None:
        """What the sandbox refused the command, by its output, whatever its exit status."""
        return None if outside else self.sandbox.explain(output.content, failed=output.exit_code not in (0, None))

    async def _watched(
        self, tool: Tool, call: ToolCallPart, flow: ChangeFlow, label: str, outside: bool, box: Sandbox | None = None
    ) -> ToolOutput:
        """Run a tool that may change files behind hunk's back (a command: in `box`, else the
        session's sandbox, unless `outside`; an MCP tool), guarded; hand its changes to the flow."""
        box = box if box is not None else self.sandbox
        sandboxed = box.active and not outside
        try:
            guarded, env = await asyncio.to_thread(self.guard.before, sandboxed)
        except (KeepRefused, GitStateError) as exc:  # not run: nothing could be kept
            self.sink(Notice(str(exc)))
            return _error(str(exc))
        self.ctx.command_env = env
        self.ctx.sandbox = box if sandboxed else None
        watch = await asyncio.to_thread(self.detector.watch)
        self.sink(CommandOutput(call.id, ""))  # it runs now: no longer waiting on anyone
        self.ctx.on_output = lambda text: self.sink(CommandOutput(call.id, text))
        try:
            output = await self._guarded(tool, call.arguments)
        except asyncio.CancelledError:
            # the files the command touched before it was killed still join the turn
            self.guard.after(guarded)
            flow.hold_unreviewed(tree.changes_between(*watch.finish(), self.ctx.root))
            self.guard.close(guarded)
            raise
        finally:
            self.ctx.on_output = None
            self.ctx.sandbox = None
        await asyncio.to_thread(self.guard.after, guarded)  # before any other git runs
        before, after = await asyncio.to_thread(watch.finish)
        changes = tree.changes_between(before, after, self.ctx.root)
        lost = tree.unrestorable(before, after)
        changes += [c for path in lost if (c := self._kept_change(guarded, before, path, tool.name)) is not None]
        words = await flow.side_effects(changes, label) if changes else ""
        self.guard.close(guarded)
        gone = [path for path in lost if not any(c.path == path for c in changes)]
        if gone:
            self.sink(Notice(f"the command changed files too large to keep a copy of, not reviewable: {', '.join(gone)}"))
        said = guarded.words() if guarded is not None else ""
        if guarded is not None and (guarded.moved or guarded.ignored):
            self.sink(Notice("a command moved git state or your ignored files; put back: " + ", ".join(guarded.moved + guarded.ignored)))
        words = "\n".join(w for w in (said, words) if w)
        summary = f"{output.summary}  sandboxed" if sandboxed else output.summary
        content = f"{output.content}\n\n{words}" if words else output.content
        return replace(output, content=content, summary=summary)

    def _kept_change(self, guarded: Guarded | None, before: tree.Snapshot, path: str, source: str) -> FileChange | None:
        """A change to a file too large for the detector to keep, from the guard's own copy."""
        old = self.guard.kept_content(guarded, path)
        if old is None:
            return None
        new, mode = tree.read_state(self.ctx.root, path)
        state = before.files.get(path)
        old_mode = state.mode if state is not None else None
        if new == old and mode == old_mode:
            return None
        return FileChange(path, old, new, old_mode, mode, source)


def _hooked(tool: Tool, call: ToolCallPart) -> tuple[str, dict[str, Any]]:
    """The name and arguments hooks see: for `mcp_call`, the MCP tool it names (so a matcher on
    `mcp__github__.*` sees every call of that server's tools, loaded or not)."""
    if tool.kind == "mcp":
        target = tool.target(call.arguments)  # type: ignore[attr-defined]
        if not isinstance(target, str):
            return target[0].name, target[1]
    return call.name, call.arguments


def noted(results: list[ToolResultPart | ImagePart], text: str) -> list[ToolResultPart | ImagePart]:
    """The results with `text` added to the last tool result (images come after the results)."""
    at = max(i for i, r in enumerate(results) if isinstance(r, ToolResultPart))
    last = results[at]
    assert isinstance(last, ToolResultPart)
    return [*results[:at], replace(last, content=f"{last.content}\n\n{text}"), *results[at + 1 :]]


def _error(text: str) -> ToolOutput:
    return ToolOutput(content=text, is_error=True, summary="error")
