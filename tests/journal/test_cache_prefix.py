"""Cache discipline: every request's prefix (tools, system, earlier messages) is byte-identical to
the request before it, apart from the newest messages; within a turn, across turns with a commit
in between, and across a session continued by a freshly built agent (`-c`)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from hunk.journal.journal import Journal, restore_history
from tests.fakeserver import FakeProvider, Reply, ToolCall
from tests.fakeserver.anthropic_wire import _without_cache_marks as without_cache_marks
from tests.journal.conftest import build

PATHS = {"anthropic": "/v1/messages", "openai-responses": "/responses", "openai-chat": "/chat/completions"}


def split(body: dict[str, Any]) -> tuple[str, str]:
    """(the fixed head: tools + system, the conversation) as the bytes sent, marks stripped."""
    body = without_cache_marks(body)
    head = json.dumps([body.get("tools"), body.get("system"), body.get("instructions")], ensure_ascii=False)
    items = body.get("messages") or body.get("input") or []
    conversation = "".join(json.dumps(item, ensure_ascii=False) for item in items)
    return head, conversation


def agent_requests(fake: FakeProvider, protocol: str) -> list[dict[str, Any]]:
    return [b for b in fake.bodies(PATHS[protocol]) if b.get("tools")]  # not the commit subjects


def first_turn() -> list[Reply]:
    return [
        Reply("Looking.", tool_calls=[ToolCall("read_file", {"path": "app.py"}), ToolCall("list_files", {})]),
        Reply(tool_calls=[ToolCall("edit_file", {"path": "app.py", "old_string": "Hello", "new_string": "Hi"})]),
        Reply("Changed the greeting."),
        Reply("Say hi instead of hello"),  # commit subject
    ]


def second_turn() -> list[Reply]:
    return [
        Reply(tool_calls=[ToolCall("run_command", {"command": "python3 -c 'print(42)'"})]),
        Reply("It prints 42."),
    ]


def assert_each_request_extends_the_last(bodies: list[dict[str, Any]]) -> None:
    assert len(bodies) >= 2
    for earlier, later in zip(bodies, bodies[1:]):
        head_a, conv_a = split(earlier)
        head_b, conv_b = split(later)
        assert head_a == head_b
        assert len(conv_b) > len(conv_a) and conv_b.startswith(conv_a)


@pytest.mark.parametrize("protocol", sorted(PATHS))
async def test_consecutive_requests_share_a_byte_identical_prefix(protocol: str, fake: FakeProvider, repo: Path, tmp_path: Path) -> None:
    journal = Journal(tmp_path / "session.jsonl")
    first = build(repo, fake, protocol, journal=journal)
    fake.script(*first_turn(), *second_turn())
    assert (await first.agent.run_turn("greet with hi")).commit
    await first.agent.run_turn("what does 6*7 print?")

    continued = build(repo, fake, protocol, journal=journal, history=restore_history(journal.path))
    fake.script(Reply("Nothing else to do."))
    await continued.agent.run_turn("anything else?")

    bodies = agent_requests(fake, protocol)
    assert len(bodies) == 6
    assert_each_request_extends_the_last(bodies)


async def test_anthropic_marks_the_newest_message_and_keeps_three_breakpoints(fake: FakeProvider, repo: Path) -> None:
    built = build(repo, fake, "anthropic")
    fake.script(*first_turn())
    await built.agent.run_turn("greet with hi")
    for body in agent_requests(fake, "anthropic"):
        marks = json.dumps(body).count('"cache_control"')
        assert marks == 3
        assert "cache_control" in body["tools"][-1] and "cache_control" in body["system"][-1]
        assert "cache_control" in body["messages"][-1]["content"][-1]


def test_the_system_prompt_holds_no_clock_and_tools_come_in_a_fixed_order(repo: Path) -> None:
    from hunk.agent.assemble import system_prompt
    from hunk.tools import all_tools

    prompt = system_prompt(repo)
    assert prompt == system_prompt(repo)
    assert not re.search(r"\b20\d\d-\d\d-\d\d\b|\d\d:\d\d", prompt)
    assert list(all_tools()) == list(all_tools()) == ["read_file", "list_files", "search_files", "write_file", "edit_file", "run_command", "todo_write"]
