"""When something breaks under the agent, the turn goes on and nothing is lost."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest

from hunk.events import Notice
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
