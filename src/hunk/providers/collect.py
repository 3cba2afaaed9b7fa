"""One meaning for a provider's stream: `complete()` folds it into the assistant's message, the
usage, why it stopped, and the failure if it failed. The agent's loop, the commit subject and
compaction all read a stream through it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from hunk.providers.base import (
    Provider,
    ReasoningDone,
    Request,
    Retrying,
    Stopped,
    StopReason,
    StreamEvent,
    StreamFailed,
    TextChunk,
    ToolCallBegun,
    ToolCallDone,
    UsageReport,
)
from hunk.values.conversation import Message, Part, TextPart
from hunk.values.usage import Usage


@dataclass(frozen=True)
class Completion:
    message: Message  # the assistant's parts in the order they streamed: text, reasoning, calls
    usage: Usage
    stop: StopReason
    failure: StreamFailed | None = None

    @property
    def text(self) -> str:
        return "".join(p.text for p in self.message.parts if isinstance(p, TextPart))


async def complete(
    provider: Provider,
    request: Request,
    on_event: Callable[[StreamEvent], None] | None = None,
) -> Completion:
    """Read the whole stream; `on_event` sees every event as it arrives (for live display)."""
    parts: list[Part] = []
    text: list[str] = []
    usage = Usage()
    stop: StopReason = "end_turn"
    failure: StreamFailed | None = None

    def flush() -> None:
        if text:
            parts.append(TextPart("".join(text)))
            text.clear()

    async for event in provider.stream(request):
        if on_event is not None:
            on_event(event)
        match event:
            case TextChunk(chunk):
                text.append(chunk)
            case ReasoningDone(part):
                flush()
                parts.append(part)
            case ToolCallBegun():
                flush()
            case ToolCallDone(call):
                flush()
                parts.append(call)
            case UsageReport(reported):
                usage = usage + reported
            case Stopped(reason):
                stop = reason
            case StreamFailed():
                failure = event
            case Retrying(restart=True):  # the reply so far is void: it comes again from the start
                parts.clear()
                text.clear()
    flush()
    return Completion(Message("assistant", tuple(parts)), usage, stop, failure)
