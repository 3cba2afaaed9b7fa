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
    """Plain text from the person or the model."""

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
    """What a tool call returned, sent back to the model in the next user message."""

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
    """One message of the conversation: who spoke, and its parts in order."""

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


@dataclass(frozen=True)
class ToolSpec:
    """A tool as the model sees it: name, description and JSON schema of its arguments."""

    name: str
    description: str
    parameters: dict[str, Any]
