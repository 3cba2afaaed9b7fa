"""When something breaks under the agent, the turn goes on and nothing is lost."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest

from hunk.values.events import Notice
from tests.fakeserver import Reply, ToolCall
from tests.gitrepo import git, make_repo


async def test_a_full_disk_leaves_the_file_intact_and_the_model_is_told(harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_repo(tmp_path / "repo", {"a.txt": "original\n"})
    h = harness(root, "auto")
    h.fake.script(
        Reply(tool_calls=[ToolCall("read_file", {"path": "a.txt"})]),
        Reply(tool_calls=[ToolCall("write_file", {"path": "a.txt", "content": "new content\n"})]),
        Reply(text="The disk is full; nothing was written."),
    )
    real_write = os.write

    def full_disk(fd: int, data) -> int:  # type: ignore[no-untyped-def]
        if bytes(data).startswith(b"new content"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", full_disk)

    outcome = await h.agent.run_turn("rewrite a.txt")

    assert outcome.status == "done" and outcome.commit is None
    assert (root / "a.txt").read_text() == "original\n"
    assert [p.name for p in root.iterdir() if p.name != ".git"] == ["a.txt"]  # no temporary file left
    result = h.fake.bodies("/v1/messages")[2]["messages"][-1]["content"][0]
    assert result["is_error"] is True and "could not be written" in json.dumps(result)
    assert any("full" in n.message for n in h.of(Notice))
    assert git(root, "status", "--porcelain") == ""


async def test_a_tool_that_crashes_becomes_a_tool_error_and_the_turn_goes_on(harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_repo(tmp_path / "repo", {"a.txt": "a\n"})
    h = harness(root, "auto")
    h.fake.script(
        Reply(tool_calls=[ToolCall("list_files", {})]),
        Reply(text="Listing failed; carrying on."),
    )
    class Broken:
        name, kind, spec = "list_files", "read", h.agent.tools["list_files"].spec

        async def run(self, arguments, ctx):  # type: ignore[no-untyped-def]
            raise RuntimeError("index exploded")

    h.agent.tools["list_files"] = Broken()

    outcome = await h.agent.run_turn("list")

    assert outcome.status == "done"
    result = h.fake.bodies("/v1/messages")[1]["messages"][-1]["content"][0]
    assert result["is_error"] is True and "index exploded" in json.dumps(result)
    assert any("list_files failed unexpectedly" in n.message for n in h.of(Notice))


async def test_under_yes_a_command_cannot_throw_away_the_users_uncommitted_work(harness, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"mine.txt": "committed\n", "agent.txt": "a\n"})
    (root / "mine.txt").write_text("my uncommitted edit\n")
    (root / "scratch.txt").write_text("my untracked notes\n")
    h = harness(root, "auto", flags={"sandbox": "off"})  # the sandbox would refuse git's index write
    h.fake.script(
        Reply(tool_calls=[ToolCall("run_command", {"command": "git checkout -- mine.txt && rm scratch.txt && echo b > agent.txt"})]),
        Reply(text="Cleaned up."),
        Reply(text="Update agent.txt"),
    )

    outcome = await h.agent.run_turn("tidy up")

    assert (root / "mine.txt").read_text() == "my uncommitted edit\n"
    assert (root / "scratch.txt").read_text() == "my untracked notes\n"
    assert outcome.commit and git(root, "show", "--name-only", "--format=", "HEAD").split() == ["agent.txt"]
    told = json.dumps(h.fake.bodies("/v1/messages")[1]["messages"][-1])
    assert "never discard the user" in told and "mine.txt" in told and "scratch.txt" in told
    assert any("put back" in n.message for n in h.of(Notice))
