"""Provider-neutral conversation values.

Everything here is a plain frozen value: no I/O, no SDK types. Providers translate these to and
from their wire formats; the journal stores them with `message_to_dict` / `message_from_dict`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Literal

Role = Literal["user", "assistant"]


@dataclass(frozen=True)
class TextPart:
    text: str


@dataclass(frozen=True)
class ImagePart:
    """An image attached to a user message; `data` is base64 text."""

    media_type: str
    data: str


@dataclass(frozen=True)
class ReasoningPart:
    """Model reasoning ("thinking").

    `provider` names the wire protocol that produced it ("anthropic", "openai", "openai-chat").
    `metadata` is opaque to everyone but that provider: Anthropic's thinking `signature` or
    `redacted` data, OpenAI's reasoning item `id` and `encrypted_content`. A provider sends a
    reasoning part back only when it produced it; others drop it.
    """

    text: str
    provider: str
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ToolCallPart:
    """A tool call requested by the model.

    When the model's arguments were not valid JSON (or not a JSON object), `arguments` is empty
    and `invalid_arguments` holds the raw text, so the agent can answer with a tool error
    instead of crashing the turn.
    """

    id: str
    name: str
    arguments: dict[str, Any]
    invalid_arguments: str | None = None


@dataclass(frozen=True)
class ToolResultPart:
    call_id: str
    content: str
    is_error: bool = False


Part = TextPart | ImagePart | ReasoningPart | ToolCallPart | ToolResultPart

_PART_KINDS: dict[str, type] = {
    "text": TextPart,
    "image": ImagePart,
    "reasoning": ReasoningPart,
    "tool_call": ToolCallPart,
    "tool_result": ToolResultPart,
}
_KIND_OF: dict[type, str] = {cls: kind for kind, cls in _PART_KINDS.items()}


@dataclass(frozen=True)
class Message:
    role: Role
    parts: tuple[Part, ...]

    @staticmethod
    def user(text: str) -> Message:
        return Message("user", (TextPart(text),))

    @property
    def text(self) -> str:
        return "".join(p.text for p in self.parts if isinstance(p, TextPart))

    @property
    def tool_calls(self) -> tuple[ToolCallPart, ...]:
        return tuple(p for p in self.parts if isinstance(p, ToolCallPart))


@dataclass(frozen=True)
class Usage:
    """Tokens of one call (or a sum of calls).

    `input_tokens` counts uncached input only; cache reads and writes are counted apart, as
    both Anthropic and our cost table price them apart. Providers whose API reports cached
    tokens inside the input count (OpenAI) subtract them before building a Usage.
    """

    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.input_tokens + other.input_tokens,
            self.output_tokens + other.output_tokens,
            self.cache_read_tokens + other.cache_read_tokens,
            self.cache_write_tokens + other.cache_write_tokens,
        )

    def __sub__(self, other: Usage) -> Usage:
        return Usage(
            self.input_tokens - other.input_tokens,
            self.output_tokens - other.output_tokens,
            self.cache_read_tokens - other.cache_read_tokens,
            self.cache_write_tokens - other.cache_write_tokens,
        )

    @property
    def prompt_tokens(self) -> int:
        """Everything the model read: uncached input plus cache reads and writes."""
        return self.input_tokens + self.cache_read_tokens + self.cache_write_tokens


def append_merged(history: list[Message], message: Message) -> None:
    """Append to a conversation as providers require it: a user message right after another
    user message is merged into it."""
    if message.role == "user" and history and history[-1].role == "user":
        history[-1] = Message("user", history[-1].parts + message.parts)
    else:
        history.append(message)


def part_to_dict(part: Part) -> dict[str, Any]:
    data = {f.name: getattr(part, f.name) for f in fields(part)}
    return {"kind": _KIND_OF[type(part)], **data}


def part_from_dict(data: dict[str, Any]) -> Part:
    values = dict(data)
    cls = _PART_KINDS[values.pop("kind")]
    return cls(**values)


def message_to_dict(message: Message) -> dict[str, Any]:
    return {"role": message.role, "parts": [part_to_dict(p) for p in message.parts]}


def message_from_dict(data: dict[str, Any]) -> Message:
    return Message(data["role"], tuple(part_from_dict(p) for p in data["parts"]))


def usage_to_dict(usage: Usage) -> dict[str, int]:
    return {f.name: getattr(usage, f.name) for f in fields(usage)}


@dataclass(frozen=True)
class ToolSpec:
    """A tool as the model sees it: name, description and JSON schema of its arguments."""

    name: str
    description: str
    parameters: dict[str, Any]
