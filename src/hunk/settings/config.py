"""hunk's configuration: typed values, where each came from, and one-line errors.

Layers, lowest first: built-in defaults < `$XDG_CONFIG_HOME/hunk/config.toml` (default
`~/.config`) < `<repo>/.hunk.toml` < environment (`HUNK_*`) < flags the CLI passes. Scalars from
a higher layer replace lower ones; the patterns of `sections.PATTERN_KEYS` (`commands.allow`,
`commands.deny`, `mcp.allow`…) add up across layers.

Every layer is read and checked before anything is returned: an invalid file or variable raises
`ConfigError` with one line naming the path, line and key; there is never half a config.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from hunk.settings.checks_config import ChecksConfig
from hunk.settings.repo_trust import is_trusted, loosening
from hunk.settings.sections import (
    PATTERN_KEYS,
    CommandsConfig,
    CommitConfig,
    KeepConfig,
    LimitsConfig,
    McpConfig,
    ModelsConfig,
    ProviderOverride,
    SandboxConfig,
    UIConfig,
)
from hunk.settings.schema import (
    ENV_VARS,
    FLAG_ALIASES,
    KEYS,
    MCP_SERVERS,
    ConfigProblem,
    check_hooks,
    check_value,
    find_line,
    flatten,
    parse_env,
)

ApprovalMode = Literal["ask", "plan", "review", "auto"]
# the one vocabulary, in the order the TUI's Shift+Tab cycles through it
APPROVAL_MODES: tuple[ApprovalMode, ...] = ("ask", "plan", "review", "auto")
DEFAULT_MODEL = "anthropic:claude-sonnet-4-6"  # claude-sonnet-4-5 reaches end of life on 2026-11-30
REPO_FILE = ".hunk.toml"

SourceKind = Literal["default", "user", "repo", "env", "flag"]


class ConfigError(Exception):
    """An invalid configuration file, variable or flag; `str()` is one line for the user."""


@dataclass(frozen=True)
class Source:
    """Where an effective value came from."""

    kind: SourceKind
    where: str = ""  # "~/.config/hunk/config.toml:7", "HUNK_MODEL", "--max-turns"

    def __str__(self) -> str:
        if self.kind == "default":
            return "default"
        if self.kind == "env":
            return f"env {self.where}"
        if self.kind == "flag":
            return f"flag {self.where}"
        return self.where


DEFAULT = Source("default")


@dataclass(frozen=True)
class HookConfig:
    """One `[[hooks.<Event>]]` table: run `command` when `event` fires for a matching subject."""

    event: str
    command: str
    matcher: str = ""  # a regular expression on the tool name (or the event's subject); "" or "*": all
    timeout_s: float | None = None  # None: the hook runner's default
    source: Source = field(default=Source("default"), compare=False)


@dataclass(frozen=True)
class Config:
    """The effective configuration: defaults, the person's file, the repository's, then flags."""

    model: str = DEFAULT_MODEL
    approval: ApprovalMode | None = None  # None: each command's default
    reasoning: Literal["off", "low", "medium", "high"] = "off"  # how hard the model thinks, where it can
    theme: str = "textual-dark"
    commit: CommitConfig = field(default_factory=CommitConfig)
    limits: LimitsConfig = field(default_factory=LimitsConfig)
    commands: CommandsConfig = field(default_factory=CommandsConfig)
    checks: ChecksConfig = field(default_factory=ChecksConfig)
    sandbox: SandboxConfig = field(default_factory=SandboxConfig)
    keep: KeepConfig = field(default_factory=KeepConfig)
    mcp: McpConfig = field(default_factory=McpConfig)
    providers: Mapping[str, ProviderOverride] = field(default_factory=dict)
    ui: UIConfig = field(default_factory=UIConfig)
    models: ModelsConfig = field(default_factory=ModelsConfig)
    trusted_repos: tuple[str, ...] = ()  # repositories whose .hunk.toml may loosen safety
    # `[mcp.servers.NAME]` tables, checked key by key; hunk.extensions.mcp makes servers of them
    mcp_servers: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    hooks: tuple[HookConfig, ...] = ()  # from the user's file, and the repository's when trusted
    repo_trusted: bool = False  # the repository is in trusted_repos: its own files may start processes
    ignored_repo_hooks: tuple[str, ...] = ()  # where hooks sat that an untrusted repository may not run
    # Dotted key -> where its value came from. List items are keyed "commands.allow[0]" etc.
    sources: Mapping[str, Source] = field(default_factory=dict, compare=False)

    def source(self, key: str) -> Source:
        return self.sources.get(key, DEFAULT)

    @property
    def checks_from_untrusted_repo(self) -> bool:
        """The checks come from the repository's own file, which is not trusted: each runs
        only once the person approved it."""
        return self.source("checks.commands").kind == "repo" and not self.repo_trusted


# --- places ----------------------------------------------------------------------------------


def _home(env: Mapping[str, str]) -> Path:
    home = env.get("HOME")
    return Path(home) if home else Path.home()


def _xdg(env: Mapping[str, str], var: str, fallback: str) -> Path:
    value = env.get(var, "")
    # The XDG spec says relative paths are invalid and must be ignored.
    if value and Path(value).is_absolute():
        return Path(value)
    return _home(env) / fallback


def user_config_path(env: Mapping[str, str]) -> Path:
    return _xdg(env, "XDG_CONFIG_HOME", ".config") / "hunk" / "config.toml"


def state_dir(env: Mapping[str, str]) -> Path:
    """`$XDG_STATE_HOME/hunk` (default `~/.local/state/hunk`): sessions and journals live here."""
    return _xdg(env, "XDG_STATE_HOME", ".local/state") / "hunk"


def _display(path: Path, env: Mapping[str, str]) -> str:
    try:
        return "~/" + path.relative_to(_home(env)).as_posix()
    except ValueError:
        return str(path)


# --- loading ---------------------------------------------------------------------------------

_Entry = tuple[str, Any, Source]  # dotted key, checked value, source


def _read_file(path: Path, kind: SourceKind, env: Mapping[str, str]) -> list[_Entry]:
    shown = _display(path, env)
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        return []  # (without a file, tomllib is not even imported: the first paint waits on it)
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{shown}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise ConfigError(f"{shown}: cannot read: {exc.strerror or exc}") from None
    import tomllib

    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(_syntax_message(shown, str(exc))) from None
    try:
        pairs = flatten(document)
        entries = [(key, _check(key, value), key) for key, value in pairs]
    except ConfigProblem as problem:
        line = find_line(text, problem.key)
        where = f"{shown}:{line}" if line else shown
        raise ConfigError(f"{where}: {problem}") from None
    out: list[_Entry] = []
    for key, value, _ in entries:
        line = find_line(text, key)
        out.append((key, value, Source(kind, f"{shown}:{line}" if line else shown)))
    return out


def _check(key: str, value: Any) -> Any:
    return check_hooks(key, value) if key.startswith("hooks.") else check_value(key, value)


def _syntax_message(shown: str, error: str) -> str:
    # tomllib (3.11) puts the place in the text: "Invalid value (at line 7, column 13)".
    head, sep, place = error.rpartition(" (at ")
    if sep and place.startswith("line "):
        line, _, column = place.rstrip(")").removeprefix("line ").partition(", column ")
        return f"{shown}:{line}: TOML syntax error: {head} (column {column})"
    return f"{shown}: TOML syntax error: {error}"


def _from_env(env: Mapping[str, str]) -> list[_Entry]:
    out: list[_Entry] = []
    for var, key in ENV_VARS.items():
        raw = env.get(var, "")
        if not raw.strip():
            continue
        try:
            parsed = parse_env(var, key, raw)
            if parsed is None:
                continue
            out.append((key, check_value(key, parsed), Source("env", var)))
        except ConfigProblem as problem:
            raise ConfigError(f"{var} {problem.reason}") from None
    return out


def _from_flags(flags: Mapping[str, Any]) -> list[_Entry]:
    out: list[_Entry] = []
    for name, raw in flags.items():
        if raw is None:
            continue
        if name in FLAG_ALIASES:
            key, flag, fixed = FLAG_ALIASES[name]
            if fixed is not None:  # a switch like --no-commit: only its presence counts
                if raw is not True:
                    continue
                raw = fixed
        elif name in KEYS:
            key, flag = name, f"--{name}"
        else:
            raise ValueError(f"load_config: unknown flag {name!r}")
        try:
            out.append((key, check_value(key, raw), Source("flag", flag)))
        except ConfigProblem as problem:
            raise ConfigError(f"{flag} {problem.reason}") from None
    return out


def load_config(
    repo_root: Path | None,
    env: Mapping[str, str],
    flags: Mapping[str, Any] | None = None,
) -> Config:
    """The effective configuration, or `ConfigError` with one line saying what is wrong.

    `flags` holds the CLI's overrides: `model`, `approval`, `max_turns`, `max_cost`,
    `no_commit` / `yes` (switches, True when given), or any dotted key such as
    `"limits.command_timeout_s"`. None values are ignored (argparse's "not given").
    """
    layers = [_read_file(user_config_path(env), "user", env)]
    repo_trusted, ignored = False, []
    if repo_root is not None:
        repo_layer = _read_file(repo_root / REPO_FILE, "repo", env)
        trusted = {value for key, values, _ in layers[0] if key == "trusted_repos" for value in values}
        repo_trusted = is_trusted(repo_root, trusted, _home(env))
        if not repo_trusted:
            _refuse_loosening(repo_layer, layers[0], user_config_path(env), env)
            # a cloned repository's hooks would run its author's programs: ignored, and said so
            ignored = [source.where for key, _, source in repo_layer if key.startswith("hooks.")]
            repo_layer = [entry for entry in repo_layer if not entry[0].startswith("hooks.")]
        layers.append(repo_layer)
    layers.append(_from_env(env))
    layers.append(_from_flags(flags or {}))
    config = _build([entry for layer in layers for entry in layer])
    return replace(config, repo_trusted=repo_trusted, ignored_repo_hooks=tuple(ignored))


def _refuse_loosening(entries: list[_Entry], user: list[_Entry], user_file: Path, env: Mapping[str, str]) -> None:
    user_mode = next((value for key, value, _ in reversed(user) if key == "sandbox.mode"), SandboxConfig.mode)
    for key, value, source in entries:
        reason = loosening(key, value, user_mode)
        if reason is not None:
            raise ConfigError(
                f"{source.where}: {key} in a repository's own file would {reason}; set it in "
                f"{_display(user_file, env)}, or trust this repository there with trusted_repos"
            )


def value_of(config: Config, key: str) -> Any:
    head, _, leaf = key.partition(".")
    return getattr(getattr(config, head), leaf) if leaf else getattr(config, key)


def _build(entries: list[_Entry]) -> Config:
    values: dict[str, Any] = {key: value_of(Config(), key) for key in KEYS}
    sources: dict[str, Source] = {}
    patterns: dict[str, list[tuple[str, Source]]] = {k: [] for k in PATTERN_KEYS}
    providers: dict[str, dict[str, str]] = {}
    mcp_servers: dict[str, dict[str, Any]] = {}
    hooks: list[HookConfig] = []
    for key, value, source in entries:
        if key.startswith("hooks."):
            event = key.split(".", 1)[1]
            hooks.extend(HookConfig(event, command, matcher, timeout, source) for matcher, command, timeout in value)
        elif key in patterns:
            seen = {p for p, _ in patterns[key]}
            patterns[key].extend((p, source) for p in value if p not in seen)
        elif key.startswith("providers."):
            _, name, leaf = key.split(".", 2)
            providers.setdefault(name, {})[leaf] = value
            sources[key] = source
        elif key.startswith(MCP_SERVERS + "."):
            name, _, leaf = key.removeprefix(MCP_SERVERS + ".").rpartition(".")
            mcp_servers.setdefault(name, {})[leaf] = value
            sources[key] = source
        else:
            values[key] = value
            sources[key] = source
    for key, items in patterns.items():
        values[key] = tuple(p for p, _ in items)
        sources.update({f"{key}[{i}]": s for i, (_, s) in enumerate(items)})

    def table(prefix: str) -> dict[str, Any]:
        return {k.split(".", 1)[1]: v for k, v in values.items() if k.startswith(prefix + ".")}

    return Config(
        model=values["model"],
        approval=values["approval"],
        reasoning=values["reasoning"],
        theme=values["theme"],
        commit=CommitConfig(**table("commit")),
        limits=LimitsConfig(**table("limits")),
        commands=CommandsConfig(**table("commands")),
        checks=ChecksConfig(**table("checks")),
        sandbox=SandboxConfig(**table("sandbox")),
        keep=KeepConfig(**table("keep")),
        mcp=McpConfig(**table("mcp")),
        providers={name: ProviderOverride(**p) for name, p in sorted(providers.items())},
        ui=UIConfig(**table("ui")),
        models=ModelsConfig(**table("models")),
        trusted_repos=tuple(values["trusted_repos"]),
        mcp_servers=mcp_servers,
        hooks=tuple(hooks),
        sources=sources,
    )
