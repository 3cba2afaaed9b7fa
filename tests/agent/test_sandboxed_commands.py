"""Commands through the agent in the real bubblewrap sandbox: approval follows the sandbox,
refusals are explained to the model and offered to the person, and the session says where
commands run."""

from __future__ import annotations

import json
import os
import socket
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from hunk.agent.approval import CommandDecision
from hunk.values.events import Notice, SessionStarted, ToolCallFinished
from hunk.agent.assemble import announce
from tests.agent.conftest import Harness, hunks
from tests.fakeserver import Reply, ToolCall
from tests.gitrepo import git, make_repo, path_without_bwrap


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "outside").mkdir()
    return make_repo(tmp_path / "repo", {"a.txt": "a\n"})


OUTSIDE = f"{sys.executable} -c \"open('../outside/x', 'w')\""  # a route the command rules miss


def _told(h: Harness, index: int = 1) -> str:
    """What the model was sent back in request `index` (the tool results)."""
    return json.dumps(h.fake.bodies("/v1/messages")[index]["messages"][-1])


def _connect(port: int) -> str:
    script = f"import socket; socket.create_connection(('127.0.0.1', {port}), timeout=5); print('connected')"
    return f"{sys.executable} -c \"{script}\""


async def test_in_ask_mode_a_writing_command_runs_sandboxed_without_asking_and_is_still_reviewed(
    harness: Callable[..., Harness], root: Path
) -> None:
    h = harness(root, "ask")
    h.approver.answers = [hunks(True)]
    h.fake.script(
        Reply(tool_calls=[ToolCall("run_command", {"command": "echo b > a.txt"})]),
        Reply(text="Done."),
        Reply(text="Change a.txt"),
    )

    outcome = await h.agent.run_turn("change a")

    assert h.approver.commands() == []
    assert [r.phase for r in h.approver.reviews()] == ["side_effects"]
    (finished,) = h.of(ToolCallFinished)
    assert finished.summary.endswith("sandboxed")
    assert outcome.commit and (root / "a.txt").read_text() == "b\n"


async def test_a_network_command_still_asks_and_may_run_outside_the_sandbox_once(
    harness: Callable[..., Harness], root: Path
) -> None:
    h = harness(root, "ask")
    h.approver.answers = [CommandDecision(allow=True, outside_sandbox=True)]
    h.fake.script(
        Reply(tool_calls=[ToolCall("run_command", {"command": "curl --version > /dev/null; echo ok"})]),
        Reply(text="Done."),
    )

    await h.agent.run_turn("check curl")

    (asked,) = h.approver.commands()
    assert asked.danger == "network" and asked.sandboxed and not asked.denied
    (finished,) = h.of(ToolCallFinished)
    assert "sandboxed" not in finished.summary


async def test_under_yes_a_write_outside_is_refused_and_the_model_is_told_why(
    harness: Callable[..., Harness], root: Path
) -> None:
    h = harness(root, "auto")
    h.fake.script(Reply(tool_calls=[ToolCall("run_command", {"command": OUTSIDE})]), Reply(text="Could not."))

    await h.agent.run_turn("write outside")

    assert os.listdir(root.parent / "outside") == []
    told = _told(h)
    assert "Read-only file system" in told and "The sandbox refused a write" in told and "the person can" in told


async def test_a_refused_write_is_explained_even_when_the_command_exits_0(
    harness: Callable[..., Harness], root: Path
) -> None:
    """`find -exec rm {} \\;` ignores rm's failure: the model must still hear why nothing happened,
    and the person is not asked about a command that reported success."""
    (root.parent / "outside" / "victim").write_text("keep me\n")
    h = harness(root, "ask")
    h.fake.script(
        Reply(tool_calls=[ToolCall("run_command", {"command": "find ../outside -name victim -exec rm {} \\;"})]),
        Reply(text="Could not."),
    )

    await h.agent.run_turn("remove the victim")

    assert (root.parent / "outside" / "victim").read_text() == "keep me\n"
    assert h.approver.commands() == []
    told = _told(h)
    assert "exit code 0" in told and "Read-only file system" in told and "The sandbox refused a write" in told


async def test_in_ask_mode_a_refused_write_is_offered_outside_the_sandbox_once(
    harness: Callable[..., Harness], root: Path
) -> None:
    h = harness(root, "ask")
    h.approver.answers = [CommandDecision(allow=True, outside_sandbox=True)]
    h.fake.script(Reply(tool_calls=[ToolCall("run_command", {"command": OUTSIDE})]), Reply(text="Done."))

    await h.agent.run_turn("write outside")

    (asked,) = h.approver.commands()
    assert asked.denied == "write" and "Read-only file system" in asked.reason
    assert os.listdir(root.parent / "outside") == ["x"]  # what the person allowed, once
    assert "The sandbox refused" not in _told(h)


async def test_allowing_the_network_lasts_for_the_session(
    harness: Callable[..., Harness], root: Path, listener: socket.socket
) -> None:
    h = harness(root, "ask")
    h.approver.answers = [CommandDecision(allow=True, allow_network=True)]
    command = _connect(listener.getsockname()[1])
    h.fake.script(
        Reply(tool_calls=[ToolCall("run_command", {"command": command})]),
        Reply(tool_calls=[ToolCall("run_command", {"command": command})]),
        Reply(text="Done."),
    )

    await h.agent.run_turn("reach the server")

    (asked,) = h.approver.commands()  # the second command did not ask again
    assert asked.denied == "network" and "Connection refused" in asked.reason
    assert [f.summary.endswith("sandboxed") for f in h.of(ToolCallFinished)] == [True, True]
    assert "connected" in _told(h, 1) and "connected" in _told(h, 2)
    assert h.agent.sandbox.network and h.agent.sandbox.active


async def test_under_yes_no_network_is_explained(
    harness: Callable[..., Harness], root: Path, listener: socket.socket
) -> None:
    h = harness(root, "auto")
    h.fake.script(Reply(tool_calls=[ToolCall("run_command", {"command": _connect(listener.getsockname()[1])})]), Reply(text="No."))

    await h.agent.run_turn("reach the server")

    assert "The sandbox has no network" in _told(h)
    with pytest.raises(BlockingIOError):
        listener.accept()


# routes the command rules miss: the path to .git is only known at run time
REMOVE_OBJECTS = "import glob, os; [os.remove(p) for p in glob.glob('.g' + 'it/objects/??/*')]"
REPLACE_OBJECTS = "import glob, os; [os.replace('a.txt', p) for p in glob.glob('.g' + 'it/objects/??/*')]"


async def test_a_sandboxed_command_can_stage_but_cannot_touch_the_objects_of_the_persons_history(
    harness: Callable[..., Harness], root: Path
) -> None:
    """`.git/objects` holds every commit the person has: a sandboxed command may not delete or
    overwrite one (a loose object is 0444, but its folder was writable). Its own `git add` still
    works: the blob goes to hunk's scratch, the person's objects are read behind it."""
    head_tree = git(root, "rev-parse", "HEAD^{tree}").strip()
    loose = root / ".git" / "objects" / head_tree[:2] / head_tree[2:]
    assert loose.exists()
    store = root / ".git" / "objects"
    before = {p: p.read_bytes() for p in store.rglob("*") if p.is_file()}
    h = harness(root, "auto")
    staged = "echo new > n.txt && git add n.txt && git diff --cached --name-only && git cat-file -t HEAD && echo staged"
    h.fake.script(
        Reply(tool_calls=[
            ToolCall("run_command", {"command": f"{sys.executable} -c \"{REMOVE_OBJECTS}\"; echo rm $?"}),
            ToolCall("run_command", {"command": f"{sys.executable} -c \"{REPLACE_OBJECTS}\"; echo mv $?"}),
            ToolCall("run_command", {"command": staged}),
        ]),
        Reply(text="Done."),
    )

    await h.agent.run_turn("poke the objects")

    removed, moved, added = (e.output for e in h.of(ToolCallFinished))
    assert "Read-only file system" in removed and "rm 1" in removed
    assert "mv 1" in moved
    assert "n.txt\ncommit\nstaged" in added
    assert all(p.exists() and p.read_bytes() == data for p, data in before.items())
    assert git(root, "fsck", "--no-dangling").strip() == ""


async def test_a_command_that_passes_while_printing_connection_refused_gets_no_network_note(
    harness: Callable[..., Harness], root: Path
) -> None:
    """A test suite that checks its own error handling prints "Connection refused" and exits 0:
    the sandbox refused nothing the command needed, so the model is not told it did."""
    h = harness(root, "auto")
    h.fake.script(Reply(tool_calls=[ToolCall("run_command", {"command": "echo 'test_retry: Connection refused (expected)'; echo ok"})]), Reply(text="Fine."))

    await h.agent.run_turn("run the tests")

    told = _told(h)
    assert "Connection refused (expected)" in told and "ok" in told
    assert "The sandbox has no network" not in told


async def test_read_only_mode_refuses_writes_in_the_repository(harness: Callable[..., Harness], root: Path) -> None:
    h = harness(root, "auto", flags={"sandbox": "read-only"})
    h.fake.script(Reply(tool_calls=[ToolCall("run_command", {"command": "echo b > a.txt"})]), Reply(text="No."))

    outcome = await h.agent.run_turn("change a")

    assert (root / "a.txt").read_text() == "a\n" and outcome.commit is None
    assert "The sandbox refused a write" in _told(h)


async def test_off_runs_commands_as_before(harness: Callable[..., Harness], root: Path) -> None:
    h = harness(root, "auto", flags={"sandbox": "off"})
    h.fake.script(Reply(tool_calls=[ToolCall("run_command", {"command": OUTSIDE})]), Reply(text="Done."))

    await h.agent.run_turn("write outside")

    assert os.listdir(root.parent / "outside") == ["x"]
    assert "sandboxed" not in h.of(ToolCallFinished)[0].summary


def _without_bwrap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", path_without_bwrap(tmp_path / "bin"))


async def test_required_refuses_every_command_where_bubblewrap_is_missing(
    harness: Callable[..., Harness], root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _without_bwrap(tmp_path, monkeypatch)
    h = harness(root, "auto", flags={"sandbox": "required"})
    h.fake.script(Reply(tool_calls=[ToolCall("run_command", {"command": "touch made"})]), Reply(text="Cannot."))

    await h.agent.run_turn("make a file")

    assert not (root / "made").exists()
    assert "No command can run here: Commands will not run: sandbox mode required needs a sandbox" in _told(h)


async def test_the_session_states_the_sandbox_and_says_once_when_there_is_none(
    harness: Callable[..., Harness], root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = harness(root, "ask")
    announce(h.agent, h.events.append, root, "ask")
    started = h.of(SessionStarted)[-1]
    assert (started.sandbox, started.sandboxed) == ("workspace-write", True) and h.of(Notice) == []

    _without_bwrap(tmp_path, monkeypatch)
    h = harness(root, "ask")
    announce(h.agent, h.events.append, root, "ask")
    started = h.of(SessionStarted)[-1]
    assert (started.sandbox, started.sandboxed) == ("workspace-write", False)
    (notice,) = h.of(Notice)
    assert notice.message.startswith("Commands are not sandboxed: bubblewrap (bwrap) is not installed")
