"""Which MCP tools run without asking, which are asked about, and which never run: rules by
tool name glob (`mcp__github__*`, `mcp__*__delete_*`), from `[mcp] allow` / `deny`.

A deny rule always wins. In `ask` and `review` mode a tool no allow rule matches is put to the
person (who may allow it for the rest of the session); in `auto` mode it runs unless denied.
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Literal

ToolOutcome = Literal["allow", "ask", "deny"]


@dataclass(frozen=True)
class ToolVerdict:
    outcome: ToolOutcome
    reason: str
    danger: str = "writes"  # what the tool says of itself: read-only | writes | network | destructive


@dataclass(frozen=True)
class ToolRules:
    allow: tuple[str, ...] = ()
    deny: tuple[str, ...] = ()

    def judge(self, name: str, danger: str = "writes") -> ToolVerdict:
        denied = next((p for p in self.deny if fnmatchcase(name, p)), None)
        if denied is not None:
            return ToolVerdict("deny", f"the deny rule {denied!r} matches {name}", danger)
        allowed = next((p for p in self.allow if fnmatchcase(name, p)), None)
        if allowed is not None:
            return ToolVerdict("allow", f"the allow rule {allowed!r} matches {name}", danger)
        return ToolVerdict("ask", f"no allow rule matches {name}", danger)

    def allowing(self, name: str) -> ToolRules:
        """These rules plus "allow this tool for the rest of the session"."""
        return ToolRules(self.allow + (name,), self.deny) if name not in self.allow else self
