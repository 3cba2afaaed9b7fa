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
from hunk.agent.approval import ApprovalMode, Approver, CommandApproval
from hunk.agent.changes import ChangeFlow
from hunk.values.events import ApprovalRequested, EventSink, Notice, ToolCallFinished, ToolCallStarted
from hunk.journal.journal import Journal
from hunk.policy.commands import CommandRules
from hunk.policy.tools import ToolRules
from hunk.tools.base import Tool, ToolContext, ToolOutput
from hunk.values.conversation import ImagePart, ToolCallPart, ToolResultPart
from hunk.workspace import tree
from hunk.workspace.command_changes import ChangeDetector
from hunk.workspace.errors import WorkspaceError


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
        tool_rules: ToolRules | None = None,
    ) -> None:
        self.tools = tools
        self.ctx = ctx
        self.rules = rules  # the configured rules, plus what the person allowed "always"
        self.approver = approver
        self.sink = sink
        self.journal = journal
        self.tool_rules = tool_rules or ToolRules()  # MCP tools by name, plus what was allowed "always"
        self.detector = ChangeDetector(ctx.root)
        self._images: list[ImagePart] = []

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
        return results + self._images

    def _kind(self, call: ToolCallPart) -> str:
        tool = self.tools.get(call.name)
        return tool.kind if tool is not None and call.invalid_arguments is None else "invalid"

    def _skipped(self, call: ToolCallPart) -> ToolResultPart:
        return ToolResultPart(call.id, prompts.message("agent.call_skipped"), is_error=True)

    async def _run_one(self, call: ToolCallPart, flow: ChangeFlow, mode: ApprovalMode) -> ToolResultPart:
        self.sink(ToolCallStarted(call.id, call.name, call.arguments))
        started, waited = time.monotonic(), getattr(self.approver, "waited", 0.0)
        output = await self._execute(call, flow, mode)
        # the call's own time: a person's time to decide is not the tool's
        elapsed = time.monotonic() - started - (getattr(self.approver, "waited", 0.0) - waited)
        self.sink(ToolCallFinished(call.id, call.name, output.summary, output.is_error, elapsed, output.content))
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
        tool = self.tools.get(call.name)
        if tool is None:
            return _error(prompts.message("agent.unknown_tool", name=call.name, known=", ".join(self.tools)))
        if tool.kind == "command":
            return await self._command(tool, call.arguments, flow, mode)
        if tool.kind == "mcp":
            return await self._mcp(tool, call.arguments, flow, mode)  # type: ignore[arg-type]
        output = await self._guarded(tool, call.arguments)
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

    async def _command(self, tool: Tool, arguments: dict[str, Any], flow: ChangeFlow, mode: ApprovalMode) -> ToolOutput:
        command = str(arguments.get("command", ""))
        judgement = self.rules.judge(command, self.ctx.root)
        if judgement.outcome == "deny":
            return _error(prompts.message("agent.command_denied", reason=judgement.reason))
        if mode != "auto" and judgement.outcome != "allow":
            self.sink(ApprovalRequested(kind="command"))
            decision = await self.approver.decide(
                CommandApproval(command=command, cwd=str(self.ctx.root), danger=judgement.danger, reason=judgement.reason)
            )
            if not decision.allow:
                note = decision.note or prompts.message("changes.no_reason")
                return _error(prompts.message("agent.command_rejected", note=note))
            if decision.remember:
                self.rules = self.rules.allowing(command)
        return await self._watched(tool, arguments, flow, command)

    async def _mcp(self, tool: McpCall, arguments: dict[str, Any], flow: ChangeFlow, mode: ApprovalMode) -> ToolOutput:
        """An MCP tool: judged by name, asked about like a command, its file changes reviewed."""
        target = tool.target(arguments)
        if isinstance(target, str):
            return _error(target)
        real, inner = target
        verdict = self.tool_rules.judge(real.name, real.danger)
        if verdict.outcome == "deny":
            return _error(prompts.message("mcp.denied", reason=verdict.reason))
        if mode != "auto" and verdict.outcome != "allow":
            self.sink(ApprovalRequested(kind="command"))
            decision = await self.approver.decide(
                CommandApproval(command=real.preview(inner), cwd=str(self.ctx.root), danger=real.danger, reason=verdict.reason, kind="mcp")
            )
            if not decision.allow:
                return _error(prompts.message("mcp.rejected", note=decision.note or prompts.message("changes.no_reason")))
            if decision.remember:
                self.tool_rules = self.tool_rules.allowing(real.name)
        return await self._watched(real, inner, flow, real.name)  # type: ignore[arg-type]

    async def _watched(self, tool: Tool, arguments: dict[str, Any], flow: ChangeFlow, label: str) -> ToolOutput:
        """Run a tool that may change files behind hunk's back (a command, an MCP server): the
        files it changed in the repository are found and reviewed like any change."""
        watch = await asyncio.to_thread(self.detector.watch)
        try:
            output = await self._guarded(tool, arguments)
        except asyncio.CancelledError:
            # the files the command touched before it was killed still join the turn
            flow.hold_unreviewed(tree.changes_between(*watch.finish(), self.ctx.root))
            raise
        before, after = await asyncio.to_thread(watch.finish)
        changes = tree.changes_between(before, after, self.ctx.root)
        words = await flow.side_effects(changes, label) if changes else ""
        lost = tree.unrestorable(before, after)
        if lost:
            self.sink(Notice(f"the command changed files too large to keep a copy of, not reviewable: {', '.join(lost)}"))
        if words:
            return replace(output, content=f"{output.content}\n\n{words}")
        return output


def _error(text: str) -> ToolOutput:
    return ToolOutput(content=text, is_error=True, summary="error")
