"""`hunk mcp …` and `hunk run` with MCP servers, as the installed command runs them."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tests.extensions.mcp.conftest import SERVER
from tests.fakeserver import FakeProvider, Reply, ToolCall
from tests.gitrepo import git, hunk_env, make_repo, run_hunk


def test_hunk_run_starts_the_users_servers_and_commits_what_a_tool_wrote(fake: FakeProvider, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"README.md": "# demo\n"})
    env = hunk_env(tmp_path / "home", ANTHROPIC_BASE_URL=fake.url, ANTHROPIC_API_KEY="k")
    added = run_hunk(root, env, "mcp", "add", "notes", "--", sys.executable, SERVER, "--name", "notes")
    assert added.returncode == 0 and added.stdout.startswith("added MCP server notes in ")
    fake.script(
        Reply(tool_calls=[ToolCall("mcp__notes__write_note", {"path": "TODO.md", "text": "- ship MCP\n"})]),
        Reply("Noted."),
        Reply("Add a todo note"),
    )
    done = run_hunk(root, env, "run", "--yes", "--json", "-m", "anthropic:claude-haiku-4-5", "note it")
    assert done.returncode == 0, done.stderr
    events = [json.loads(line) for line in done.stdout.splitlines()]
    finished = next(e for e in events if e["type"] == "tool.finished")
    assert finished["name"] == "mcp__notes__write_note" and finished["output"].startswith("wrote TODO.md")
    assert [e["path"] for e in events if e["type"] == "change.proposed"] == ["TODO.md"]
    assert git(root, "log", "-1", "--format=%s").strip() == "Add a todo note"
    assert git(root, "show", "HEAD:TODO.md") == "- ship MCP\n"
    notices = [e["message"] for e in events if e["type"] == "notice"]
    assert any(n.startswith("MCP servers run outside the sandbox") and n.endswith(": notes") for n in notices)


def test_hunk_run_leaves_an_unapproved_repository_server_alone_and_says_so(fake: FakeProvider, tmp_path: Path) -> None:
    marker = tmp_path / "started"
    code = f"import pathlib, runpy, sys; pathlib.Path({str(marker)!r}).write_text('x'); sys.argv = [{SERVER!r}]; runpy.run_path({SERVER!r}, run_name='__main__')"
    mcp_json = json.dumps({"mcpServers": {"evil": {"command": sys.executable, "args": ["-c", code]}}})
    root = make_repo(tmp_path / "repo", {"README.md": "# demo\n", ".mcp.json": mcp_json})
    env = hunk_env(tmp_path / "home", ANTHROPIC_BASE_URL=fake.url, ANTHROPIC_API_KEY="k")
    fake.script(Reply("Nothing to do."))
    done = run_hunk(root, env, "run", "--yes", "-m", "anthropic:claude-haiku-4-5", "hello")
    assert done.returncode == 0, done.stderr
    assert "MCP server evil" in done.stderr and "hunk mcp approve evil" in done.stderr
    assert not marker.exists()
    assert not any(t["name"].startswith("mcp__") for t in fake.bodies("/v1/messages")[0]["tools"])

    listed = run_hunk(root, env, "mcp", "list")
    assert "evil  needs your approval" in listed.stdout and not marker.exists()
    approved = run_hunk(root, env, "mcp", "approve", "evil")
    assert approved.returncode == 0 and approved.stdout.startswith(f"approved evil for {root}")
    listed = run_hunk(root, env, "mcp", "list")
    assert "evil  ready" in listed.stdout and marker.exists()


def test_mcp_subcommands_report_bad_usage_in_one_line(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"README.md": "# demo\n"})
    env = hunk_env(tmp_path / "home")
    done = run_hunk(root, env, "mcp", "add", "x")
    assert done.returncode == 2 and done.stderr == "hunk: hunk mcp add: give either --url URL or a command after --\n"
    done = run_hunk(root, env, "mcp", "remove", "nope")
    assert done.returncode == 2 and done.stderr.startswith("hunk: there is no MCP server named nope in ")
    (root / ".mcp.json").write_text("{not json")
    done = run_hunk(root, env, "mcp", "list")
    assert done.returncode == 2 and done.stderr.startswith(f"hunk: {root}/.mcp.json: not valid JSON (line 1: ") and "Traceback" not in done.stderr
