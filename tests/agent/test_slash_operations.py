"""What the TUI's /undo, /diff and /model do to the agent, the repository and the model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hunk.providers.base import ProviderConfigError
from tests.fakeserver import Reply, ToolCall
from tests.gitrepo import git, make_repo


def edit_turn(new: str) -> list[Reply]:
    return [
        Reply(tool_calls=[ToolCall("read_file", {"path": "a.txt"})]),
        Reply(tool_calls=[ToolCall("write_file", {"path": "a.txt", "content": new})]),
        Reply(text="Done."),
        Reply(text=f"Write {new.strip()}"),
    ]


async def test_undo_takes_back_the_commit_and_the_model_hears_of_it(harness, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"a.txt": "a\n"})
    h = harness(root, "auto")
    base = git(root, "rev-parse", "HEAD")
    h.fake.script(*edit_turn("b\n"), Reply(text="Noted."))
    outcome = await h.agent.run_turn("edit")

    said = await h.agent.undo()

    assert said.startswith(f"undid {outcome.commit[:10]}")
    assert git(root, "rev-parse", "HEAD") == base and (root / "a.txt").read_text() == "a\n"
    assert "nothing" in (await h.agent.undo()) or "no agent commit" in (await h.agent.undo())
    await h.agent.run_turn("what now?")
    last = json.dumps(h.fake.bodies("/v1/messages")[-1]["messages"][-1])
    assert "undid your commit" in last and "what now?" in last


async def test_session_diff_shows_this_sessions_commits(harness, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"a.txt": "a\n"})
    h = harness(root, "auto")
    assert h.agent.session_diff() == "no commits in this session yet"
    h.fake.script(*edit_turn("b\n"))
    await h.agent.run_turn("edit")
    (root / "a.txt").write_text("b\nmine\n")  # the user's own work is not the session's

    diff = h.agent.session_diff()

    assert "Write b" in diff and "-a\n+b\n" in diff and "mine" not in diff


async def test_set_model_switches_provider_and_the_next_request_uses_it(harness, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"a.txt": "a\n"})
    h = harness(root, "auto")
    h.agent.set_model("anthropic:claude-opus-4-6")
    h.fake.script(Reply(text="hi"))

    await h.agent.run_turn("hello")

    assert h.agent.model_label == "anthropic:claude-opus-4-6"
    assert h.fake.bodies("/v1/messages")[-1]["model"] == "claude-opus-4-6"
    with pytest.raises(ProviderConfigError):
        h.agent.set_model("nosuch:model")
    assert h.agent.model_label == "anthropic:claude-opus-4-6"


async def test_context_used_follows_the_conversation_not_the_commit_subject_request(harness, tmp_path: Path) -> None:
    from hunk.values.events import UsageUpdated
    from tests.fakeserver.script import Usage

    root = make_repo(tmp_path / "repo", {"a.txt": "a\n"})
    h = harness(root, "auto")
    turn = edit_turn("b\n")
    for reply, size in zip(turn, (5000, 6000, 7000, 300)):
        reply.usage = Usage(input_tokens=size, output_tokens=10)
    h.fake.script(*turn)

    await h.agent.run_turn("edit")

    reported = [e.context_tokens for e in h.of(UsageUpdated)]
    assert reported == [5000, 6000, 7000, 7000]


async def test_a_loop_warning_in_one_prompt_does_not_stop_the_next_prompt_without_warning(harness, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"a.txt": "a\n"})
    h = harness(root, "auto")
    same = Reply(tool_calls=[ToolCall("list_files", {"pattern": "*.txt"})])
    h.fake.script(same, same, same, Reply(text="I'll stop."), same, same, same, Reply(text="Stopping again."))

    first = await h.agent.run_turn("list")
    second = await h.agent.run_turn("list again")

    assert first.status == "done" and second.status == "done"
    warned = [b for b in h.fake.bodies("/v1/messages") if "Stop repeating it" in json.dumps(b["messages"][-1])]
    assert len(warned) == 2  # each prompt was warned once, and neither was stopped


async def test_replacing_the_approver_reaches_command_questions(harness, tmp_path: Path) -> None:
    from hunk.agent.approval import CommandDecision
    from tests.agent.conftest import ScriptedApprover

    root = make_repo(tmp_path / "repo", {"a.txt": "a\n"})
    h = harness(root, "ask", flags={"sandbox": "off"})  # in the sandbox, touch would not ask
    other = ScriptedApprover([CommandDecision(allow=False, note="not now")])
    h.agent.approver = other
    h.fake.script(Reply(tool_calls=[ToolCall("run_command", {"command": "touch x"})]), Reply(text="ok"))

    await h.agent.run_turn("touch")

    assert len(other.asked) == 1 and not h.approver.asked
    assert not (root / "x").exists()


async def test_a_tool_calls_duration_leaves_out_the_time_the_person_took_to_decide(harness, tmp_path: Path, monkeypatch) -> None:
    from types import SimpleNamespace

    from hunk.values.events import ToolCallFinished
    from tests.agent.conftest import hunks

    clock = SimpleNamespace(now=1000.0)
    fake_time = SimpleNamespace(monotonic=lambda: clock.now)
    monkeypatch.setattr("hunk.agent.calls.time", fake_time)
    monkeypatch.setattr("hunk.agent.approval.time", fake_time)
    root = make_repo(tmp_path / "repo", {"a.txt": "a\n"})
    h = harness(root, "ask")
    h.fake.script(*edit_turn("b\n"))
    h.approver.answers.append(hunks(True))
    scripted = h.approver

    class Deliberate:
        """A person who takes a minute to decide (on the fake clock)."""

        async def decide(self, request):  # type: ignore[no-untyped-def]
            clock.now += 60.0
            return await scripted.decide(request)

    h.agent.approver = Deliberate()

    await h.agent.run_turn("edit")

    write = next(e for e in h.of(ToolCallFinished) if e.name == "write_file")
    assert write.duration_s == 0.0  # the fake clock only moved while the person decided


async def test_rewind_redo_and_fork_change_what_the_next_request_sends(harness, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"a.txt": "a\n"})
    h = harness(root, "ask")
    h.fake.script(Reply(text="one"), Reply(text="two"), Reply(text="three"), Reply(text="four"), Reply(text="five"))
    await h.agent.run_turn("prompt A")
    await h.agent.run_turn("prompt B")
    # what the /rewind picker lists (the turn counter once hid this method on the real agent)
    assert [(t.number, t.prompt) for t in h.agent.turn_log()] == [(1, "prompt A"), (2, "prompt B")]

    said = await h.agent.rewind(2, code=False)
    await h.agent.run_turn("prompt C")
    sent = [m["content"][0]["text"] for m in h.fake.bodies("/v1/messages")[-1]["messages"] if m["role"] == "user"]

    assert "Rewound to before turn 2" in said
    assert sent == ["prompt A", "prompt C"]
    parent = h.agent.journal.session_id
    assert "Started session" in await h.agent.fork(1)
    assert h.agent.journal.session_id != parent and h.agent.history == []
    await h.agent.run_turn("prompt D")
    assert [m["content"][0]["text"] for m in h.fake.bodies("/v1/messages")[-1]["messages"] if m["role"] == "user"] == ["prompt D"]
