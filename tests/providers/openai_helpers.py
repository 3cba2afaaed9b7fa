"""Requests and providers the OpenAI provider tests share (Chat Completions and Responses)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hunk.providers import create_provider
from hunk.providers.base import (
    Provider,
    ReasoningDone,
    Request,
    RetryPolicy,
    StreamEvent,
    TextChunk,
    ToolCallDone,
)
from hunk.values.conversation import ToolSpec
from hunk.values.conversation import ImagePart, Message, ReasoningPart, TextPart, ToolCallPart, ToolResultPart

KEY = "test-key"
READ_FILE = ToolSpec(
    name="read_file",
    description="Read a file of the repository.",
    parameters={"type": "object", "properties": {"path": {"type": "string"}}, "required": ["path"]},
)
# arguments a model might send that break naive JSON handling
TRICKY_ARGS: dict[str, Any] = {"path": 'dir/"quoted" \\back\\slash ünïcödé ✓ 🎉', "note": "line\nbreak\ttab"}


@dataclass(frozen=True)
class Wire:
    """One of the two protocols, as the tests drive it."""

    spec: str  # PROVIDER:MODEL
    path: str  # the route the fake server sees
    reasoning_provider: str

    def provider(self, url: str, retry: RetryPolicy | None = None, api_key: str = KEY) -> Provider:
        return create_provider(self.spec, base_url=url, api_key=api_key, retry=retry, env={})


CHAT = Wire("openai-chat:gpt-5", "/chat/completions", "openai-chat")
RESPONSES = Wire("openai:gpt-5", "/responses", "openai")
WIRES = [CHAT, RESPONSES]


def ask(
    text: str = "hello", *, model: str = "gpt-5", tools: tuple[ToolSpec, ...] = (READ_FILE,), **extra: Any
) -> Request:
    return Request(model=model, system="You are terse.", messages=(Message.user(text),), tools=tools, **extra)


def history_request() -> Request:
    """A representative second turn: an image, the model's reasoning (one of ours, one of
    Anthropic's, one of Chat's), text and two tool calls, then their results (one an error)."""
    messages = (
        Message("user", (TextPart("What is in these files?"), ImagePart("image/png", "aGVsbG8="))),
        Message(
            "assistant",
            (
                ReasoningPart(
                    "Look at both files.",
                    "openai",
                    {"id": "rs_1", "encrypted_content": "enc-blob-1", "summary": ["Look at both files."]},
                ),
                ReasoningPart("anthropic thoughts", "anthropic", {"signature": "sig"}),
                ReasoningPart("chat thoughts", "openai-chat"),
                TextPart("Reading them."),
                ToolCallPart("call_a", "read_file", {"path": "a.py"}),
                ToolCallPart("call_b", "read_file", {}, invalid_arguments='{"path": "b.py'),
            ),
        ),
        Message(
            "user",
            (
                ToolResultPart("call_a", "1: print('a')"),
                ToolResultPart("call_b", "arguments were not valid JSON", is_error=True),
            ),
        ),
    )
    return Request(model="gpt-5", system="You are terse.", messages=messages, tools=(READ_FILE,))


def done_calls(events: list[StreamEvent]) -> list[ToolCallPart]:
    return [e.call for e in events if isinstance(e, ToolCallDone)]


def of_type(events: list[StreamEvent], cls: type) -> list[Any]:
    return [e for e in events if isinstance(e, cls)]


def assistant_message(events: list[StreamEvent]) -> Message:
    """The assistant turn as the agent would keep it: reasoning, text and calls in stream order."""
    parts: list[Any] = []
    text: list[str] = []
    for event in events:
        if isinstance(event, TextChunk):
            text.append(event.text)
        elif isinstance(event, ReasoningDone):
            parts.append(event.part)
        elif isinstance(event, ToolCallDone):
            if text:
                parts.append(TextPart("".join(text)))
                text = []
            parts.append(event.call)
    if text:
        parts.append(TextPart("".join(text)))
    return Message("assistant", tuple(parts))
