"""The plain sections of hunk's configuration (`[commit]`, `[limits]`, `[commands]`, `[keep]`,
`[sandbox]`, `[mcp]`, `[providers.NAME]`, `[ui]`): typed values with their defaults. Loading,
layering and checking them is `hunk.settings.config`'s work.
"""

from __future__ import annotations

from dataclasses import dataclass
from string import Template
from typing import Literal

# Keys whose patterns add up across layers (a deny rule in your user file still holds in a
# repository that allows more), rather than a higher layer replacing a lower one.
PATTERN_KEYS = ("commands.allow", "commands.deny", "commands.secret_env", "sandbox.writable", "mcp.allow", "mcp.deny")


@dataclass(frozen=True)
class CommitConfig:
    """`[commit]`: whether accepted changes are committed, and the trailer they carry."""

    enabled: bool = True
    trailer: bool = True
    # A git trailer; `$model` is replaced by the model in use ("anthropic:claude-sonnet-4-5").
    trailer_text: str = "Assisted-by: $model via hunk"

    def trailer_line(self, model: str) -> str | None:
        """The trailer to append to an agent commit, or None when switched off."""
        if not self.trailer:
            return None
        return Template(self.trailer_text).safe_substitute(model=model)


@dataclass(frozen=True)
class LimitsConfig:
    """`[limits]`: how far one prompt may go, in model requests, dollars and seconds."""

    max_turns: int = 50
    max_cost_usd: float | None = None
    command_timeout_s: int = 120
    context_compact_at: float = 0.8  # share of the model's context window


# Variables a command never inherits (hunk holds them to talk to the model): the SDKs' key
# variables; `commands.secret_env` adds names (fnmatch patterns) to these.
SECRET_ENV = ("ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "OPENAI_API_KEY", "*_API_KEY", "*_AUTH_TOKEN")


@dataclass(frozen=True)
class CommandsConfig:
    """`[commands]`: the person's allow and deny rules, and more variables to keep secret."""

    allow: tuple[str, ...] = ()
    deny: tuple[str, ...] = ()
    secret_env: tuple[str, ...] = ()  # added to SECRET_ENV


# Ignored folders whose content can be made again (dependencies, build outputs, caches): hunk
# keeps no copy of them before a command. Matched against each folder's name.
REGENERABLE = (
    "node_modules", ".venv", "venv", "__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache",
    ".tox", ".nox", ".cache", "build", "dist", "target", ".gradle", ".next", ".nuxt", "coverage",
    ".eggs", "*.egg-info", ".terraform", "vendor",
)


@dataclass(frozen=True)
class KeepConfig:
    """`[keep]`: the copies of the person's files hunk keeps before each command."""

    budget_mb: int = 1024  # new copies one command may need; over it the command is refused
    regenerable: tuple[str, ...] = REGENERABLE


@dataclass(frozen=True)
class McpConfig:
    """`[mcp]`: which MCP tools run without asking (`allow`) or never (`deny`), by name glob."""

    allow: tuple[str, ...] = ()
    deny: tuple[str, ...] = ()


@dataclass(frozen=True)
class SandboxConfig:
    """`[sandbox]`: how commands are confined (see hunk.policy.sandbox)."""

    mode: Literal["off", "workspace-write", "required", "read-only"] = "workspace-write"
    network: bool = False
    writable: tuple[str, ...] = ()  # more paths commands may write to ("~/.cache")


@dataclass(frozen=True)
class ProviderOverride:
    """`[providers.<name>]`: a provider or preset's endpoint and the variable holding its key."""

    base_url: str | None = None
    api_key_env: str | None = None


@dataclass(frozen=True)
class ModelsConfig:
    """`[models]`: the small model for commit subjects."""

    small: str = ""  # "": the provider's cheap model from the catalog (or the session's model)


@dataclass(frozen=True)
class UIConfig:
    """`[ui]`: how diffs, reasoning and waiting reviews are shown."""

    diff_style: Literal["unified", "split"] = "unified"
    show_reasoning: bool = True
    notify: Literal["auto", "bell", "off"] = "auto"  # when a review or a question waits
