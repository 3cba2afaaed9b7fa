"""A repository's MCP servers are someone else's processes: they start only once the person
approved them (or trusts the whole repository with `trusted_repos`, the `.hunk.toml` rule).

An approval is remembered per repository and per server, with the server's fingerprint: if the
repository later changes what the server runs or where it connects, hunk asks again. The record
lives in `<state>/mcp-approved.json`, private (0600).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from hunk.settings.approved import read_private, write_private
from hunk.settings.config import Config, state_dir
from hunk.extensions.mcp.config import ServerConfig, trusted_repo


def _store(env: Mapping[str, str]) -> Path:
    return state_dir(env) / "mcp-approved.json"


def _read(env: Mapping[str, str]) -> dict[str, dict[str, str]]:
    return read_private(_store(env))


def needs_approval(server: ServerConfig, root: Path | None, config: Config, env: Mapping[str, str]) -> bool:
    """True for a repository's server the person has not approved in its current form."""
    if server.origin != "repo" or root is None:
        return False
    if trusted_repo(root, config, env):
        return False
    return _read(env).get(str(root.resolve()), {}).get(server.name) != server.fingerprint()


def approve(server: ServerConfig, root: Path, env: Mapping[str, str]) -> None:
    """Remember that the person allowed this repository's server to start, as it is now."""
    data = _read(env)
    data.setdefault(str(root.resolve()), {})[server.name] = server.fingerprint()
    write_private(_store(env), data)
