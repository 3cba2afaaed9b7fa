"""Which MCP servers a session knows: `[mcp.servers.NAME]` in hunk's TOML and the `.mcp.json`
format the other agents share (`{"mcpServers": {NAME: {...}}}`), at user level
(`$XDG_CONFIG_HOME/hunk/mcp.json`) and in the repository (`<repo>/.mcp.json`).

Later wins for one name: user mcp.json < repository .mcp.json < hunk's TOML (itself layered user
< repository). A server whose definition came from a repository file has `origin="repo"`: it is
someone else's process and starts only once the person approved it (see `trust.py`).

A repository's `.mcp.json` may not read the credentials hunk holds (`${ANTHROPIC_API_KEY}`, any
variable `hunk.settings.secrets` keeps from commands) into a server's command, env, URL or
headers unless the person trusts the repository: a server of its choosing would receive them.

A broken entry in a shared `.mcp.json` does not stop hunk: the server is listed with its
`problem` and never started. A file that is not JSON at all is a `ConfigError` (one line).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from hunk.extensions.places import Origin, json_section
from hunk.settings.config import Config, ConfigError, user_config_path
from hunk.settings.repo_trust import is_trusted
from hunk.settings.secrets import is_secret

REPO_FILE = ".mcp.json"
DEFAULT_TIMEOUT_S = 60.0
_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")


@dataclass(frozen=True)
class ServerConfig:
    """One MCP server: a command hunk starts (stdio) or a URL it connects to (streamable HTTP)."""

    name: str
    command: str | None = None
    args: tuple[str, ...] = ()
    env: Mapping[str, str] = field(default_factory=dict)
    cwd: str | None = None
    url: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    enabled: bool = True
    timeout_s: float = DEFAULT_TIMEOUT_S
    origin: Origin = "user"
    where: str = ""  # the file it came from, for people
    problem: str | None = None  # why it cannot start, found while reading it

    @property
    def transport(self) -> Literal["stdio", "http"]:
        return "http" if self.url else "stdio"

    def fingerprint(self) -> str:
        """What the person approves: any change to what would run or where it connects asks again."""
        what = {"command": self.command, "args": list(self.args), "env": dict(self.env), "cwd": self.cwd,
                "url": self.url, "headers": dict(self.headers)}
        return hashlib.sha256(json.dumps(what, sort_keys=True).encode()).hexdigest()[:16]

    def describe(self) -> str:
        """One line for people: what runs, or where it connects."""
        if self.url:
            return self.url
        return " ".join([self.command or "", *self.args]).strip()


def trusted_repo(root: Path, config: Config, env: Mapping[str, str]) -> bool:
    """The person's `trusted_repos` names this repository: its files may do what theirs may."""
    home = Path(env["HOME"]) if env.get("HOME") else Path.home()
    return is_trusted(root, set(config.trusted_repos), home)


def user_mcp_path(env: Mapping[str, str]) -> Path:
    return user_config_path(env).with_name("mcp.json")


def _expand(text: str, env: Mapping[str, str], missing: list[str], read: list[str]) -> str:
    """`${VAR}` and `${VAR:-default}`, as in the other agents' .mcp.json files."""

    def value(match: re.Match[str]) -> str:
        name, default = match.group(1), match.group(2)
        read.append(name)
        if name in env:
            return env[name]
        if default is None:
            missing.append(name)
            return ""
        return default

    return _VARIABLE.sub(value, text)


def _strings(raw: Any, what: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
        raise ValueError(f"{what} must be a list of strings")
    return tuple(raw)


def _table(raw: Any, what: str) -> dict[str, str]:
    if raw is None:
        return {}
    if not isinstance(raw, dict) or not all(isinstance(v, str) for v in raw.values()):
        raise ValueError(f"{what} must be an object of strings")
    return dict(raw)


def server_from_json(
    name: str, raw: Any, *, origin: Origin, where: str, env: Mapping[str, str], held: Callable[[str], bool] = lambda _: False
) -> ServerConfig:
    """One `mcpServers` entry; an entry hunk cannot use comes back with its `problem`. `held`:
    the variables this file may not read (credentials, for a repository's file)."""
    broken = ServerConfig(name, origin=origin, where=where, enabled=False)
    if not isinstance(raw, dict):
        return _with_problem(broken, "must be an object")
    kind = raw.get("type", "http" if "url" in raw else "stdio")
    if kind in ("sse",):
        return _with_problem(broken, "uses the old SSE transport; hunk speaks stdio and streamable HTTP")
    if kind not in ("stdio", "http", "streamable-http", "streamableHttp"):
        return _with_problem(broken, f"has an unknown type {kind!r}")
    missing: list[str] = []
    read: list[str] = []

    def expand(text: str) -> str:
        return _expand(text, env, missing, read)

    try:
        command = raw.get("command")
        url = raw.get("url")
        if not isinstance(command, str | None) or not isinstance(url, str | None):
            raise ValueError("command and url must be strings")
        timeout = raw.get("timeout_s", DEFAULT_TIMEOUT_S)
        if isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0:
            raise ValueError("timeout_s must be a number greater than 0")
        server = ServerConfig(
            name,
            command=expand(command) if command else None,
            args=tuple(expand(a) for a in _strings(raw.get("args"), "args")),
            env={k: expand(v) for k, v in _table(raw.get("env"), "env").items()},
            cwd=raw.get("cwd") if isinstance(raw.get("cwd"), str) else None,
            url=expand(url) if url else None,
            headers={k: expand(v) for k, v in _table(raw.get("headers"), "headers").items()},
            enabled=raw.get("enabled", True) is not False and raw.get("disabled", False) is not True,
            timeout_s=float(timeout),
            origin=origin,
            where=where,
        )
    except ValueError as exc:
        return _with_problem(broken, str(exc))
    if held_back := sorted({n for n in read if held(n)}):
        return _with_problem(broken, f"reads {', '.join(held_back)} from your environment: a repository's file may not "
                             "pass your credentials to a server (define it in your own mcp.json, or trust the repository)")
    if missing:
        return _with_problem(server, "needs " + ", ".join(sorted(set(missing))) + " set in the environment")
    return _checked(server)


def _checked(server: ServerConfig) -> ServerConfig:
    if bool(server.command) == bool(server.url):
        return _with_problem(server, "needs either a command (stdio) or a url (streamable HTTP)")
    return server


def _with_problem(server: ServerConfig, problem: str) -> ServerConfig:
    return ServerConfig(**{**server.__dict__, "problem": problem})


def read_mcp_json(
    path: Path, *, origin: Origin, env: Mapping[str, str], held: Callable[[str], bool] = lambda _: False
) -> list[ServerConfig]:
    """The servers in one `.mcp.json`-format file ([] when it does not exist)."""
    try:
        servers = json_section(path, "mcpServers")
    except ValueError as problem:
        raise ConfigError(f"{path}: {problem}") from None
    if servers is None:
        return []
    return [server_from_json(name, raw, origin=origin, where=str(path), env=env, held=held) for name, raw in servers.items()]


def servers_from_config(config: Config) -> list[ServerConfig]:
    """`[mcp.servers.NAME]` tables: values were already checked key by key by hunk's loader."""
    out = []
    for name, table in config.mcp_servers.items():
        sources = [config.source(f"mcp.servers.{name}.{leaf}") for leaf in table]
        origin: Origin = "repo" if any(s.kind == "repo" for s in sources) else "user"
        where = next((s.where.rpartition(":")[0] or s.where for s in sources if s.kind == origin), "")
        server = ServerConfig(
            name,
            command=table.get("command"),
            args=tuple(table.get("args", ())),
            env=dict(table.get("env", {})),
            cwd=table.get("cwd"),
            url=table.get("url"),
            headers=dict(table.get("headers", {})),
            enabled=table.get("enabled", True),
            timeout_s=float(table.get("timeout_s", DEFAULT_TIMEOUT_S)),
            origin=origin,
            where=where,
        )
        out.append(_checked(server))
    return out


def discover(root: Path | None, config: Config, env: Mapping[str, str] | None = None) -> list[ServerConfig]:
    """Every server this session knows, by name, the last definition of a name winning."""
    env = dict(os.environ) if env is None else env
    found: dict[str, ServerConfig] = {}
    layers = [read_mcp_json(user_mcp_path(env), origin="user", env=env)]
    if root is not None:
        held = (lambda _: False) if trusted_repo(root, config, env) else (lambda name: is_secret(name, config))
        layers.append(read_mcp_json(root / REPO_FILE, origin="repo", env=env, held=held))
    layers.append(servers_from_config(config))
    for layer in layers:
        for server in layer:
            found[server.name] = server
    return sorted(found.values(), key=lambda s: s.name)
