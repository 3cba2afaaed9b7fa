"""What a test tells the fake provider to answer, independent of the wire protocol.

A test queues items on a `FakeProvider`; each HTTP request takes the next one. The protocol
encoder (anthropic_wire, chat_wire, responses_wire) turns a `Reply` into that protocol's SSE
stream (or JSON body when the request did not ask to stream).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class ToolCall:
    name: str
    # a dict is sent as JSON; a str is sent verbatim (so a test can send invalid JSON)
    arguments: dict[str, Any] | str
    id: str | None = None  # None: the encoder makes one ("toolu_…", "call_…")


@dataclass
class Usage:
    input_tokens: int
    output_tokens: int
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0


@dataclass
class Reply:
    text: str = ""
    tool_calls: list[ToolCall] = field(default_factory=list)
    reasoning: str | None = None  # sent as a thinking block / reasoning item when set
    # Anthropic thinking signature / OpenAI encrypted_content the client must echo back
    reasoning_secret: str = "sig-fake-0001"
    usage: Usage | None = None  # None: the server estimates from the request and reply sizes
    stop: str | None = None  # override the protocol's stop reason ("max_tokens" → "length"…)
    chunk_size: int = 6  # text and argument JSON are split into pieces of this many characters
    delay_s: float = 0.0  # pause before every SSE event (slow chunks)
    # Anthropic: also send a redacted_thinking block carrying this opaque data
    redacted_reasoning: str | None = None
    # end the stream with the protocol's in-stream error event of this type (for example
    # "overloaded_error") after the first content block, instead of finishing normally
    stream_error: str | None = None


@dataclass
class Fault:
    """An HTTP error instead of a stream: 429 with retry-after, 500, 529 overloaded…"""

    status: int
    retry_after: str | None = None  # header value, seconds
    message: str = "injected fault"


@dataclass
class Cut:
    """Start streaming `reply`, then drop the connection after `after_events` SSE events."""

    reply: Reply
    after_events: int = 3


ScriptItem = Reply | Fault | Cut | Callable[[dict[str, Any]], "Reply | Fault | Cut"]


class Held:
    """A reply the server holds back until the test lets it go: a model that is slow for as long
    as the test needs, with no clock involved. `asked` is set when the request arrives."""

    def __init__(self, reply: Reply, *, limit_s: float = 60) -> None:
        self.reply = reply
        self.asked = threading.Event()
        self.released = threading.Event()
        self.body: dict[str, Any] | None = None
        self.limit_s = limit_s  # a test that forgets to release does not hang the server for ever

    def release(self) -> None:
        self.released.set()

    def __call__(self, body: dict[str, Any]) -> Reply:
        self.body = body
        self.asked.set()
        self.released.wait(self.limit_s)
        return self.reply
