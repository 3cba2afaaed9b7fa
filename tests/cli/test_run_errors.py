"""`hunk run`'s exit codes and one-line errors, and the limits that stop a run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.fakeserver import Fault, FakeProvider, Reply, ToolCall
from tests.gitrepo import git, hunk_env, make_repo, run_hunk

MODEL = "anthropic:claude-haiku-4-5"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "repo", {"a.txt": "alpha\n"})


def env_for(tmp_path: Path, fake: FakeProvider, **extra: str) -> dict[str, str]:
    return hunk_env(tmp_path / "home", ANTHROPIC_BASE_URL=fake.url, ANTHROPIC_API_KEY="test-key", **extra)


def assert_one_line_error(stderr: str, *fragments: str) -> None:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert lines and lines[-1].startswith("hunk: "), stderr
    assert "Traceback" not in stderr
    for fragment in fragments:
        assert fragment in lines[-1], stderr


def test_outside_a_repository_is_one_line_and_exit_2(tmp_path: Path) -> None:
    outside = tmp_path / "plain"
    outside.mkdir()
    done = run_hunk(outside, hunk_env(tmp_path / "home"), "run", "--yes", "hello")
    assert done.returncode == 2
    assert_one_line_error(done.stderr, "not inside a git repository")


def test_a_missing_key_names_the_variable_to_set(repo: Path, tmp_path: Path) -> None:
    done = run_hunk(repo, hunk_env(tmp_path / "home"), "run", "--yes", "-m", MODEL, "hello")
    assert done.returncode == 2
    assert_one_line_error(done.stderr, "ANTHROPIC_API_KEY")


def test_an_unknown_provider_lists_the_known_ones(repo: Path, tmp_path: Path) -> None:
    done = run_hunk(repo, hunk_env(tmp_path / "home"), "run", "--yes", "-m", "nosuch:model", "hello")
    assert done.returncode == 2
    assert_one_line_error(done.stderr, "unknown provider 'nosuch'", "anthropic")


def test_review_without_a_terminal_refuses_to_start(repo: Path, tmp_path: Path, fake: FakeProvider) -> None:
    done = run_hunk(repo, env_for(tmp_path, fake), "run", "-m", MODEL, "hello")
    assert done.returncode == 2
    assert_one_line_error(done.stderr, "--yes")
    assert fake.requests == []


def test_no_prompt_is_bad_usage(repo: Path, tmp_path: Path, fake: FakeProvider) -> None:
    done = run_hunk(repo, env_for(tmp_path, fake), "run", "--yes", "-m", MODEL)
    assert done.returncode == 2
    assert_one_line_error(done.stderr, "no prompt")


def test_the_prompt_can_come_from_stdin_or_a_file(repo: Path, tmp_path: Path, fake: FakeProvider) -> None:
    fake.script(Reply(text="from stdin"), Reply(text="from a file"))
    prompt_file = tmp_path / "task.md"
    prompt_file.write_text("the task in a file\n")

    by_stdin = run_hunk(repo, env_for(tmp_path, fake), "run", "--yes", "-m", MODEL, stdin="the task on stdin\n")
    by_file = run_hunk(repo, env_for(tmp_path, fake), "run", "--yes", "-m", MODEL, "-f", str(prompt_file))

    assert by_stdin.returncode == 0 and by_file.returncode == 0, by_stdin.stderr + by_file.stderr
    first, second = fake.bodies("/v1/messages")
    assert "the task on stdin" in json.dumps(first["messages"])
    assert "the task in a file" in json.dumps(second["messages"])


def test_a_provider_that_refuses_the_key_fails_the_run_with_exit_1(repo: Path, tmp_path: Path, fake: FakeProvider) -> None:
    fake.script(Fault(401, message="invalid x-api-key"))
    done = run_hunk(repo, env_for(tmp_path, fake), "run", "--yes", "-m", MODEL, "hello")
    assert done.returncode == 1
    assert "ANTHROPIC_API_KEY" in done.stderr and "Traceback" not in done.stderr
    assert "test-key" not in done.stderr + done.stdout


def test_invalid_tool_json_is_answered_as_a_tool_error_and_the_run_goes_on(repo: Path, tmp_path: Path, fake: FakeProvider) -> None:
    fake.script(
        Reply(tool_calls=[ToolCall("read_file", '{"path": "a.txt"')]),  # cut-off JSON
        Reply(tool_calls=[ToolCall("read_file", {"path": "a.txt"})]),
        Reply(text="Read it."),
    )
    done = run_hunk(repo, env_for(tmp_path, fake), "run", "--yes", "--json", "-m", MODEL, "read a.txt")

    assert done.returncode == 0, done.stderr
    second = fake.bodies("/v1/messages")[1]["messages"][-1]["content"][0]
    assert second["type"] == "tool_result" and second["is_error"] is True
    assert "not a valid JSON object" in json.dumps(second)
    third = fake.bodies("/v1/messages")[2]["messages"][-1]["content"][0]
    assert "alpha" in json.dumps(third) and not third.get("is_error")


def test_the_same_call_repeated_is_warned_then_stopped_with_exit_1(repo: Path, tmp_path: Path, fake: FakeProvider) -> None:
    same = Reply(tool_calls=[ToolCall("list_files", {"pattern": "*.txt"})])
    fake.script(*[same] * 6)
    done = run_hunk(repo, env_for(tmp_path, fake), "run", "--yes", "-m", MODEL, "list")

    assert done.returncode == 1
    assert_one_line_error(done.stderr, "kept repeating the same list_files call")
    bodies = fake.bodies("/v1/messages")
    assert len(bodies) == 6
    warned = json.dumps(bodies[3]["messages"][-1])
    assert "Stop repeating it" in warned


def test_an_a_b_a_b_cycle_is_caught(repo: Path, tmp_path: Path, fake: FakeProvider) -> None:
    a = Reply(tool_calls=[ToolCall("read_file", {"path": "a.txt"})])
    b = Reply(tool_calls=[ToolCall("list_files", {})])
    fake.script(a, b, a, b, a, b, a, b)
    done = run_hunk(repo, env_for(tmp_path, fake), "run", "--yes", "-m", MODEL, "cycle")
    assert done.returncode == 1
    assert "kept repeating" in done.stderr
    assert "Stop repeating it" in json.dumps(fake.bodies("/v1/messages")[4]["messages"][-1])


def test_max_turns_stops_a_model_that_never_finishes(repo: Path, tmp_path: Path, fake: FakeProvider) -> None:
    fake.script(*[Reply(tool_calls=[ToolCall("search_files", {"pattern": f"x{i}"})]) for i in range(5)])
    done = run_hunk(repo, env_for(tmp_path, fake), "run", "--yes", "--max-turns", "3", "-m", MODEL, "search")
    assert done.returncode == 1
    assert_one_line_error(done.stderr, "--max-turns")
    assert len(fake.requests) == 3


def test_a_path_outside_the_repository_is_refused_to_the_model_not_the_user(repo: Path, tmp_path: Path, fake: FakeProvider) -> None:
    (tmp_path / "secret.txt").write_text("secret\n")
    fake.script(
        Reply(tool_calls=[ToolCall("read_file", {"path": "../secret.txt"}), ToolCall("write_file", {"path": "/tmp/x", "content": "x"})]),
        Reply(text="Cannot."),
    )
    done = run_hunk(repo, env_for(tmp_path, fake), "run", "--yes", "-m", MODEL, "read it")
    assert done.returncode == 0, done.stderr
    results = fake.bodies("/v1/messages")[1]["messages"][-1]["content"]
    assert all(r["is_error"] for r in results)
    assert "secret" not in json.dumps(results).replace("secret.txt", "")
    assert git(repo, "status", "--porcelain") == ""


def test_debug_shows_the_traceback(repo: Path, tmp_path: Path) -> None:
    done = run_hunk(repo, hunk_env(tmp_path / "home"), "run", "--yes", "--debug", "-m", "nosuch:model", "hello")
    assert done.returncode == 2
    assert "Traceback" in done.stderr and done.stderr.rstrip().splitlines()[-1].startswith("hunk: ")


def test_reasoning_reaches_the_request_from_the_flag_or_config(repo: Path, tmp_path: Path, fake: FakeProvider) -> None:
    fake.script(Reply(text="thought about it"), Reply(text="and again"))
    env = env_for(tmp_path, fake)
    flagged = run_hunk(repo, env, "run", "--yes", "--reasoning", "high", "-m", "anthropic:claude-sonnet-4-6", "think")
    configured = run_hunk(repo, {**env, "HUNK_REASONING": "low"}, "run", "--yes", "-m", "anthropic:claude-haiku-4-5", "think")

    assert flagged.returncode == 0 and configured.returncode == 0, flagged.stderr + configured.stderr
    first, second = fake.bodies("/v1/messages")
    assert first["thinking"] == {"type": "adaptive"} and first["output_config"] == {"effort": "high"}
    assert second["thinking"] == {"type": "enabled", "budget_tokens": 2048}
