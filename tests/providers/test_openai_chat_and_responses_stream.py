"""Both OpenAI protocols, driven through the real SDK against the fake server: text, tool calls,
invalid arguments, usage and cost, stop reasons, slow chunks."""

from __future__ import annotations

import json

import pytest

from hunk.providers.base import (
    ReasoningChunk,
    ReasoningDone,
    Stopped,
    StreamFailed,
    TextChunk,
    ToolCallArgs,
    ToolCallBegun,
    UsageReport,
)
from hunk.providers.catalog import cost_usd
from hunk.values.usage import Usage
from tests.fakeserver import FakeProvider, Reply, ToolCall
from tests.fakeserver.script import Usage as ScriptUsage
from tests.providers.openai_helpers import TRICKY_ARGS, WIRES, Wire, ask, done_calls, of_type

pytestmark = pytest.mark.parametrize("wire", WIRES, ids=lambda w: w.path.strip("/"))


async def test_text_arrives_in_chunks_and_ends_the_turn(wire: Wire, fake: FakeProvider, collect) -> None:
    fake.script(Reply("Hello, wörld — “quoted” text.", chunk_size=4))
    events = await collect(wire.provider(fake.url).stream(ask()))
    chunks = of_type(events, TextChunk)
    assert len(chunks) > 3
    assert "".join(c.text for c in chunks) == "Hello, wörld — “quoted” text."
    assert events[-1] == Stopped("end_turn", events[-1].raw_reason)
    assert len(of_type(events, UsageReport)) == 1
    assert [r.path for r in fake.requests] == [wire.path]


async def test_several_tool_calls_round_trip_unicode_quotes_and_backslashes(
    wire: Wire, fake: FakeProvider, collect
) -> None:
    second = {"path": "C:\\Users\\x\\\"y\".txt", "emoji": "👩‍💻"}
    fake.script(
        Reply("Let me look.", tool_calls=[ToolCall("read_file", TRICKY_ARGS), ToolCall("read_file", second)], chunk_size=3)
    )
    events = await collect(wire.provider(fake.url).stream(ask()))
    begun = of_type(events, ToolCallBegun)
    assert [(b.id, b.name) for b in begun] == [("call_000", "read_file"), ("call_001", "read_file")]
    for call_id, expected in (("call_000", TRICKY_ARGS), ("call_001", second)):
        fragments = [a.fragment for a in of_type(events, ToolCallArgs) if a.id == call_id]
        assert len(fragments) > 2, "arguments should arrive split across chunks"
        assert json.loads("".join(fragments)) == expected
    calls = done_calls(events)
    assert [c.arguments for c in calls] == [TRICKY_ARGS, second]
    assert all(c.invalid_arguments is None for c in calls)
    assert events[-1].reason == "tool_use"


@pytest.mark.parametrize("raw", ['{"path": "a.py"', "[1, 2]", "not json at all"])
async def test_invalid_tool_json_becomes_invalid_arguments_not_an_error(
    wire: Wire, raw: str, fake: FakeProvider, collect
) -> None:
    fake.script(Reply(tool_calls=[ToolCall("read_file", raw)]))
    events = await collect(wire.provider(fake.url).stream(ask()))
    [call] = done_calls(events)
    assert call.arguments == {}
    assert call.invalid_arguments == raw
    assert not of_type(events, StreamFailed)
    assert events[-1].reason == "tool_use"


async def test_usage_splits_cached_tokens_out_and_prices_the_call(wire: Wire, fake: FakeProvider, collect) -> None:
    fake.script(Reply("ok", usage=ScriptUsage(input_tokens=1000, output_tokens=200, cache_read_tokens=3000)))
    events = await collect(wire.provider(fake.url).stream(ask()))
    [report] = of_type(events, UsageReport)
    assert report.usage == Usage(input_tokens=1000, output_tokens=200, cache_read_tokens=3000)
    # gpt-5: $1.25 in, $10 out, $0.125 cached, per million tokens
    assert cost_usd("openai", "gpt-5", report.usage) == pytest.approx((1000 * 1.25 + 200 * 10 + 3000 * 0.125) / 1e6)


async def test_hitting_the_token_limit_stops_with_max_tokens(wire: Wire, fake: FakeProvider, collect) -> None:
    fake.script(Reply("cut short", stop="max_tokens"))
    events = await collect(wire.provider(fake.url).stream(ask(max_tokens=5)))
    assert events[-1].reason == "max_tokens"
    assert of_type(events, UsageReport)


async def test_slow_chunks_still_all_arrive(wire: Wire, fake: FakeProvider, collect) -> None:
    fake.script(Reply("slow but sure", reasoning="pondering", chunk_size=2, delay_s=0.02))
    events = await collect(wire.provider(fake.url).stream(ask()))
    assert "".join(c.text for c in of_type(events, TextChunk)) == "slow but sure"
    assert "".join(c.text for c in of_type(events, ReasoningChunk)) == "pondering"
    [done] = of_type(events, ReasoningDone)
    assert done.part.text == "pondering"
    assert done.part.provider == wire.reasoning_provider
    assert events[-1].reason == "end_turn"


async def test_aclose_closes_the_client_and_its_connections(wire: Wire, fake: FakeProvider, collect) -> None:
    fake.script(Reply("bye"))
    provider = wire.provider(fake.url)
    await collect(provider.stream(ask()))
    await provider.aclose()
    assert provider._client.is_closed()
