"""The points in a session where hooks run, and the fields each event's hooks receive.

Every hook's stdin holds `session_id`, `cwd` and `hook_event_name`, plus:

| event | matcher tests | fields |
|---|---|---|
| SessionStart | `source` | `source`: "startup" or "resume" |
| UserPromptSubmit | — | `prompt` |
| PreToolUse | tool name | `tool_name`, `tool_input` |
| PostToolUse | tool name | `tool_name`, `tool_input`, `tool_response` {`content`, `is_error`} |
| Stop | — | `stop_hook_active` (a Stop hook already sent the model back this turn) |
| Notification | `notification_type` | `message`, `notification_type` ("permission_prompt") |
| ChangeProposed | path | `path`, `status`, `diff`, `source` (write_file, edit_file, command…) |
| HunksDecided | path | `path`, `accepted`, `rejected`, `notes` |
| PreCommit | — | `diff` (exactly what will be committed), `message`, `files` |

With no hook for a point, nothing runs and nothing is awaited beyond a dictionary lookup.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hunk.settings import prompts
from hunk.values.conversation import TextPart
from hunk.values.events import ApprovalRequested, Event, EventSink, Notice
from hunk.extensions.hooks import Hooks

STOP_RETURNS = 3  # how often Stop hooks may send the model back within one turn


@dataclass
class Said:
    """What the hooks of one point said."""

    blocked: str | None = None  # the reason, as the hook gave it
    context: str = ""  # for the model, ready to append ("" when none)
    message: str | None = None  # PreCommit: the commit message hooks left

    def parts(self) -> tuple[TextPart, ...]:
        """The context as message parts (none without context)."""
        return (TextPart(self.context),) if self.context else ()


class HookPoints:
    def __init__(
        self, hooks: Hooks | None = None, *, warnings: list[str] | None = None, on_notice: Callable[[str], None] | None = None
    ) -> None:
        self.hooks = hooks
        self.warnings = list(warnings or [])  # told with the session's first prompt
        self._returns = 0  # times Stop hooks sent the model back this turn
        self.on_notice = on_notice  # where fire-and-forget hooks (Notification) report
        self._background: set[asyncio.Task[Any]] = set()

    def has(self, event: str, subject: str | None = None) -> bool:
        return self.hooks is not None and bool(self.hooks.matching(event, subject))

    async def _fire(self, event: str, subject: str | None = None, **fields: Any) -> Said:
        if self.hooks is None or not self.has(event, subject):
            return Said(message=fields.get("message"))
        effect = await self.hooks.fire(event, subject, **fields)
        for notice in effect.notices:
            self.tell(notice)
        context = "\n\n".join(prompts.message("extensions.hook_context", event=event, context=c) for c in effect.context)
        return Said(effect.blocked, context, effect.message)

    def tell(self, notice: str) -> None:
        """A line for the person (a hook that failed or timed out, what a hook decided)."""
        if self.on_notice is not None:
            self.on_notice(notice)

    async def opening(self, prompt: str, *, first: bool, resumed: bool) -> Said:
        """SessionStart (before the session's first prompt) and UserPromptSubmit: blocked when
        a UserPromptSubmit hook refuses the prompt; the context of both."""
        said = []
        self._returns = 0  # a new turn: Stop hooks may send the model back again
        for warning in self.warnings if first else []:
            self.tell(warning)
        if first:
            source = "resume" if resumed else "startup"
            said.append(await self._fire("SessionStart", source, source=source))
        said.append(await self._fire("UserPromptSubmit", prompt=prompt))
        return Said(blocked=said[-1].blocked, context="\n\n".join(s.context for s in said if s.context))

    async def before_tool(self, name: str, arguments: dict[str, Any]) -> Said:
        return await self._fire("PreToolUse", name, tool_name=name, tool_input=arguments)

    async def after_tool(self, name: str, arguments: dict[str, Any], content: str, is_error: bool) -> Said:
        response = {"content": content, "is_error": is_error}
        return await self._fire("PostToolUse", name, tool_name=name, tool_input=arguments, tool_response=response)

    async def send_back(self) -> str | None:
        """Stop hooks, when the model would end its turn: the words that send it back to work,
        or None (at most STOP_RETURNS times a turn)."""
        if not self.has("Stop"):
            return None
        said = await self._fire("Stop", stop_hook_active=self._returns > 0)
        if said.blocked is None or self._returns >= STOP_RETURNS:
            return None
        self._returns += 1
        self.tell(f"a Stop hook sent the model back to work: {said.blocked}")
        return prompts.message("extensions.stop_blocked", reason=said.blocked)

    async def change(self, path: str, status: str, diff: str, source: str) -> Said:
        return await self._fire("ChangeProposed", path, path=path, status=status, diff=diff, source=source)

    async def decided(self, path: str, accepted: int, rejected: int, notes: list[str]) -> Said:
        return await self._fire("HunksDecided", path, path=path, accepted=accepted, rejected=rejected, notes=notes)

    async def pre_commit(self, diff: str, message: str, files: list[str]) -> Said:
        return await self._fire("PreCommit", diff=diff, message=message, files=files)

    def attach(self, sink: EventSink) -> EventSink:
        """Report to `sink`; returns it, telling Notification hooks whenever hunk waits for the person."""
        self.on_notice = lambda text: sink(Notice(text))
        if not self.has("Notification"):
            return sink

        def watched(event: Event) -> None:
            sink(event)
            if isinstance(event, ApprovalRequested):
                self.notify(f"hunk is waiting for your answer ({event.kind})")

        return watched

    def notify(self, message: str, kind: str = "permission_prompt") -> None:
        """Notification hooks run beside the session (a desktop alert must not hold a question
        back); what they say reaches `on_notice`."""
        if not self.has("Notification", kind):
            return

        async def run() -> None:
            await self._fire("Notification", kind, message=message, notification_type=kind)

        task = asyncio.get_running_loop().create_task(run())
        self._background.add(task)
        task.add_done_callback(self._background.discard)
