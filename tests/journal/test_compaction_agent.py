"""Compaction in a real agent loop: the real SDK provider against the fake server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hunk.values.events import Notice
from hunk.journal.journal import Journal, restore_history
from tests.fakeserver import FakeProvider, Reply, ToolCall
from tests.fakeserver.script import Usage
from tests.journal.conftest import build

PATHS = {"anthropic": "/v1/messages", "openai-responses": "/responses", "openai-chat": "/chat/completions"}
LONG_ANSWER = "The long explanation of the first task. " * 300
HUGE = Usage(input_tokens=1_000_000, output_tokens=10)  # past 80 % of every window we know


def conversation_text(body: dict) -> str:
    return json.dumps(body.get("messages") or body.get("input"), ensure_ascii=False)


async def three_turns(agent, fake: FakeProvider, third_usage: Usage | None) -> None:
    fake.script(Reply(LONG_ANSWER), Reply("Second done."))
    await agent.run_turn("first task: explain the code")
    await agent.run_turn("second task: say hi")
    fake.script(
        Reply(tool_calls=[ToolCall("read_file", {"path": "app.py"})], usage=third_usage),
        Reply("SUMMARY: the user asked for an explanation of app.py and a greeting."),
        Reply("Renamed nothing yet."),
    )
    await agent.run_turn("the open task: rename greet to welcome")


@pytest.mark.parametrize("protocol", sorted(PATHS))
async def test_compaction_at_the_threshold_shrinks_the_next_request_and_keeps_the_open_task(
    protocol: str, fake: FakeProvider, repo: Path, tmp_path: Path
) -> None:
    journal = Journal(tmp_path / "session.jsonl")
    built = build(repo, fake, protocol, journal=journal)
    await three_turns(built.agent, fake, HUGE)

    bodies = fake.bodies(PATHS[protocol])
    assert len(bodies) == 5 and fake.pending == 0
    before, summary_request, after = bodies[2], bodies[3], bodies[4]
    assert not summary_request.get("tools")
    assert "You are summarising the earlier part of a conversation" in json.dumps(summary_request)
    assert "first task: explain the code" in conversation_text(summary_request)
    assert len(conversation_text(after)) < len(conversation_text(before))
    text = conversation_text(after)
    assert "SUMMARY: the user asked" in text
    assert "the open task: rename greet to welcome" in text
    assert "second task: say hi" in text  # the last two prompts are kept verbatim
    assert "The long explanation" not in text
    assert after.get("tools") == before.get("tools")
    notices = [e.message for e in built.events if isinstance(e, Notice)]
    assert any(n.startswith("compacted the conversation") for n in notices)
    assert restore_history(journal.path) == built.agent.history


async def test_below_the_threshold_nothing_is_compacted(fake: FakeProvider, repo: Path) -> None:
    built = build(repo, fake, "anthropic")
    fake.script(Reply(LONG_ANSWER), Reply("Second done."), Reply(tool_calls=[ToolCall("read_file", {"path": "app.py"})]), Reply("done"))
    for prompt in ("one", "two", "three"):
        await built.agent.run_turn(prompt)
    bodies = fake.bodies("/v1/messages")
    assert len(bodies) == 4 and all(b.get("tools") for b in bodies)
    assert "The long explanation" in conversation_text(bodies[-1])


async def test_an_unknown_window_never_compacts_by_itself_but_compact_does(fake: FakeProvider, repo: Path) -> None:
    built = build(repo, fake, "anthropic", model="anthropic:claude-unlisted-model")
    assert built.agent.context_window is None
    fake.script(Reply(LONG_ANSWER), Reply("Second done."), Reply("Third.", usage=HUGE))
    for prompt in ("one", "two", "three"):
        await built.agent.run_turn(prompt)
    assert len(fake.bodies("/v1/messages")) == 3

    fake.script(Reply("SUMMARY of turn one."))
    assert await built.agent.compact()
    history = built.agent.history
    assert "SUMMARY of turn one." in history[0].text and history[0].text.endswith("two")
    assert [m.text for m in history[1:]] == ["Second done.", "three", "Third."]


async def test_a_failed_summary_leaves_the_history_alone_and_says_so(fake: FakeProvider, repo: Path) -> None:
    from tests.fakeserver import Fault

    built = build(repo, fake, "anthropic")
    fake.script(Reply("a"), Reply("b"), Reply("c"), Fault(400, message="bad request"))
    for prompt in ("one", "two", "three"):
        await built.agent.run_turn(prompt)
    history = list(built.agent.history)
    assert not await built.agent.compact()
    assert built.agent.history == history
    assert any(isinstance(e, Notice) and "could not compact" in e.message for e in built.events)


async def test_the_summary_names_the_commits_of_the_session(fake: FakeProvider, repo: Path, tmp_path: Path) -> None:
    journal = Journal(tmp_path / "session.jsonl")
    built = build(repo, fake, "anthropic", journal=journal)
    fake.script(
        Reply(tool_calls=[ToolCall("write_file", {"path": "notes.md", "content": "notes\n"})]),
        Reply("Wrote notes."),
        Reply("Add notes"),  # the commit subject
        Reply("two"),
        Reply("three"),
        Reply("SUMMARY."),
    )
    for prompt in ("write notes", "two", "three"):
        await built.agent.run_turn(prompt)
    assert await built.agent.compact()
    first = built.agent.history[0].text
    assert "Changes made in this session so far:" in first
    assert '"Add notes": notes.md' in first


async def test_old_large_results_are_trimmed_at_a_turn_boundary_and_stay_stable_within_a_turn(fake: FakeProvider, repo: Path) -> None:
    (repo / "big.txt").write_text("".join(f"row {i:04d} of a long data file to read\n" for i in range(600)))
    built = build(repo, fake, "anthropic")
    read_big = Reply(tool_calls=[ToolCall("read_file", {"path": "big.txt"})])
    fake.script(read_big, Reply("read it"), Reply("two"), read_big, Reply("read again"))
    for prompt in ("read big.txt", "two", "read it once more"):
        await built.agent.run_turn(prompt)

    def conv(body: dict) -> str:
        return json.dumps([[{k: v for k, v in b.items() if k != "cache_control"} for b in m["content"]] for m in body["messages"]])[:-1]

    bodies = fake.bodies("/v1/messages")
    assert len(bodies) == 5
    full, note = "row 0300 of a long data file", "characters of this old tool result were cut"
    assert all(full in conv(b) and note not in conv(b) for b in bodies[1:3])  # turns 1 and 2: all kept
    third_first, third_second = conv(bodies[3]), conv(bodies[4])
    assert note in third_first and third_first.count(full) == 0  # turn 1's result, now old, trimmed
    assert "row 0000 of a long" in third_first and "row 0599 of a long" in third_first  # head and tail kept
    assert third_second.startswith(third_first)  # within the turn the prefix holds
    assert full in third_second  # this turn's own read is whole
