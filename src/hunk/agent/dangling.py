"""Answers for the tool calls a broken or interrupted turn left without results, so the history
stays valid for the next request."""

from __future__ import annotations

from hunk.settings import prompts
from hunk.values.conversation import Message, ToolResultPart


def interrupted_results(history: list[Message]) -> Message | None:
    calls = history[-1].tool_calls if history and history[-1].role == "assistant" else ()
    note = prompts.message("agent.call_interrupted")
    return Message("user", tuple(ToolResultPart(c.id, note, is_error=True) for c in calls)) if calls else None
