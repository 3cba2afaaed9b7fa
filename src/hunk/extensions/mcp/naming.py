"""Names the model and the person see: `mcp__SERVER__TOOL` for tools, `mcp__SERVER__PROMPT`
for prompts, `@SERVER:URI` for resources.

Provider APIs accept tool names of letters, digits, `_` and `-`, at most 64 characters; other
characters become `_`, and a name that would be too long keeps a short hash so it stays unique.
"""

from __future__ import annotations

import hashlib
import re

PREFIX = "mcp__"
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")
MAX_NAME = 64


def safe(part: str) -> str:
    return _UNSAFE.sub("_", part) or "_"


def qualified(server: str, name: str) -> str:
    full = f"{PREFIX}{safe(server)}__{safe(name)}"
    if len(full) <= MAX_NAME:
        return full
    digest = hashlib.sha256(f"{server}\0{name}".encode()).hexdigest()[:8]
    return full[: MAX_NAME - 9] + "_" + digest


def split(name: str) -> tuple[str, str] | None:
    """(server, rest) of a qualified name, as far as the name shows them."""
    if not name.startswith(PREFIX):
        return None
    server, sep, rest = name[len(PREFIX) :].partition("__")
    return (server, rest) if sep else None
