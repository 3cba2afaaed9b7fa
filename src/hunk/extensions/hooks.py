"""Hooks: the person's programs, run when something happens in a session.

`Hooks.fire(event, subject, **fields)` runs every hook of that event whose matcher fits the
subject (a tool name, a file path), one after another, and folds what they said into one
`HookEffect`. What a hook's exit says, as in Claude Code:

- exit 0 continues. Its stdout may be a JSON object: `"decision": "block"` with a `"reason"`,
  `"continue": false` with a `"stopReason"`, or `hookSpecificOutput.permissionDecision: "deny"`
  block; `additionalContext` (top level or in `hookSpecificOutput`) is context for the model;
  `"message"` rewrites the commit message (PreCommit); `"systemMessage"` is shown to the person.
  Plain stdout of a SessionStart or UserPromptSubmit hook is context for the model.
- exit 2 blocks; its stderr is the reason.
- any other exit, a timeout or a hook that cannot start: the person is told, the session goes on.

The first hook that blocks ends the event: later hooks of the event do not run.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hunk.extensions.hook_config import HUNK_TO_CLAUDE, HookSetup, HookSpec, by_event
from hunk.extensions.hook_runner import HookRun, Wrap, run_hook

BLOCK_EXIT = 2
_PLAIN_CONTEXT = {"SessionStart", "UserPromptSubmit"}


@dataclass
class HookEffect:
    blocked: str | None = None  # why, when a hook blocked
    blocked_by: str = ""  # the hook's command, for the person
    context: list[str] = field(default_factory=list)  # for the model
    message: str | None = None  # PreCommit: the commit message as hooks left it
    notices: list[str] = field(default_factory=list)  # for the person


class Hooks:
    def __init__(
        self,
        setup: HookSetup | None = None,
        *,
        root: Path,
        env: Mapping[str, str],
        session_id: str = "",
        wrap: Wrap | None = None,
    ) -> None:
        self.setup = setup or HookSetup()
        self._by_event = by_event(self.setup.hooks)
        self.root = root
        self.env = env
        self.session_id = session_id
        self.wrap = wrap

    def matching(self, event: str, subject: str | None = None) -> list[HookSpec]:
        return [hook for hook in self._by_event.get(event, []) if hook.matches(subject)]

    async def fire(self, event: str, subject: str | None = None, **fields: Any) -> HookEffect:
        effect = HookEffect(message=fields.get("message"))
        for hook in self.matching(event, subject):
            if effect.message is not None:
                fields["message"] = effect.message
            run = await run_hook(hook, self._payload(hook, fields), root=self.root, env=self.env, wrap=self.wrap)
            _fold(effect, run)
            if effect.blocked is not None:
                effect.blocked_by = hook.command
                break
        return effect

    def _payload(self, hook: HookSpec, fields: Mapping[str, Any]) -> dict[str, Any]:
        payload = {"session_id": self.session_id, "cwd": str(self.root), "hook_event_name": hook.event, **fields}
        if hook.flavour == "claude" and "tool_name" in payload:
            # the names a script written for Claude Code expects
            payload["tool_name"] = HUNK_TO_CLAUDE.get(payload["tool_name"], payload["tool_name"])
            tool_input = dict(payload.get("tool_input") or {})
            if "path" in tool_input:
                tool_input.setdefault("file_path", tool_input["path"])
            payload["tool_input"] = tool_input
        return payload


def _fold(effect: HookEffect, run: HookRun) -> None:
    hook = run.spec
    named = f"{hook.event} hook `{_short(hook.command)}` ({hook.where})"
    if run.start_error is not None:
        effect.notices.append(f"{named} could not start: {run.start_error}")
    elif run.timed_out:
        effect.notices.append(f"{named} timed out after {hook.timeout_s:g} s and was stopped; going on without it")
    elif run.exit_code == BLOCK_EXIT:
        effect.blocked = run.stderr.strip() or run.stdout.strip() or f"{hook.event} hook exited with status 2"
    elif run.exit_code == 0:
        _read_answer(effect, run)
    else:
        said = run.stderr.strip().splitlines()
        effect.notices.append(f"{named} failed (exit {run.exit_code})" + (f": {said[0]}" if said else ""))


def _read_answer(effect: HookEffect, run: HookRun) -> None:
    out = run.stdout.strip()
    answer = _json_object(out)
    if answer is None:
        if out and run.spec.event in _PLAIN_CONTEXT:
            effect.context.append(out)
        return
    specific = answer.get("hookSpecificOutput")
    specific = specific if isinstance(specific, dict) else {}
    if answer.get("decision") in ("block", "deny"):
        effect.blocked = _str(answer.get("reason")) or f"blocked by a {run.spec.event} hook"
    elif answer.get("continue") is False:
        effect.blocked = _str(answer.get("stopReason")) or _str(answer.get("reason")) or f"stopped by a {run.spec.event} hook"
    elif specific.get("permissionDecision") == "deny":
        effect.blocked = _str(specific.get("permissionDecisionReason")) or f"denied by a {run.spec.event} hook"
    for context in (answer.get("additionalContext"), specific.get("additionalContext")):
        if _str(context):
            effect.context.append(_str(context))
    if _str(answer.get("message")).strip():
        effect.message = _str(answer.get("message"))
    if _str(answer.get("systemMessage")):
        effect.notices.append(_str(answer.get("systemMessage")))


def _json_object(text: str) -> dict[str, Any] | None:
    if not text.startswith("{"):
        return None
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return None
    return value if isinstance(value, dict) else None


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _short(command: str, limit: int = 60) -> str:
    line = command.strip().splitlines()[0] if command.strip() else command
    return line if len(line) <= limit else line[: limit - 1] + "…"
