"""What a hunk configuration may contain, as data, and the checks that hold each value to it.

`config.py` owns the layers and the typed result; this module answers three questions for it:
which dotted keys exist (`KEYS`, the `HUNK_*` variables, the CLI's flags), whether a value fits
its key (`check_value`), and on which line of a TOML file a key sits (`find_line`), so an error
can point at it.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


class ConfigProblem(Exception):
    """A value that does not fit its key. `str()` is "<key> <reason>"."""

    def __init__(self, key: str, reason: str) -> None:
        super().__init__(f"{key} {reason}")
        self.key = key
        self.reason = reason


@dataclass(frozen=True)
class Key:
    """What one configuration key accepts."""

    kind: str  # str | bool | int | number | choice | patterns
    choices: tuple[str, ...] = ()
    check: Callable[[Any], str | None] | None = None  # returns why the value is wrong


def _positive(value: float) -> str | None:
    return None if value > 0 else f"must be greater than 0, got {_shown(value)}"


def _fraction(value: float) -> str | None:
    return None if 0 < value <= 1 else f"must be between 0 and 1, got {_shown(value)}"


def _model(value: str) -> str | None:
    provider, colon, name = value.partition(":")
    if colon and provider.strip() and name.strip():
        return None
    return f'must look like "provider:model" (e.g. "openai:gpt-5"), got {_shown(value)}'


def _trailer(value: str) -> str | None:
    if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9-]*: \S.*", value):
        return None
    return f'must be a git trailer like "Assisted-by: $model via hunk", got {_shown(value)}'


def _url(value: str) -> str | None:
    if re.match(r"https?://[^/\s]+", value):
        return None
    return f"must be an http:// or https:// URL, got {_shown(value)}"


def _env_name(value: str) -> str | None:
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", value):
        return None
    return f"must be the name of an environment variable, got {_shown(value)}"


# The sandbox modes commands run in, loosest first (a repository may only move right).
SANDBOX_MODES = ("off", "workspace-write", "required", "read-only")

# Every key hunk reads; a table is the part before the last dot.
KEYS: dict[str, Key] = {
    "model": Key("str", check=_model),
    "approval": Key("choice", choices=("ask", "plan", "review", "auto")),
    "reasoning": Key("choice", choices=("off", "low", "medium", "high")),
    "theme": Key("str"),
    "commit.enabled": Key("bool"),
    "commit.trailer": Key("bool"),
    "commit.trailer_text": Key("str", check=_trailer),
    "limits.max_turns": Key("int", check=_positive),
    "limits.max_cost_usd": Key("number", check=_positive),
    "limits.command_timeout_s": Key("int", check=_positive),
    "limits.context_compact_at": Key("number", check=_fraction),
    "commands.allow": Key("patterns"),
    "commands.deny": Key("patterns"),
    # `[checks]`: commands run after the agent's changes (`{files}`: the changed files)
    "checks.commands": Key("patterns"),
    "checks.when": Key("choice", choices=("step", "turn")),
    "checks.max_attempts": Key("int", check=_positive),
    "commands.secret_env": Key("patterns"),
    "keep.budget_mb": Key("int", check=_positive),
    "keep.regenerable": Key("patterns"),
    # the cheap model for side requests (the commit subject): a model id of the session's provider
    "models.small": Key("str"),
    "sandbox.mode": Key("choice", choices=SANDBOX_MODES),
    "sandbox.network": Key("bool"),
    "sandbox.writable": Key("patterns"),
    # MCP tools by name glob ("mcp__github__*"): allowed without asking, or never run
    "mcp.allow": Key("patterns"),
    "mcp.deny": Key("patterns"),
    "ui.diff_style": Key("choice", choices=("unified", "split")),
    "ui.show_reasoning": Key("bool"),
    "ui.notify": Key("choice", choices=("auto", "bell", "off")),
    # repositories whose own .hunk.toml may loosen safety (see repo_trust.REPO_MAY_NOT); only
    # meaningful in the user's file
    "trusted_repos": Key("patterns"),
}
PROVIDER_KEYS: dict[str, Key] = {
    "base_url": Key("str", check=_url),
    "api_key_env": Key("str", check=_env_name),
}
# `[mcp.servers.NAME]`: an MCP server hunk starts or connects to (see hunk.extensions.mcp)
MCP_SERVER_KEYS: dict[str, Key] = {
    "command": Key("str"),
    "args": Key("strings"),
    "env": Key("strmap"),
    "cwd": Key("str"),
    "url": Key("str", check=_url),
    "headers": Key("strmap"),
    "enabled": Key("bool"),
    "timeout_s": Key("number", check=_positive),
}
MCP_SERVERS = "mcp.servers"
TABLES = {key.rpartition(".")[0] for key in KEYS if "." in key} | {"providers", "mcp", MCP_SERVERS}

# `[[hooks.<Event>]]` tables: when a hook runs (the event) and what it runs.
HOOK_EVENTS = (
    "SessionStart",
    "UserPromptSubmit",
    "PreToolUse",
    "PostToolUse",
    "Stop",
    "Notification",
    "ChangeProposed",
    "HunksDecided",
    "PreCommit",
)
HOOK_FIELDS = ("matcher", "command", "timeout_s")

# HUNK_* variable -> key. Switches (HUNK_NO_COMMIT, HUNK_NO_TRAILER) turn a bool off.
ENV_VARS: dict[str, str] = {
    "HUNK_MODEL": "model",
    "HUNK_APPROVAL": "approval",
    "HUNK_REASONING": "reasoning",
    "HUNK_MAX_TURNS": "limits.max_turns",
    "HUNK_MAX_COST": "limits.max_cost_usd",
    "HUNK_COMMAND_TIMEOUT": "limits.command_timeout_s",
    "HUNK_NO_COMMIT": "commit.enabled",
    "HUNK_NO_TRAILER": "commit.trailer",
    "HUNK_THEME": "theme",
    "HUNK_SANDBOX": "sandbox.mode",
}
_SWITCH_VARS = {"HUNK_NO_COMMIT", "HUNK_NO_TRAILER"}

# CLI flag name (as argparse's dest) -> (key, flag as typed, fixed value for a switch or None).
FLAG_ALIASES: dict[str, tuple[str, str, Any]] = {
    "model": ("model", "--model", None),
    "approval": ("approval", "--approval", None),
    "reasoning": ("reasoning", "--reasoning", None),
    "yes": ("approval", "--yes", "auto"),
    "plan": ("approval", "--plan", "plan"),
    "max_turns": ("limits.max_turns", "--max-turns", None),
    "max_cost": ("limits.max_cost_usd", "--max-cost", None),
    "no_commit": ("commit.enabled", "--no-commit", False),
    "sandbox": ("sandbox.mode", "--sandbox", None),
}

_KINDS = {
    "str": "a string",
    "bool": "true or false",
    "int": "an integer",
    "number": "a number",
    "patterns": "a list of strings",
    "strings": "a list of strings",
    "strmap": "a table of strings",
}


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str | int | float):
        import json

        return json.dumps(value)
    return type(value).__name__


def _spec(key: str) -> Key:
    if key.startswith(MCP_SERVERS + "."):
        return MCP_SERVER_KEYS[key.rsplit(".", 1)[1]]
    if key.startswith("providers."):
        return PROVIDER_KEYS[key.rsplit(".", 1)[1]]
    return KEYS[key]


def check_value(key: str, value: Any) -> Any:
    """`value` as stored for `key` (lists become tuples), or `ConfigProblem`."""
    spec = _spec(key)
    ok = {
        "str": isinstance(value, str),
        "bool": isinstance(value, bool),
        "int": isinstance(value, int) and not isinstance(value, bool),
        "number": isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value),
        "choice": value in spec.choices,
        "patterns": isinstance(value, list | tuple) and all(isinstance(v, str) for v in value),
        "strings": isinstance(value, list | tuple) and all(isinstance(v, str) for v in value),
        "strmap": isinstance(value, dict) and all(isinstance(v, str) for v in value.values()),
    }[spec.kind]
    if not ok:
        if spec.kind == "choice":
            expected = " or ".join(f'"{c}"' for c in spec.choices)
            raise ConfigProblem(key, f"must be {expected}, got {_shown(value)}")
        raise ConfigProblem(key, f"must be {_KINDS[spec.kind]}, got {_shown(value)}")
    if spec.kind == "patterns":
        value = tuple(v.strip() for v in value)
        if "" in value:
            raise ConfigProblem(key, "must not contain an empty pattern")
    if spec.kind == "strings":
        value = tuple(value)
    if spec.kind == "strmap":
        value = dict(value)
    if spec.kind == "number":
        value = float(value)
    if spec.check and (why := spec.check(value)):
        raise ConfigProblem(key, why)
    return value


def check_hooks(key: str, value: Any) -> tuple[tuple[str, str, float | None], ...]:
    """`[[hooks.<Event>]]` entries as (matcher, command, timeout_s) tuples, or `ConfigProblem`."""
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise ConfigProblem(key, "must be written as [[" + key + "]] tables")
    out = []
    for number, item in enumerate(value, 1):
        where = f"(entry {number})"
        for name in item:
            if name not in HOOK_FIELDS:
                raise ConfigProblem(key, f"{where}: {name} is not a hook setting (use {', '.join(HOOK_FIELDS)})")
        command, matcher, timeout = item.get("command"), item.get("matcher", ""), item.get("timeout_s")
        if not isinstance(command, str) or not command.strip():
            raise ConfigProblem(key, f"{where}: command must be a non-empty string")
        if not isinstance(matcher, str):
            raise ConfigProblem(key, f"{where}: matcher must be a string, got {_shown(matcher)}")
        if why := matcher_problem(matcher):
            raise ConfigProblem(key, f"{where}: matcher {why}")
        if timeout is not None:
            if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not math.isfinite(timeout):
                raise ConfigProblem(key, f"{where}: timeout_s must be a number, got {_shown(timeout)}")
            if why := _positive(timeout):
                raise ConfigProblem(key, f"{where}: timeout_s {why}")
        out.append((matcher, command, None if timeout is None else float(timeout)))
    return tuple(out)


def matcher_problem(matcher: str) -> str | None:
    """Why a hook matcher (a regular expression, or "*" for everything) is unusable, or None."""
    if matcher in ("", "*"):
        return None
    try:
        re.compile(matcher)
    except re.error as exc:
        return f"is not a valid regular expression ({exc})"
    return None


def _unknown(key: str, siblings: set[str]) -> ConfigProblem:
    leaf = key.rsplit(".", 1)[-1]
    close = difflib.get_close_matches(leaf, sorted(siblings), n=1, cutoff=0.5)
    hint = f' (did you mean "{close[0]}"?)' if close else ""
    return ConfigProblem(key, f"is not a hunk setting{hint}")


def flatten(document: dict[str, Any]) -> list[tuple[str, Any]]:
    """A parsed TOML document as (dotted key, raw value) pairs; unknown keys raise."""
    pairs: list[tuple[str, Any]] = []

    def children(prefix: str) -> set[str]:
        if prefix.startswith("providers."):
            return set(PROVIDER_KEYS)
        if prefix.startswith(MCP_SERVERS + "."):
            return set(MCP_SERVER_KEYS)
        names = {k[len(prefix) + 1 :] if prefix else k for k in KEYS if k.startswith(prefix)}
        tables = {t[len(prefix) + 1 :] if prefix else t for t in TABLES if t.startswith(prefix)}
        return {n.split(".")[0] for n in names | tables if n} | ({"hooks"} if not prefix else set())

    def walk(prefix: str, table: dict[str, Any]) -> None:
        for name, value in table.items():
            key = f"{prefix}.{name}" if prefix else name
            is_table = key in TABLES or prefix in ("providers", MCP_SERVERS)
            if key == "hooks":
                if not isinstance(value, dict):
                    raise ConfigProblem(key, f"must be a table, got {_shown(value)}")
                for event, entries in value.items():
                    if event not in HOOK_EVENTS:
                        raise _unknown(f"hooks.{event}", set(HOOK_EVENTS))
                    pairs.append((f"hooks.{event}", entries))
            elif is_table:
                if not isinstance(value, dict):
                    raise ConfigProblem(key, f"must be a table, got {_shown(value)}")
                walk(key, value)
            elif prefix.startswith(MCP_SERVERS + "."):
                if name not in MCP_SERVER_KEYS:
                    raise _unknown(key, children(prefix))
                pairs.append((key, value))
            elif key in KEYS or prefix.startswith("providers."):
                if prefix.startswith("providers.") and name not in PROVIDER_KEYS:
                    raise _unknown(key, children(prefix))
                pairs.append((key, value))
            else:
                raise _unknown(key, children(prefix))

    walk("", document)
    return pairs


def parse_env(var: str, key: str, raw: str) -> Any:
    """A `HUNK_*` variable's text as the value for `key`; None when a switch is off."""
    text = raw.strip()
    if var in _SWITCH_VARS:
        lowered = text.lower()
        if lowered in ("1", "true", "yes", "on"):
            return False
        if lowered in ("0", "false", "no", "off"):
            return None
        raise ConfigProblem(key, f"must be 1/true/yes/on or 0/false/no/off, got {_shown(text)}")
    kind = KEYS[key].kind
    try:
        if kind == "int":
            return int(text)
        if kind == "number" and math.isfinite(number := float(text)):
            return number
        if kind == "number":
            raise ValueError(text)
    except ValueError:
        raise ConfigProblem(key, f"must be {_KINDS[kind]}, got {_shown(text)}") from None
    return text


# --- where a key sits in a file --------------------------------------------------------------

# patterns, compiled (and cached by `re`) when an error needs a line: not before the first paint
_HEADER = r"^\[\[?\s*(.+?)\s*\]\]?\s*(#.*)?$"
_ASSIGN = r"""^((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*="""
_PART = r"""[A-Za-z0-9_-]+|"[^"]*"|'[^']*'"""


def _key_parts(text: str) -> list[str]:
    return [p.strip("\"'") for p in re.findall(_PART, text)]


def find_line(text: str, key: str) -> int | None:
    """The 1-based line where `key` (dotted) is set or its table begins, if it can be found."""
    wanted = key.split(".")
    table: list[str] = []
    fallback: int | None = None
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if header := re.match(_HEADER, stripped):
            table = _key_parts(header.group(1))
            if table == wanted:
                return number
            if fallback is None and wanted[: len(table)] == table:
                fallback = number
            continue
        if assign := re.match(_ASSIGN, stripped):
            full = table + _key_parts(assign.group(1))
            if full == wanted:
                return number
            if wanted[: len(full)] == full and "{" in stripped:  # an inline table
                return number
    return fallback
