"""The Anthropic provider through the real SDK against the fake server: text, tool calls,
thinking round trips, usage, cost, prompt caching and the pinned request shapes."""

from __future__ import annotations

import json
from typing import Any

import pytest

from hunk.providers import create_provider
from hunk.providers.base import (
    ReasoningChunk,
    ReasoningDone,
    Request,
    RetryPolicy,
    Stopped,
    TextChunk,
    ToolCallArgs,
    ToolCallBegun,
    ToolCallDone,
    UsageReport,
)
from hunk.values.conversation import ToolSpec
from hunk.providers.catalog import cost_usd
from hunk.values.conversation import Message, ReasoningPart, TextPart, ToolResultPart
from hunk.values.usage import Usage
from tests.fakeserver import FakeProvider, Reply, ToolCall
from tests.fakeserver import anthropic_wire
from tests.fakeserver.script import Usage as ScriptUsage
from tests.providers.conftest import TEST_KEY, TRANSCRIPTS, check_transcript

MODEL = "claude-haiku-4-5"
TOOLS = (
    ToolSpec("read_file", "Read a file.", {"type": "object", "properties": {"path": {"type": "string"}}}),
    ToolSpec("write_file", "Write a file.", {"type": "object", "properties": {"path": {"type": "string"}}}),
)
TRICKY = 'naïve "quoted" \\backslash\\ ünïcödé → 🦀 \n tab\t and {braces}'


def provider(fake: FakeProvider, retry: RetryPolicy) -> Any:
    return create_provider(f"anthropic:{MODEL}", env={}, base_url=fake.url, api_key=TEST_KEY, retry=retry)


def request(*messages: Message, effort: str | None = None) -> Request:
    return Request(MODEL, "You are hunk.", messages, tools=TOOLS, max_tokens=4096, reasoning_effort=effort)


def of(kind: type, events: list[Any]) -> list[Any]:
    return [e for e in events if isinstance(e, kind)]


async def test_text_arrives_in_chunks_and_ends_with_end_turn(fake, retry, collect):
    fake.script(Reply(text="Hello from the fake Claude.", chunk_size=4))
    events = await collect(provider(fake, retry).stream(request(Message.user("hi"))))
    chunks = of(TextChunk, events)
    assert len(chunks) > 1
    assert "".join(c.text for c in chunks) == "Hello from the fake Claude."
    assert events[-1] == Stopped("end_turn", "end_turn")
    assert fake.requests[0].path == "/v1/messages"
    assert fake.requests[0].headers["authorization"] == f"Bearer {TEST_KEY}"
    assert fake.requests[0].body["stream"] is True


async def test_several_tool_calls_round_trip_unicode_quotes_and_backslashes(fake, retry, collect):
    first = {"path": "src/ünï côdé.py", "note": TRICKY}
    second = {"path": 'a\\b"c.txt', "nested": {"list": [1, "two", None]}}
    fake.script(Reply(text="Let me look.", tool_calls=[ToolCall("read_file", first), ToolCall("write_file", second)], chunk_size=5))
    events = await collect(provider(fake, retry).stream(request(Message.user("look"))))
    begun = of(ToolCallBegun, events)
    done = [e.call for e in of(ToolCallDone, events)]
    assert [b.name for b in begun] == ["read_file", "write_file"]
    assert [c.arguments for c in done] == [first, second]
    assert [c.id for c in done] == [b.id for b in begun]
    assert all(c.invalid_arguments is None for c in done)
    for call in done:  # the fragments, joined, are exactly the JSON the server sent
        fragments = [e.fragment for e in of(ToolCallArgs, events) if e.id == call.id]
        assert len(fragments) > 1
        assert json.loads("".join(fragments)) == call.arguments
    assert events[-1] == Stopped("tool_use", "tool_use")


async def test_invalid_tool_json_becomes_a_call_with_the_raw_arguments(fake, retry, collect):
    fake.script(
        Reply(tool_calls=[ToolCall("read_file", '{"path": "a.py", '), ToolCall("read_file", '["not", "an object"]')])
    )
    events = await collect(provider(fake, retry).stream(request(Message.user("go"))))
    calls = [e.call for e in of(ToolCallDone, events)]
    assert [(c.arguments, c.invalid_arguments) for c in calls] == [
        ({}, '{"path": "a.py", '),
        ({}, '["not", "an object"]'),
    ]
    assert events[-1] == Stopped("tool_use", "tool_use")


async def test_thinking_is_streamed_and_sent_back_unmodified_in_order(fake, retry, collect):
    fake.script(
        Reply(
            text="I will read it.",
            reasoning="First, consider the \"file\" — carefully.",
            reasoning_secret="sig-Ω-0042",
            redacted_reasoning="REDACTED-BLOB==",
            tool_calls=[ToolCall("read_file", {"path": "a.py"}, id="toolu_01")],
        ),
        Reply(text="Done."),
    )
    hunk = provider(fake, retry)
    events = await collect(hunk.stream(request(Message.user("read a.py"), effort="medium")))
    reasoning = [e.part for e in of(ReasoningDone, events)]
    assert reasoning == [
        ReasoningPart('First, consider the "file" — carefully.', "anthropic", {"signature": "sig-Ω-0042"}),
        ReasoningPart("", "anthropic", {"redacted": "REDACTED-BLOB=="}),
    ]
    assert "".join(e.text for e in of(ReasoningChunk, events)) == reasoning[0].text

    call = of(ToolCallDone, events)[0].call
    assistant = Message("assistant", (*reasoning, TextPart("I will read it."), call))
    foreign = ReasoningPart("openai thoughts", "openai", {"encrypted_content": "xyz"})
    history = (
        Message.user("read a.py"),
        Message("assistant", (foreign, *assistant.parts)),
        Message("user", (ToolResultPart("toolu_01", "print('hi')\n"),)),
    )
    await collect(hunk.stream(request(*history, effort="medium")))
    sent = fake.bodies()[1]["messages"][1]["content"]
    assert sent == [
        {"type": "thinking", "thinking": 'First, consider the "file" — carefully.', "signature": "sig-Ω-0042"},
        {"type": "redacted_thinking", "data": "REDACTED-BLOB=="},
        {"type": "text", "text": "I will read it."},
        {"type": "tool_use", "id": "toolu_01", "name": "read_file", "input": {"path": "a.py"}},
    ]
    body = fake.bodies()[1]
    assert body["thinking"] == {"type": "enabled", "budget_tokens": 8192}
    assert body["max_tokens"] > body["thinking"]["budget_tokens"]
    check_transcript("anthropic_reasoning_round_trip", fake.requests[1])


async def test_usage_splits_cache_tokens_and_prices_them(fake, retry, collect):
    fake.script(Reply(text="ok", usage=ScriptUsage(1200, 300, cache_read_tokens=50_000, cache_write_tokens=2_000)))
    events = await collect(provider(fake, retry).stream(request(Message.user("hi"))))
    usage = sum((e.usage for e in of(UsageReport, events)), Usage())
    assert usage == Usage(input_tokens=1200, output_tokens=300, cache_read_tokens=50_000, cache_write_tokens=2_000)
    # haiku 4.5: $1 in, $5 out, $0.10 cache read, $1.25 cache write per million tokens
    expected = (1200 * 1 + 300 * 5 + 50_000 * 0.1 + 2_000 * 1.25) / 1_000_000
    assert cost_usd("anthropic", MODEL, usage) == pytest.approx(expected)


async def test_cache_breakpoints_sit_on_tools_system_and_newest_message(fake, retry, collect):
    fake.script(Reply(tool_calls=[ToolCall("read_file", {"path": "a.py"}, id="toolu_01")]), Reply(text="done"))
    hunk = provider(fake, retry)
    first_turn = (Message.user("read a.py"),)
    events = await collect(hunk.stream(request(*first_turn)))
    call = of(ToolCallDone, events)[0].call
    second_turn = (
        *first_turn,
        Message("assistant", (call,)),
        Message("user", (ToolResultPart("toolu_01", "x = 1\n", is_error=False), TextPart("now explain"))),
    )
    events = await collect(hunk.stream(request(*second_turn)))
    first, second = fake.bodies()
    for body in (first, second):
        marked = [marked for _, marked in anthropic_wire.prompt_blocks(body)]
        assert sum(marked) == 3  # last tool, system, last block of the newest message
        assert body["tools"][-1]["cache_control"] == {"type": "ephemeral"}
        assert body["system"][-1]["cache_control"] == {"type": "ephemeral"}
        assert body["messages"][-1]["content"][-1]["cache_control"] == {"type": "ephemeral"}
    # the second request starts with the first one's whole cached prefix, so it reads it back
    first_blocks = [block for block, _ in anthropic_wire.prompt_blocks(first)]
    second_blocks = [block for block, _ in anthropic_wire.prompt_blocks(second)]
    assert second_blocks[: len(first_blocks)] == first_blocks
    usage = sum((e.usage for e in of(UsageReport, events)), Usage())
    assert usage.cache_read_tokens == sum(anthropic_wire.tokens(b) for b in first_blocks)
    assert usage.cache_write_tokens > 0
    # tool results come first in their user message, with is_error carried
    assert second["messages"][-1]["content"][0] == {
        "type": "tool_result",
        "tool_use_id": "toolu_01",
        "content": "x = 1\n",
        "is_error": False,
    }
    check_transcript("anthropic_tool_result_turn", fake.requests[1])


async def test_first_turn_with_tools_and_an_image_matches_its_transcript(fake, retry, collect):
    from hunk.values.conversation import ImagePart

    fake.script(Reply(text="A red pixel."))
    user = Message("user", (TextPart("What is in this image?"), ImagePart("image/png", "iVBORw0KGgo=")))
    await collect(provider(fake, retry).stream(request(user)))
    content = fake.bodies()[0]["messages"][0]["content"]
    assert content[1]["source"] == {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="}
    check_transcript("anthropic_first_turn", fake.requests[0])


def test_recorded_transcripts_hold_no_key():
    files = sorted(TRANSCRIPTS.glob("anthropic_*.json"))
    assert len(files) >= 3
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert TEST_KEY not in text
        assert json.loads(text)["headers"]["authorization"] == "<redacted>"


async def test_slow_chunks_still_arrive_in_order(fake, retry, collect):
    fake.script(Reply(text="slow but steady", chunk_size=3, delay_s=0.02))
    events = await collect(provider(fake, retry).stream(request(Message.user("hi"))))
    assert "".join(e.text for e in of(TextChunk, events)) == "slow but steady"
    assert isinstance(events[-1], Stopped)


@pytest.mark.parametrize(
    ("stop", "reason"),
    [("max_tokens", "max_tokens"), ("refusal", "refusal"), ("stop_sequence", "end_turn"), ("pause_turn", "other")],
)
async def test_stop_reasons_are_normalised(fake, retry, collect, stop, reason):
    fake.script(Reply(text="…", stop=stop))
    events = await collect(provider(fake, retry).stream(request(Message.user("hi"))))
    assert events[-1] == Stopped(reason, stop)
