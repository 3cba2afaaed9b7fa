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
