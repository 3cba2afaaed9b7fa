"""A repository's servers wait for the person's yes; `hunk mcp add/remove/list` edit and show them."""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path

import pytest

from hunk.settings.config import Config, ConfigError, load_config
from hunk.settings.sections import SandboxConfig
from hunk.extensions.mcp.admin import add_server, list_servers, remove_server
from hunk.extensions.mcp.config import discover, user_mcp_path
from tests.extensions.mcp.conftest import SERVER, ManagerFactory, started


def repo_mcp_json(root: Path, *, marker: Path) -> None:
    """A repository server whose start leaves a file behind, so a test can see it never ran."""
    code = f"import pathlib, runpy, sys; pathlib.Path({str(marker)!r}).write_text('started'); sys.argv = [{SERVER!r}]; runpy.run_path({SERVER!r}, run_name='__main__')"
    (root / ".mcp.json").write_text(json.dumps({"mcpServers": {"repo-tools": {"command": sys.executable, "args": ["-c", code]}}}))


async def test_a_repositorys_mcp_json_does_not_start_until_the_person_approves_it(managers: ManagerFactory, tmp_path: Path) -> None:
    env = dict(os.environ)
    marker = tmp_path.parent / f"{tmp_path.name}-started"
    repo_mcp_json(tmp_path, marker=marker)
    servers = discover(tmp_path, Config(), env)
    manager = await started(managers(*servers))
    assert manager.status("repo-tools").state == "unapproved" and not marker.exists()
    assert [s.name for s in manager.pending_approval()] == ["repo-tools"]
    manager.approve("repo-tools")
    await manager.wait_started()
    assert manager.status("repo-tools").state == "ready" and marker.exists()
    store = Path(env["XDG_STATE_HOME"]) / "hunk" / "mcp-approved.json"
    assert stat.S_IMODE(store.stat().st_mode) == 0o600
    # the yes is remembered for this repository, as long as the server stays what was approved
    again = managers(*discover(tmp_path, Config(), env))
    assert again.status("repo-tools").state == "stopped"
    data = json.loads((tmp_path / ".mcp.json").read_text())
    data["mcpServers"]["repo-tools"]["args"].append("--changed")
    (tmp_path / ".mcp.json").write_text(json.dumps(data))
    changed = managers(*discover(tmp_path, Config(), env))
    assert changed.status("repo-tools").state == "unapproved"


def test_a_trusted_repository_needs_no_approval(managers: ManagerFactory, tmp_path: Path) -> None:
    repo_mcp_json(tmp_path, marker=tmp_path / "m")
    config = Config(trusted_repos=(str(tmp_path),))
    manager = managers(*discover(tmp_path, config, dict(os.environ)), config=config)
    assert manager.status("repo-tools").state == "stopped"  # free to start


def test_a_users_own_server_needs_no_approval(managers: ManagerFactory, tmp_path: Path) -> None:
    env = dict(os.environ)
    add_server("mine", root=tmp_path, env=env, command=[sys.executable, SERVER], url=None, env_vars=[], headers=[])
    manager = managers(*discover(tmp_path, Config(), env))
    assert manager.status("mine").state == "stopped" and manager.status("mine").origin == "user"


def test_add_and_remove_edit_the_users_mcp_json(tmp_path: Path) -> None:
    env = dict(os.environ)
    said = add_server("api", root=tmp_path, env=env, command=[], url="https://api.example/mcp", env_vars=[], headers=["Authorization: Bearer x"])
    path = user_mcp_path(env)
    assert said == f"added MCP server api in {path}"
    assert json.loads(path.read_text())["mcpServers"]["api"] == {"type": "http", "url": "https://api.example/mcp", "headers": {"Authorization": "Bearer x"}}
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # headers hold tokens
    add_server("fs", root=tmp_path, env=env, command=["fs-mcp", "--root", "."], url=None, env_vars=["A=1"], headers=[], repo=True)
    assert json.loads((tmp_path / ".mcp.json").read_text())["mcpServers"]["fs"] == {"command": "fs-mcp", "args": ["--root", "."], "env": {"A": "1"}}
    assert remove_server("api", root=tmp_path, env=env, config=Config()) == f"removed MCP server api from {path}"
    assert json.loads(path.read_text())["mcpServers"] == {}
    with pytest.raises(ConfigError, match="no MCP server named api"):
        remove_server("api", root=tmp_path, env=env, config=Config())
    with pytest.raises(ConfigError, match="either --url URL or a command"):
        add_server("x", root=tmp_path, env=env, command=[], url=None, env_vars=[], headers=[])
    with pytest.raises(ConfigError, match="KEY=VALUE"):
        add_server("x", root=tmp_path, env=env, command=["a"], url=None, env_vars=["nokey"], headers=[])


def test_remove_points_at_the_toml_file_that_sets_a_server(tmp_path: Path) -> None:
    env = dict(os.environ)
    (tmp_path / ".hunk.toml").write_text('[mcp.servers.lint]\ncommand = "lint-mcp"\n')
    with pytest.raises(ConfigError, match=r"lint is set in .*\.hunk\.toml; remove its \[mcp.servers.lint\] table there"):
        remove_server("lint", root=tmp_path, env=env, config=load_config(tmp_path, env))


async def test_list_shows_each_servers_state_tools_and_last_error(tmp_path: Path) -> None:
    env = dict(os.environ)
    add_server("calc", root=tmp_path, env=env, command=[sys.executable, SERVER], url=None, env_vars=[], headers=[])
    add_server("broken", root=tmp_path, env=env, command=["/no/such/server"], url=None, env_vars=[], headers=[])
    repo_mcp_json(tmp_path, marker=tmp_path / "m")
    text = await list_servers(tmp_path, Config(), env)
    assert "calc  ready  (stdio, user)" in text and "  tools: add, echo, picture" in text and "  prompts: review" in text
    assert "broken  failed" in text and "broken could not start" in text
    assert "repo-tools  needs your approval" in text and not (tmp_path / "m").exists()
    assert (await list_servers(None, Config(), {"HOME": str(tmp_path / "nobody")})).startswith("no MCP servers configured")


async def test_a_sandboxed_session_says_its_mcp_servers_run_outside_the_sandbox(managers: ManagerFactory) -> None:
    from tests.extensions.mcp.conftest import stdio_server

    sandboxed = await started(managers(stdio_server("calc"), config=Config(sandbox=SandboxConfig(mode="workspace-write"))))
    [line] = sandboxed.problems()
    assert "outside the sandbox, with your rights (sandbox mode workspace-write" in line and line.endswith(": calc")
    off = await started(managers(stdio_server("calc"), config=Config(sandbox=SandboxConfig(mode="off"))))
    assert off.problems() == []
