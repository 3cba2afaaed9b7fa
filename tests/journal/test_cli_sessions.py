"""`hunk run` as a subprocess against the fake server: continued sessions, project instructions,
compaction across runs, --max-cost, deny rules under --yes and `hunk sessions`."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.cli.test_run_protocols import PROTOCOLS
from tests.fakeserver import FakeProvider, Reply, ToolCall
from tests.fakeserver.script import Usage
from tests.gitrepo import git, hunk_env, make_repo, run_hunk
from tests.journal.test_cache_prefix import PATHS, split

MODEL = PROTOCOLS["anthropic"][0]


def env_for(tmp_path: Path, fake: FakeProvider, protocol: str = "anthropic") -> dict[str, str]:
    return hunk_env(tmp_path / "home", **PROTOCOLS[protocol][1](fake.url))


def run(root: Path, env: dict[str, str], *args: str, protocol: str = "anthropic") -> Any:
    return run_hunk(root, env, "run", "--yes", "-m", PROTOCOLS[protocol][0], *args)


def conversation(body: dict[str, Any]) -> str:
    return json.dumps(body.get("messages") or body.get("input"), ensure_ascii=False)


@pytest.mark.parametrize("protocol", sorted(PROTOCOLS))
def test_a_continued_session_sends_the_earlier_conversation_first(protocol: str, fake: FakeProvider, repo: Path, tmp_path: Path) -> None:
    env = env_for(tmp_path, fake, protocol)
    fake.script(Reply("I will remember PELICAN."), Reply("The word was PELICAN."))
    assert run(repo, env, "remember the word PELICAN", protocol=protocol).returncode == 0
    done = run(repo, env, "-c", "what was the word?", protocol=protocol)

    assert done.returncode == 0, done.stderr
    first, second = fake.bodies(PATHS[protocol])
    text = conversation(second)
    assert text.index("remember the word PELICAN") < text.index("I will remember PELICAN.") < text.index("what was the word?")
    head_a, conv_a = split(first)
    head_b, conv_b = split(second)
    assert head_a == head_b and conv_b.startswith(conv_a)  # another process, the same prefix


def test_agents_md_from_the_root_and_the_current_folder_reach_the_system_prompt(fake: FakeProvider, repo: Path, tmp_path: Path) -> None:
    (repo / "AGENTS.md").write_text("Root rule: run make check before finishing.\n")
    sub = repo / "pkg" / "api"
    sub.mkdir(parents=True)
    (sub / "AGENTS.md").write_text("API rule: never change the public signatures.\n")
    (repo / "pkg" / "AGENTS.md").write_text("Package rule: keep modules small.\n")
    fake.script(Reply("ok"))

    done = run(sub, env_for(tmp_path, fake), "hello")

    assert done.returncode == 0, done.stderr
    system = fake.bodies("/v1/messages")[0]["system"][0]["text"]
    root_at, pkg_at, api_at = (system.index(rule) for rule in ("Root rule", "Package rule", "API rule"))
    assert root_at < pkg_at < api_at
    assert "pkg/api/AGENTS.md" in system


def test_compaction_in_a_continued_session_is_kept_for_the_next_run(fake: FakeProvider, repo: Path, tmp_path: Path) -> None:
    env = env_for(tmp_path, fake)
    fake.script(Reply("The long explanation of the first task. " * 300), Reply("two done"))
    assert run(repo, env, "first: explain").returncode == 0
    assert run(repo, env, "-c", "second: say hi").returncode == 0
    fake.script(
        Reply(tool_calls=[ToolCall("read_file", {"path": "app.py"})], usage=Usage(190_000, 10)),  # 95 % of the window
        Reply("SUMMARY: explained the code, said hi."),
        Reply("third done"),
    )
    third = run(repo, env, "-c", "--json", "third: the open task")
    assert third.returncode == 0, third.stderr
    assert any(json.loads(line).get("type") == "notice" and "compacted" in line for line in third.stdout.splitlines())

    fake.script(Reply("fourth done"))
    assert run(repo, env, "-c", "fourth").returncode == 0
    bodies = fake.bodies("/v1/messages")
    before, summary_request, after, resumed = bodies[2], bodies[3], bodies[4], bodies[5]
    assert "tools" not in summary_request
    assert len(conversation(after)) < len(conversation(before))
    assert "third: the open task" in conversation(after) and "SUMMARY" in conversation(after)
    assert "The long explanation" not in conversation(resumed) and "SUMMARY" in conversation(resumed)
    assert split(resumed)[1].startswith(split(after)[1])  # the next run starts from the compacted history


def test_max_cost_stops_before_the_request_that_would_exceed_it(fake: FakeProvider, repo: Path, tmp_path: Path) -> None:
    # claude-haiku-4-5 at $1 per million input tokens: the first call costs about $0.10
    fake.script(Reply(tool_calls=[ToolCall("read_file", {"path": "app.py"})], usage=Usage(100_000, 10)), Reply("never sent"))

    done = run(repo, env_for(tmp_path, fake), "--max-cost", "0.15", "look at app.py")

    assert done.returncode == 1
    assert "--max-cost" in done.stderr and "limit $0.15" in done.stderr
    assert len(fake.requests) == 1 and fake.pending == 1


def test_max_cost_below_the_first_request_sends_nothing(fake: FakeProvider, repo: Path, tmp_path: Path) -> None:
    fake.script(Reply("never sent"))
    done = run(repo, env_for(tmp_path, fake), "--max-cost", "0.0000001", "hello")
    assert done.returncode == 1 and "--max-cost" in done.stderr
    assert fake.requests == []


def test_deny_rules_refuse_commands_even_under_yes_and_the_model_is_told(fake: FakeProvider, repo: Path, tmp_path: Path) -> None:
    (repo / ".hunk.toml").write_text('[commands]\ndeny = ["touch forbidden*"]\n')
    git(repo, "add", ".hunk.toml")
    git(repo, "commit", "-q", "-m", "config")
    fake.script(
        Reply(tool_calls=[
            ToolCall("run_command", {"command": "touch pushed.txt && git push origin main"}),
            ToolCall("run_command", {"command": "touch forbidden.txt"}),
            ToolCall("run_command", {"command": "touch allowed.txt"}),
        ]),
        Reply("I could not push."),
        Reply("Add allowed.txt"),  # the commit subject
    )

    done = run(repo, env_for(tmp_path, fake), "push it")

    assert done.returncode == 0, done.stderr
    assert not (repo / "pushed.txt").exists() and not (repo / "forbidden.txt").exists()
    assert (repo / "allowed.txt").exists()
    results = [b for b in fake.bodies("/v1/messages")[1]["messages"][-1]["content"] if b["type"] == "tool_result"]
    assert [r["is_error"] for r in results] == [True, True, False]
    assert all("This command was not run" in r["content"] for r in results[:2])
    assert "touch forbidden*" in results[1]["content"]


def test_sessions_lists_date_first_prompt_turns_cost_and_commits(fake: FakeProvider, repo: Path, tmp_path: Path) -> None:
    env = env_for(tmp_path, fake)
    fake.script(
        Reply(tool_calls=[ToolCall("write_file", {"path": "notes.md", "content": "n\n"})], usage=Usage(10_000, 100)),
        Reply("Wrote it.", usage=Usage(10_000, 100)),
        Reply("Add notes", usage=Usage(1_000, 10)),
        Reply("Still here.", usage=Usage(10_000, 100)),
        Reply("Another one.", usage=Usage(2_000, 10)),
    )
    assert run(repo, env, "write the notes file").returncode == 0
    assert run(repo, env, "-c", "anything else?").returncode == 0
    assert run(repo, env, "a new session").returncode == 0

    done = run_hunk(repo, env, "sessions")

    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].split() == ["ID", "STARTED", "TURNS", "COST", "COMMITS", "FIRST", "PROMPT"]
    first, second = lines[1:]
    # $1/M in, $5/M out: 31k in + 310 out, and 2k in + 10 out
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d\s+2\s+\$0\.0326\s+1\s+write the notes file$", first), first
    assert re.search(r"\s1\s+\$0\.0021\s+0\s+a new session$", second), second


def test_a_continued_session_counts_cost_from_where_it_left_off(tmp_path: Path, fake: FakeProvider) -> None:
    root = make_repo(tmp_path / "repo", {"a.txt": "a\n"})
    env = hunk_env(tmp_path / "home", ANTHROPIC_BASE_URL=fake.url, ANTHROPIC_API_KEY="test-key")
    fake.script(
        Reply(text="one", usage=Usage(1_000_000, 0)),  # $1.00 at claude-haiku-4-5's price
        Reply(text="two", usage=Usage(1_000_000, 0)),
    )
    first = run_hunk(root, env, "run", "--yes", "-m", "anthropic:claude-haiku-4-5", "first")
    second = run_hunk(root, env, "run", "--yes", "-c", "-m", "anthropic:claude-haiku-4-5", "second")

    assert first.returncode == 0 and second.returncode == 0, second.stderr
    assert "$1.0000 this turn · $1.0000 session" in first.stderr
    assert "$1.0000 this turn · $2.0000 session" in second.stderr
