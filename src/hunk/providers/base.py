"""The provider contract: one request in, a stream of normalised events out.

No SDK is imported here. Each wire protocol lives in its own module and imports its SDK only
when a provider object is first created.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from hunk.values.conversation import Message, ReasoningPart, ToolCallPart
from hunk.values.usage import Usage


@dataclass(frozen=True)
class Request:
    model: str
    system: str
    messages: tuple[Message, ...]
    tools: tuple[ToolSpec, ...] = ()
    max_tokens: int = 8192
    temperature: float | None = None
    # "low" | "medium" | "high" asks the model to reason when the protocol supports it.
    reasoning_effort: str | None = None


# --- stream events -------------------------------------------------------------------------

StopReason = Literal["end_turn", "tool_use", "max_tokens", "refusal", "other"]


@dataclass(frozen=True)
class TextChunk:
    text: str


@dataclass(frozen=True)
class ReasoningChunk:
    text: str


@dataclass(frozen=True)
class ReasoningDone:
    """A whole reasoning block, with the provider's opaque data to echo back later."""

    part: ReasoningPart


@dataclass(frozen=True)
class ToolCallBegun:
    id: str
    name: str


@dataclass(frozen=True)
class ToolCallArgs:
    id: str
    fragment: str


@dataclass(frozen=True)
class ToolCallDone:
    """The call with its parsed arguments (or `invalid_arguments` set when the JSON was bad)."""

    call: ToolCallPart


@dataclass(frozen=True)
class UsageReport:
    usage: Usage


@dataclass(frozen=True)
class Stopped:
    reason: StopReason
    raw_reason: str | None = None


ErrorKind = Literal["rate_limit", "overloaded", "server", "connection", "stream_cut", "auth", "request", "other"]


@dataclass(frozen=True)
class StreamFailed:
    """The stream ended in an error the provider could not (or may no longer) retry.

    Always the last event of a stream. `message` is one line for a person; it never holds a key.
    """

    kind: ErrorKind
    message: str
    status: int | None = None


@dataclass(frozen=True)
class Retrying:
    """The request failed and is about to be sent again: after `delay_s` (a 429, a 529, a 5xx
    before the first byte), or at once with `restart` set (the stream was cut before any tool
    call began: what this reply streamed so far is void, the model answers afresh)."""

    kind: ErrorKind
    message: str
    delay_s: float
    attempt: int  # this retry's number, from 1
    of: int  # how many retries are allowed
    restart: bool = False


StreamEvent = (
    TextChunk
    | ReasoningChunk
    | ReasoningDone
    | ToolCallBegun
    | ToolCallArgs
    | ToolCallDone
    | UsageReport
    | Stopped
    | StreamFailed
    | Retrying
)


class Provider(Protocol):
    """A model behind one wire protocol.

    `stream` yields events and ends with exactly one `Stopped` or `StreamFailed`. It never raises
    for API or network trouble; cancelling the consuming task closes the HTTP stream at once.
    """

    provider_name: str  # "anthropic", "openai", "openai-chat", a preset name, "replay"
    model: str

    def stream(self, request: Request) -> AsyncIterator[StreamEvent]: ...


class ProviderConfigError(Exception):
    """A provider cannot be built: unknown name, missing key or SDK. Message says what to set."""


@dataclass(frozen=True)
class RetryPolicy:
    """Retries of a request that failed before its first byte (429, 5xx, 529, connection)."""

    max_retries: int = 4
    base_delay: float = 1.0
    max_delay: float = 30.0
    # honour a server's retry-after up to this many seconds; beyond it, give up at once
    max_retry_after: float = 120.0
    jitter: float = 0.25
    sleep: Any = field(default=None, compare=False)  # async callable(seconds); None = asyncio.sleep
