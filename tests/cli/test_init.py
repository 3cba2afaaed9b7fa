"""`hunk init`: a starter AGENTS.md written by the model, through the usual review and commit."""

from __future__ import annotations

import json
from pathlib import Path

from tests.fakeserver import FakeProvider, Reply, ToolCall
from tests.gitrepo import git, hunk_env, make_repo, run_hunk

AGENTS = "# Agents\n\nRun the tests with `python3 -m unittest`.\n"


def test_init_asks_the_model_for_agents_md_and_commits_it(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"README.md": "# demo\n", "setup.py": "print('x')\n"})
    with FakeProvider() as fake:
        fake.script(
            Reply(tool_calls=[ToolCall("list_files", {}), ToolCall("read_file", {"path": "README.md"})]),
            Reply(tool_calls=[ToolCall("write_file", {"path": "AGENTS.md", "content": AGENTS})]),
            Reply(text="Wrote AGENTS.md."),
            Reply(text="Add a starter AGENTS.md"),
        )
        env = hunk_env(tmp_path / "home", ANTHROPIC_BASE_URL=fake.url, ANTHROPIC_API_KEY="test-key")

        done = run_hunk(root, env, "init", "--yes", "-m", "anthropic:claude-haiku-4-5")

        assert done.returncode == 0, done.stderr
        first = json.dumps(fake.bodies("/v1/messages")[0]["messages"][0])
        assert "starter `AGENTS.md`" in first
    assert (root / "AGENTS.md").read_text() == AGENTS
    assert git(root, "log", "-1", "--format=%s").strip() == "Add a starter AGENTS.md"


def test_init_proposes_the_checks_it_detects_for_the_model_to_put_in_hunk_toml(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"pyproject.toml": "[tool.ruff]\n[tool.pytest.ini_options]\n"})
    table = '[checks]\ncommands = ["ruff check {files}", "python -m pytest -q -x"]\nwhen = "turn"\n'
    with FakeProvider() as fake:
        fake.script(
            Reply(tool_calls=[ToolCall("write_file", {"path": ".hunk.toml", "content": table})]),
            Reply(text="Added the checks."),
            Reply(text="Add hunk checks"),
        )
        env = hunk_env(tmp_path / "home", ANTHROPIC_BASE_URL=fake.url, ANTHROPIC_API_KEY="test-key")

        done = run_hunk(root, env, "init", "--yes", "-m", "anthropic:claude-haiku-4-5")

        assert done.returncode == 0, done.stderr
        assert "detected checks: ruff check {files}; python -m pytest -q -x" in done.stderr
        content = fake.bodies("/v1/messages")[0]["messages"][0]["content"]
        prompt = content if isinstance(content, str) else "".join(block.get("text", "") for block in content)
        assert "starter `AGENTS.md`" in prompt and "```toml\n" + table + "```" in prompt
    assert (root / ".hunk.toml").read_text() == table
