"""`hunk mcp list|add|remove`: what the command line does, as functions returning text.

`add` and `remove` edit an `.mcp.json`-format file: the user's (`~/.config/hunk/mcp.json`) or,
with `--repo`, the repository's `.mcp.json` (which others can then use too). Servers set in
hunk's TOML are listed but edited in that file.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path

from hunk.settings.config import Config, ConfigError
from hunk.extensions.mcp.config import REPO_FILE, ServerConfig, discover, user_mcp_path
from hunk.extensions.mcp.manager import McpManager, ServerStatus

_STATE_WORDS = {
    "ready": "ready",
    "failed": "failed",
    "crashed": "crashed",
    "disabled": "disabled",
    "unapproved": "needs your approval (a repository's server: hunk mcp approve NAME, or /mcp approve NAME)",
    "stopped": "not started",
    "starting": "starting",
}


def _target_file(root: Path | None, env: Mapping[str, str], repo: bool) -> Path:
    if repo:
        if root is None:
            raise ConfigError("--repo needs a git repository")
        return root / REPO_FILE
    return user_mcp_path(env)


def _load(path: Path) -> dict:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {"mcpServers": {}}
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{path}: cannot read it as JSON: {exc}") from None
    if not isinstance(document, dict) or not isinstance(document.setdefault("mcpServers", {}), dict):
        raise ConfigError(f"{path}: mcpServers must be an object of servers")
    return document


def _save(path: Path, document: dict, private: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600 if private else 0o644)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(document, handle, indent=2)
        handle.write("\n")
    os.replace(tmp, path)


def _pairs(items: list[str], what: str) -> dict[str, str]:
    out = {}
    for item in items:
        key, sep, value = item.partition("=") if what == "env" else item.partition(":")
        if not sep or not key.strip():
            shape = "KEY=VALUE" if what == "env" else "Name: value"
            raise ConfigError(f"--{what} {item!r} must look like {shape}")
        out[key.strip()] = value.strip() if what != "env" else value
    return out


def add_server(
    name: str,
    *,
    root: Path | None,
    env: Mapping[str, str],
    command: list[str],
    url: str | None,
    env_vars: list[str],
    headers: list[str],
    repo: bool = False,
) -> str:
    """Add (or replace) a server; returns the line to print."""
    if bool(command) == bool(url):
        raise ConfigError("hunk mcp add: give either --url URL or a command after --")
    if url and not url.startswith(("http://", "https://")):
        raise ConfigError(f"--url must be an http:// or https:// URL, got {url!r}")
    entry: dict = {"type": "http", "url": url} if url else {"command": command[0], "args": command[1:]}
    if env_vars:
        entry["env"] = _pairs(env_vars, "env")
    if headers:
        entry["headers"] = _pairs(headers, "header")
    path = _target_file(root, env, repo)
    document = _load(path)
    replaced = name in document["mcpServers"]
    document["mcpServers"][name] = entry
    _save(path, document, private=not repo)
    return f"{'replaced' if replaced else 'added'} MCP server {name} in {path}"


def remove_server(name: str, *, root: Path | None, env: Mapping[str, str], config: Config, repo: bool = False) -> str:
    path = _target_file(root, env, repo)
    document = _load(path)
    if name not in document["mcpServers"]:
        if name in config.mcp_servers:
            where = config.source(f"mcp.servers.{name}.{next(iter(config.mcp_servers[name]))}").where
            raise ConfigError(f"{name} is set in {where.rpartition(':')[0] or where}; remove its [mcp.servers.{name}] table there")
        raise ConfigError(f"there is no MCP server named {name} in {path}")
    del document["mcpServers"][name]
    _save(path, document, private=not repo)
    return f"removed MCP server {name} from {path}"


def status_lines(statuses: list[ServerStatus]) -> list[str]:
    """One block per server for `hunk mcp list` and `/mcp`."""
    lines = []
    for s in statuses:
        state = _STATE_WORDS.get(s.state, s.state).replace("NAME", s.name)
        lines.append(f"{s.name}  {state}  ({s.transport}, {s.origin}) {s.target}")
        if s.tools:
            lines.append(f"  tools: {', '.join(s.tools)}")
        if s.prompts:
            lines.append(f"  prompts: {', '.join(s.prompts)}")
        if s.resources:
            lines.append(f"  resources: {', '.join(s.resources)}")
        if s.last_error and s.state in ("failed", "crashed"):
            lines.extend("  " + line for line in s.last_error.splitlines()[:6])
    return lines


async def list_servers(root: Path | None, config: Config, env: Mapping[str, str]) -> str:
    """Every server with its state: the ones that may start are started, listed and stopped."""
    servers: list[ServerConfig] = discover(root, config, env)
    if not servers:
        return f"no MCP servers configured (add one with `hunk mcp add`, or in {user_mcp_path(env)})"
    manager = McpManager(servers, root=root or Path.cwd(), config=config, env=env)
    try:
        manager.start_background()
        await manager.wait_started()
        return "\n".join(status_lines(manager.statuses()))
    finally:
        await manager.aclose()
