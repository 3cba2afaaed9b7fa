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

    @property
    def prompt_tokens(self) -> int:
        """Everything the model read: uncached input plus cache reads and writes."""
        return self.input_tokens + self.cache_read_tokens + self.cache_write_tokens


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


# --- diffs, as front ends and approvers see them ---------------------------------------------


@dataclass(frozen=True)
class DiffHunk:
    """One hunk of a file's unified diff. `lines` keep their ' ', '+', '-' or '\\' prefix."""

    index: int
    header: str  # "@@ -12,7 +12,9 @@ def parse_args"
    source_start: int
    source_length: int
    target_start: int
    target_length: int
    lines: tuple[str, ...]

    @property
    def added(self) -> int:
        return sum(1 for line in self.lines if line.startswith("+"))

    @property
    def removed(self) -> int:
        return sum(1 for line in self.lines if line.startswith("-"))


@dataclass(frozen=True)
class FileDiff:
    """A file's change as hunks. A binary file (or a pure mode change, or a symlink) has no
    hunks and is decided whole: its decision then carries exactly one verdict."""

    path: str
    status: str  # added | modified | deleted | mode
    text: str  # the unified diff, ready to print
    hunks: tuple[DiffHunk, ...]
    binary: bool = False
    old_mode: int | None = None
    new_mode: int | None = None

    @property
    def added(self) -> int:
        return sum(h.added for h in self.hunks)

    @property
    def removed(self) -> int:
        return sum(h.removed for h in self.hunks)

    @property
    def decision_count(self) -> int:
        """How many verdicts a decision on this file carries."""
        return len(self.hunks) or 1
