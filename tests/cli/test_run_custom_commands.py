"""`hunk run "/name args"`: a repository's custom command expanded into the prompt, with its
model and tools, through the real command against the fake server."""

from __future__ import annotations

import json
from pathlib import Path

from tests.fakeserver import FakeProvider, Reply
from tests.gitrepo import hunk_env, make_repo, run_hunk

NOTES = (
    "---\ndescription: Draft release notes\nargument-hint: VERSION SINCE\n"
    "model: anthropic:claude-opus-4-6\nallowed-tools: Read, Grep, Bash(git log:*)\n---\n"
    "Draft release notes for version $1, covering everything since $2.\n"
)


def first_user_text(body: dict) -> str:
    return "".join(block.get("text", "") for block in body["messages"][0]["content"])


def test_run_expands_a_custom_command_with_its_model_and_tools(fake: FakeProvider, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {".hunk/commands/release/notes.md": NOTES})
    fake.script(Reply(text="Here are the notes."))
    env = hunk_env(tmp_path / "home", ANTHROPIC_BASE_URL=fake.url, ANTHROPIC_API_KEY="test-key")

    done = run_hunk(root, env, "run", "--yes", "-m", "anthropic:claude-haiku-4-5", "/release:notes 2.0 v1.9")

    assert done.returncode == 0, done.stderr
    [body] = fake.bodies("/v1/messages")
    assert first_user_text(body) == "Draft release notes for version 2.0, covering everything since v1.9."
    assert body["model"] == "claude-opus-4-6"  # the command's model, for this prompt
    assert [t["name"] for t in body["tools"]] == ["read_file", "search_files", "run_command"]


def test_run_with_an_unknown_command_is_one_line_of_usage(fake: FakeProvider, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {".claude/commands/review.md": "Review the diff.\n"})
    env = hunk_env(tmp_path / "home", ANTHROPIC_BASE_URL=fake.url, ANTHROPIC_API_KEY="test-key")

    done = run_hunk(root, env, "run", "--yes", "-m", "anthropic:claude-haiku-4-5", "/reveiw")

    assert done.returncode == 2 and fake.bodies("/v1/messages") == []
    assert done.stderr.strip() == "hunk: no custom command or skill named /reveiw (known: /review)"


def test_a_prompt_that_merely_starts_with_a_path_is_sent_as_written(fake: FakeProvider, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"a.txt": "a\n"})
    fake.script(Reply(text="It is a config file."))
    env = hunk_env(tmp_path / "home", ANTHROPIC_BASE_URL=fake.url, ANTHROPIC_API_KEY="test-key")

    done = run_hunk(root, env, "run", "--yes", "--json", "-m", "anthropic:claude-haiku-4-5", "/etc/hosts: what is it?")

    assert done.returncode == 0, done.stderr
    assert first_user_text(fake.bodies("/v1/messages")[0]) == "/etc/hosts: what is it?"
    assert json.loads(done.stdout.splitlines()[0])["type"] == "session.started"
