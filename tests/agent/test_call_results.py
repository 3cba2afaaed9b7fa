"""Every tool call in the history has its result, whatever fails — checked where it matters, at
the provider boundary: the fake server answers 400 to a history with an unanswered call (as the
real APIs do), on all three wire protocols."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hunk.agent.approval import ApprovalRequest, ChangeDecision, ChangeReview
from hunk.agent.assemble import RunSpec, build_agent
from hunk.journal.journal import SessionStore
from hunk.settings.config import load_config
from hunk.values.diffs import FileVerdict, HunkVerdict
from hunk.values.events import Event, ToolCallFinished, TurnFinished
from tests.agent.conftest import ScriptedApprover
from tests.fakeserver import FakeProvider, Reply, ToolCall
from tests.gitrepo import git, make_repo

PROTOCOLS = {
    "anthropic": ("anthropic:claude-haiku-4-5", lambda url: {"ANTHROPIC_BASE_URL": url, "ANTHROPIC_API_KEY": "k"}),
    "openai-responses": ("openai:gpt-5", lambda url: {"OPENAI_BASE_URL": url + "/v1", "OPENAI_API_KEY": "k"}),
    "openai-chat": ("openai-chat:gpt-4.1", lambda url: {"OPENAI_BASE_URL": url + "/v1", "OPENAI_API_KEY": "k"}),
}
ORIGINAL = "".join(f"line {i}\n" for i in range(1, 8))
CHANGED = ORIGINAL.replace("line 4\n", "line four\n")


def edit_that_changes_context(request: ApprovalRequest) -> ChangeDecision:
    """What a person's editor hands back when they also touched a context line."""
    assert isinstance(request, ChangeReview)
    diff = request.files[0]
    edited = tuple(line.replace("line 2", "line TWO") for line in diff.hunks[0].lines)
    return ChangeDecision((FileVerdict(diff.path, (HunkVerdict(True, edited=edited),)),))


def approver_that_breaks(request: ApprovalRequest) -> ChangeDecision:
    raise RuntimeError("the review screen fell over")


def agent_for(protocol: str, fake: FakeProvider, tmp_path: Path, root: Path, approver: ScriptedApprover, events: list[Event]):  # type: ignore[no-untyped-def]
    model, env_for = PROTOCOLS[protocol]
    env = {"HOME": str(tmp_path / "home"), "XDG_CONFIG_HOME": str(tmp_path / "home" / ".config"), **env_for(fake.url)}
    config = load_config(root, env, {"model": model, "approval": "ask"})
    journal = SessionStore(tmp_path / "state", root).create()
    spec = RunSpec(root=root, config=config, mode="ask", env=env, journal=journal)
    return build_agent(spec, approver, events.append)


@pytest.mark.parametrize("protocol", sorted(PROTOCOLS))
async def test_every_tool_call_keeps_its_result_when_an_edit_or_the_approver_fails(
    protocol: str, fake: FakeProvider, tmp_path: Path
) -> None:
    root = make_repo(tmp_path / "repo", {"notes.txt": ORIGINAL, "b.txt": ORIGINAL})
    fake.script(
        Reply(
            tool_calls=[
                ToolCall("read_file", {"path": "notes.txt"}),
                ToolCall("read_file", {"path": "b.txt"}),
                ToolCall("write_file", {"path": "notes.txt", "content": CHANGED}),
                ToolCall("write_file", {"path": "b.txt", "content": CHANGED}),
            ]
        ),
        Reply(text="Done."),
        Reply(text="Still here."),
    )
    approver = ScriptedApprover([edit_that_changes_context, approver_that_breaks])
    events: list[Event] = []
    agent = agent_for(protocol, fake, tmp_path, root, approver, events)

    first = await agent.run_turn("rename line 4")
    second = await agent.run_turn("and now?")

    assert fake.rejected_histories == []  # no request a real API would refuse
    assert first.status == "done" and second.status == "done"
    finished = [e for e in events if isinstance(e, ToolCallFinished)]
    assert [e.is_error for e in finished] == [False, False, False, True], finished
    assert len([e for e in events if isinstance(e, TurnFinished)]) == 2
    said = json.dumps(fake.requests[1].body)
    assert "could not apply" in said and "line TWO" in said  # the model is told the edit was dropped
    assert "did not complete" in said  # and that the broken review ended the second call
    assert (root / "notes.txt").read_text() == ORIGINAL and (root / "b.txt").read_text() == ORIGINAL
    assert git(root, "status", "--porcelain") == ""


async def test_the_model_reads_the_hunk_the_person_edited(fake: FakeProvider, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"notes.txt": ORIGINAL})

    def edited(request: ApprovalRequest) -> ChangeDecision:
        assert isinstance(request, ChangeReview)
        diff = request.files[0]
        lines = tuple(line.replace("+line four", "+line FOUR (edited)") for line in diff.hunks[0].lines)
        return ChangeDecision((FileVerdict(diff.path, (HunkVerdict(True, edited=lines),)),))

    fake.script(
        Reply(tool_calls=[ToolCall("read_file", {"path": "notes.txt"})]),
        Reply(tool_calls=[ToolCall("write_file", {"path": "notes.txt", "content": CHANGED})]),
        Reply(text="Done."),
        Reply(text="Rename line 4"),
    )
    events: list[Event] = []
    agent = agent_for("anthropic", fake, tmp_path, root, ScriptedApprover([edited]), events)

    outcome = await agent.run_turn("rename line 4")

    assert outcome.commit is not None
    assert (root / "notes.txt").read_text() == ORIGINAL.replace("line 4\n", "line FOUR (edited)\n")
    result = json.dumps(fake.requests[2].body["messages"][-1])
    assert "edited hunk 1" in result and "+line FOUR (edited)" in result


@pytest.mark.parametrize("protocol", sorted(PROTOCOLS))
async def test_a_reply_cut_before_any_tool_call_is_asked_again_and_only_the_new_one_is_kept(
    protocol: str, fake: FakeProvider, tmp_path: Path
) -> None:
    from tests.fakeserver import Cut

    root = make_repo(tmp_path / "repo", {"notes.txt": ORIGINAL})
    fake.script(Cut(Reply(text="a first answer that is cut off", chunk_size=3), after_events=5), Reply(text="Whole answer."))
    events: list[Event] = []
    agent = agent_for(protocol, fake, tmp_path, root, ScriptedApprover(), events)

    outcome = await agent.run_turn("hi")

    assert outcome.status == "done" and len(fake.requests) == 2
    assert agent.history[-1].text == "Whole answer."
    assert [e.type for e in events if e.type == "provider.retrying"] == ["provider.retrying"]
