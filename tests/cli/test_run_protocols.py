"""`hunk run --yes` end to end, once per wire protocol: the real SDK against the fake server, a
real git repository, the command as a subprocess."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.fakeserver import FakeProvider, Reply, ToolCall
from tests.gitrepo import git, hunk_env, make_repo, run_hunk

APP = 'def greet(name):\n    return "Hello, " + name\n\n\nprint(greet("world"))\n'
UTIL = "def shout(text):\n    return text.upper()\n"
NEW_NOTE = "Grüße — «quotes» \"double\" and a backslash \\ here\n"

PROTOCOLS = {
    "anthropic": ("anthropic:claude-haiku-4-5", lambda url: {"ANTHROPIC_BASE_URL": url, "ANTHROPIC_API_KEY": "test-key"}),
    "openai-responses": ("openai:gpt-5", lambda url: {"OPENAI_BASE_URL": url + "/v1", "OPENAI_API_KEY": "test-key"}),
    "openai-chat": ("openai-chat:gpt-4.1", lambda url: {"OPENAI_BASE_URL": url + "/v1", "OPENAI_API_KEY": "test-key"}),
}


def scripted_session() -> list[Reply]:
    return [
        Reply(
            text="Let me look around.",
            tool_calls=[
                ToolCall("read_file", {"path": "app.py"}),
                ToolCall("read_file", {"path": "util.py"}),
                ToolCall("search_files", {"pattern": "greet"}),
            ],
        ),
        Reply(
            text="Changing the greeting, the helper, and adding a note.",
            tool_calls=[
                ToolCall("edit_file", {"path": "app.py", "old_string": '"Hello, "', "new_string": '"Hi, «" + "\\\\" + "» "'}),
                ToolCall("edit_file", {"path": "util.py", "old_string": "text.upper()", "new_string": 'text.upper() + "!"'}),
                ToolCall("write_file", {"path": "docs/NOTES.md", "content": NEW_NOTE}),
            ],
        ),
        Reply(tool_calls=[ToolCall("run_command", {"command": "python3 app.py > out.txt && echo ran"})]),
        Reply(text="All done."),
        Reply(text="Change the greeting and add notes"),  # the commit subject
    ]


@pytest.mark.parametrize("protocol", sorted(PROTOCOLS))
def test_run_yes_reads_searches_edits_writes_runs_and_commits(protocol: str, fake: FakeProvider, tmp_path: Path) -> None:
    model, env_for = PROTOCOLS[protocol]
    root = make_repo(tmp_path / "repo", {"app.py": APP, "util.py": UTIL})
    fake.script(*scripted_session())
    env = hunk_env(tmp_path / "home", **env_for(fake.url))

    done = run_hunk(root, env, "run", "--yes", "--json", "-m", model, "improve the greeting")

    assert done.returncode == 0, done.stderr
    assert (root / "app.py").read_text(encoding="utf-8") == APP.replace('"Hello, "', '"Hi, «" + "\\\\" + "» "')
    assert (root / "util.py").read_text() == UTIL.replace("text.upper()", 'text.upper() + "!"')
    assert (root / "docs/NOTES.md").read_text(encoding="utf-8") == NEW_NOTE
    assert (root / "out.txt").read_text(encoding="utf-8") == "Hi, «\\» world\n"

    events = [json.loads(line) for line in done.stdout.splitlines()]
    types = [e["type"] for e in events]
    assert types[0] == "session.started" and types[1] == "turn.started"
    assert types[-1] == "turn.finished"
    assert {e["session"] for e in events} == {events[0]["session"]}
    assert "".join(e["text"] for e in events if e["type"] == "text.delta") == (
        "Let me look around.Changing the greeting, the helper, and adding a note.All done."
    )
    started = [e["name"] for e in events if e["type"] == "tool.started"]
    assert started == ["read_file", "read_file", "search_files", "edit_file", "edit_file", "write_file", "run_command"]
    finished = [e for e in events if e["type"] == "tool.finished"]
    assert len(finished) == 7 and not any(e["is_error"] for e in finished)
    search = next(e for e in finished if e["name"] == "search_files")
    assert "app.py:1:" in search["output"] and "app.py:5:" in search["output"]
    proposed = [e["path"] for e in events if e["type"] == "change.proposed"]
    assert proposed == ["app.py", "util.py", "docs/NOTES.md", "out.txt"]  # the command's output file too
    commit = next(e for e in events if e["type"] == "commit.created")
    assert commit["subject"] == "Change the greeting and add notes"
    assert sorted(commit["files"]) == ["app.py", "docs/NOTES.md", "out.txt", "util.py"]
    assert any(e["type"] == "usage" for e in events)

    assert git(root, "log", "--format=%s", "-1").strip() == "Change the greeting and add notes"
    assert git(root, "status", "--porcelain") == ""
    body = git(root, "log", "--format=%B", "-1")
    assert "- app.py (+1 -1)" in body and "\u2212" not in body and "Assisted-by:" in body
    assert fake.pending == 0


@pytest.mark.parametrize("protocol", sorted(PROTOCOLS))
def test_run_prints_text_tool_lines_and_diffstat(protocol: str, fake: FakeProvider, tmp_path: Path) -> None:
    model, env_for = PROTOCOLS[protocol]
    root = make_repo(tmp_path / "repo", {"app.py": APP, "util.py": UTIL})
    fake.script(*scripted_session())

    done = run_hunk(root, hunk_env(tmp_path / "home", **env_for(fake.url)), "run", "--yes", "-m", model, "go")

    assert done.returncode == 0, done.stderr
    assert "Let me look around." in done.stdout and "All done." in done.stdout
    assert "• edit_file app.py  +1 −1" in done.stderr
    assert "• run_command python3 app.py > out.txt && echo ran  exit 0" in done.stderr
    assert "4 files changed" in done.stderr
    assert "committed " in done.stderr
    summary = done.stderr.strip().splitlines()[-1]
    assert summary.startswith("tokens ") and " out · $" in summary and "this turn" in summary and "session" in summary
