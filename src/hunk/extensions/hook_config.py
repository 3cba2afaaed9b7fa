"""Which hooks a session runs: hunk's `[[hooks.<Event>]]` tables and Claude Code's settings files.

hunk's own tables come checked from `hunk.config` (a repository's are already left out there
unless the repository is trusted). Claude Code keeps hooks in the `hooks` section of
`~/.claude/settings.json` and a repository's `.claude/settings.json` / `settings.local.json`:

    {"hooks": {"PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "…", "timeout": 30}]}]}}

Those are read here, with the same rule: a repository's hooks run only in a trusted repository.
A Claude file hunk cannot use is skipped with a warning, never a refusal to start — it belongs to
another program.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from hunk.settings.config import Config
from hunk.settings.schema import HOOK_EVENTS, matcher_problem
from hunk.extensions.places import Origin, claude_settings, json_section

DEFAULT_TIMEOUT_S = 60.0  # Claude Code's default too

# Claude Code's tool names → hunk's, so a `.claude/settings.json` matcher such as "Bash" or
# "Edit|Write" finds hunk's tools, and its scripts get the names they expect.
CLAUDE_TOOL_NAMES = {
    "Bash": "run_command",
    "Read": "read_file",
    "Write": "write_file",
    "Edit": "edit_file",
    "MultiEdit": "edit_file",
    "Glob": "list_files",
    "Grep": "search_files",
    "Skill": "activate_skill",
}
HUNK_TO_CLAUDE = {hunk: claude for claude, hunk in reversed(CLAUDE_TOOL_NAMES.items())}


@dataclass(frozen=True)
class HookSpec:
    event: str
    command: str
    matcher: str = ""
    timeout_s: float = DEFAULT_TIMEOUT_S
    origin: Origin = "user"
    where: str = ""  # "~/.config/hunk/config.toml:7", ".claude/settings.json"
    flavour: Literal["hunk", "claude"] = "hunk"  # which names the hook's input uses

    def matches(self, subject: str | None) -> bool:
        """Whether the hook runs for `subject` (a tool name, a path…; None: the event has none)."""
        if self.matcher in ("", "*") or subject is None:
            return True
        names = {subject, HUNK_TO_CLAUDE.get(subject, subject)}
        return any(re.fullmatch(self.matcher, name) for name in names)


@dataclass
class HookSetup:
    """The hooks a session runs, what was left out and why."""

    hooks: list[HookSpec] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # where an untrusted repository's hooks sat
    warnings: list[str] = field(default_factory=list)  # one line each, for the person


def load_hooks(config: Config, root: Path | None, env: Mapping[str, str]) -> HookSetup:
    """hunk's hook tables, then Claude Code's settings files, lowest precedence first."""
    setup = HookSetup(ignored=list(config.ignored_repo_hooks))
    for hook in config.hooks:
        setup.hooks.append(
            HookSpec(
                event=hook.event,
                command=hook.command,
                matcher=hook.matcher,
                timeout_s=hook.timeout_s or DEFAULT_TIMEOUT_S,
                origin="repo" if hook.source.kind == "repo" else "user",
                where=str(hook.source),
            )
        )
    for place in claude_settings(root, env):
        try:
            found = _read_claude(place.folder, place.origin, place.label)
        except _Unusable as problem:
            setup.warnings.append(f"{place.label}: {problem}; its hooks are not used")
            continue
        if found and place.origin == "repo" and not config.repo_trusted:
            setup.ignored.append(place.label)
            continue
        setup.hooks.extend(found)
    return setup


class _Unusable(Exception):
    pass


def _read_claude(path: Path, origin: Origin, label: str) -> list[HookSpec]:
    try:
        section = json_section(path, "hooks")
    except ValueError as problem:
        raise _Unusable(str(problem)) from None
    if section is None:
        return []
    hooks = []
    for event, groups in section.items():
        if event not in HOOK_EVENTS:
            continue  # an event only Claude Code has (PreCompact, SubagentStop…)
        for group in groups if isinstance(groups, list) else []:
            hooks.extend(_group(event, group, origin, label))
    return hooks


def _group(event: str, group: Any, origin: Origin, label: str) -> list[HookSpec]:
    if not isinstance(group, dict):
        raise _Unusable(f"hooks.{event} holds something other than an object")
    matcher = group.get("matcher", "")
    if not isinstance(matcher, str) or matcher_problem(matcher):
        raise _Unusable(f"hooks.{event}: matcher {matcher!r} is not a valid regular expression")
    out = []
    for entry in group.get("hooks", []):
        if not isinstance(entry, dict) or entry.get("type", "command") != "command":
            continue  # prompt-type hooks ask a model; hunk runs commands only
        command, timeout = entry.get("command"), entry.get("timeout")
        if not isinstance(command, str) or not command.strip():
            raise _Unusable(f"hooks.{event}: a hook without a command")
        if not isinstance(timeout, int | float) or isinstance(timeout, bool) or timeout <= 0:
            timeout = DEFAULT_TIMEOUT_S
        out.append(HookSpec(event, command, matcher, float(timeout), origin, label, "claude"))
    return out


def by_event(hooks: list[HookSpec]) -> dict[str, list[HookSpec]]:
    grouped: dict[str, list[HookSpec]] = {event: [] for event in HOOK_EVENTS}
    for hook in hooks:
        grouped[hook.event].append(hook)
    return grouped
