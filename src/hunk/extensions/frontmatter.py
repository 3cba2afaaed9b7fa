"""The `---` header of a command or skill file: a small, forgiving subset of YAML.

Claude Code's command and skill files start with a YAML block. hunk reads the shapes those files
use — `key: value`, quoted values, inline lists `[a, b]` and block lists of `- item` — without
taking a YAML dependency. Anything else in the header is kept as plain text.
"""

from __future__ import annotations

import re

Value = str | tuple[str, ...]

_KEY = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*)\s*:\s*(.*)$")


def split(text: str) -> tuple[dict[str, Value], str]:
    """(header fields, body). A file without a header has no fields and is all body."""
    text = text.removeprefix("\ufeff")
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return {}, text
    for end in range(1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            return _fields(lines[1:end]), "".join(lines[end + 1 :])
    return {}, text  # an opening line with no closing one: not a header


def _fields(lines: list[str]) -> dict[str, Value]:
    fields: dict[str, Value] = {}
    current: str | None = None
    for raw in lines:
        line = raw.rstrip("\r\n")
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if current is not None and stripped.startswith("- "):
            previous = fields.get(current, ())
            items = previous if isinstance(previous, tuple) else ()
            fields[current] = (*items, _scalar(stripped[2:]))
            continue
        match = _KEY.match(line)
        if match is None:
            continue
        current, value = match.group(1), match.group(2).strip()
        fields[current] = _inline_list(value) if value.startswith("[") else _scalar(value) if value else ()
    return fields


def _scalar(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def _inline_list(value: str) -> tuple[str, ...]:
    inner = value.strip().removeprefix("[").removesuffix("]")
    return tuple(item for item in (_scalar(part) for part in inner.split(",")) if item)


def text_field(fields: dict[str, Value], key: str) -> str:
    """A field as one line of text ("" when absent; a list joins with ", ")."""
    value = fields.get(key, "")
    return ", ".join(value) if isinstance(value, tuple) else value


def list_field(fields: dict[str, Value], key: str) -> tuple[str, ...]:
    """A field as a list; a plain value splits on commas (`allowed-tools: Read, Grep`)."""
    value = fields.get(key, ())
    if isinstance(value, tuple):
        return value
    return tuple(item.strip() for item in value.split(",") if item.strip())
