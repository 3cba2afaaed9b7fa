"""Faults on both OpenAI protocols: what is retried (and how long we wait), what is final, what
a cut or an in-stream error becomes, and that cancelling closes the connection at once.

Each test counts the requests the server saw and the sleeps the retry policy recorded, so it
fails if the retry or the error handling under it is taken away."""

from __future__ import annotations

import asyncio

import pytest

from hunk.providers.base import Retrying, RetryPolicy, StreamFailed, TextChunk, ToolCallBegun
from tests.fakeserver import Cut, FakeProvider, Fault, Reply, ToolCall
from tests.providers.conftest import SleepRecorder
from tests.providers.openai_helpers import WIRES, Wire, ask, of_type

pytestmark = pytest.mark.parametrize("wire", WIRES, ids=lambda w: w.path.strip("/"))


async def test_429_waits_as_long_as_retry_after_says_then_succeeds(
    wire: Wire, fake: FakeProvider, retry: RetryPolicy, sleeps: SleepRecorder, collect
) -> None:
    fake.script(Fault(429, retry_after="7"), Reply("after the wait"))
    events = await collect(wire.provider(fake.url, retry).stream(ask()))
    assert "".join(c.text for c in of_type(events, TextChunk)) == "after the wait"
    assert sleeps.delays == [7.0]
    assert len(fake.requests) == 2


@pytest.mark.parametrize("status", [500, 502, 503])
async def test_server_errors_are_retried_with_backoff(
    wire: Wire, status: int, fake: FakeProvider, retry: RetryPolicy, sleeps: SleepRecorder, collect
) -> None:
    fake.script(Fault(status), Fault(status), Reply("third time lucky"))
    events = await collect(wire.provider(fake.url, retry).stream(ask()))
    assert events[-1].reason == "end_turn"
    assert sleeps.delays == [1.0, 2.0]
    assert len(fake.requests) == 3


async def test_529_overloaded_is_retried(
    wire: Wire, fake: FakeProvider, retry: RetryPolicy, sleeps: SleepRecorder, collect
) -> None:
    fake.script(Fault(529, message="Overloaded"), Reply("better now"))
    events = await collect(wire.provider(fake.url, retry).stream(ask()))
    assert events[-1].reason == "end_turn"
    assert sleeps.delays == [1.0]
    assert len(fake.requests) == 2


async def test_retries_exhausted_end_in_a_clear_stream_failure(
    wire: Wire, fake: FakeProvider, retry: RetryPolicy, sleeps: SleepRecorder, collect
) -> None:
    fake.script(*[Fault(503, message="upstream down")] * 4)
    events = await collect(wire.provider(fake.url, retry).stream(ask()))
    retries = of_type(events, Retrying)
    assert [(r.kind, r.delay_s, r.attempt, r.of) for r in retries] == [("server", 1.0, 1, 3), ("server", 2.0, 2, 3), ("server", 4.0, 3, 3)]
    [failed] = events[len(retries):]
    assert isinstance(failed, StreamFailed)
    assert (failed.kind, failed.status) == ("server", 503)
    assert "upstream down" in failed.message and "after 4 attempts" in failed.message
    assert sleeps.delays == [1.0, 2.0, 4.0]
    assert len(fake.requests) == 4


async def test_connection_refused_before_the_first_byte_is_retried_then_reported(
    wire: Wire, closed_port_url: str, retry: RetryPolicy, sleeps: SleepRecorder, collect
) -> None:
    events = await collect(wire.provider(closed_port_url, retry).stream(ask()))
    assert [r.attempt for r in of_type(events, Retrying)] == [1, 2, 3]
    failed = events[-1]
    assert isinstance(failed, StreamFailed) and failed.kind == "connection"
    assert sleeps.delays == [1.0, 2.0, 4.0]


async def test_a_stream_cut_before_any_tool_call_is_asked_again_once(
    wire: Wire, fake: FakeProvider, retry: RetryPolicy, sleeps: SleepRecorder, collect
) -> None:
    fake.script(Cut(Reply("this reply is cut", chunk_size=3), after_events=5), Reply("the whole reply"))
    events = await collect(wire.provider(fake.url, retry).stream(ask()))
    [restart] = of_type(events, Retrying)
    assert restart.restart and restart.kind == "stream_cut"
    after = events[events.index(restart) + 1 :]
    assert "".join(c.text for c in of_type(after, TextChunk)) == "the whole reply"
    assert events[-1].reason == "end_turn"
    assert len(fake.requests) == 2 and sleeps.delays == []


async def test_a_second_cut_is_reported_and_not_retried_again(
    wire: Wire, fake: FakeProvider, retry: RetryPolicy, sleeps: SleepRecorder, collect
) -> None:
    cut = Cut(Reply("this reply will never finish, it is cut", chunk_size=3), after_events=5)
    fake.script(cut, cut, Reply("unused"))
    events = await collect(wire.provider(fake.url, retry).stream(ask()))
    assert of_type(events, TextChunk), "the part before the cut still arrives"
    failed = events[-1]
    assert isinstance(failed, StreamFailed) and failed.kind == "stream_cut"
    assert len(fake.requests) == 2 and fake.pending == 1
    assert sleeps.delays == []


async def test_a_cut_after_a_tool_call_began_is_reported_not_replayed(
    wire: Wire, fake: FakeProvider, retry: RetryPolicy, sleeps: SleepRecorder, collect
) -> None:
    call = Reply(tool_calls=[ToolCall("read_file", {"path": "a_rather_long_file_name.txt"})], chunk_size=2)
    fake.script(Cut(call, after_events=6), Reply("unused"))
    events = await collect(wire.provider(fake.url, retry).stream(ask()))
    assert of_type(events, ToolCallBegun) and not of_type(events, Retrying)
    assert isinstance(events[-1], StreamFailed) and events[-1].kind == "stream_cut"
    assert len(fake.requests) == 1


async def test_an_error_event_inside_the_stream_ends_it_with_that_kind(
    wire: Wire, fake: FakeProvider, retry: RetryPolicy, sleeps: SleepRecorder, collect
) -> None:
    fake.script(Reply("partial", stream_error="server_error"), Reply("unused"))
    events = await collect(wire.provider(fake.url, retry).stream(ask()))
    failed = events[-1]
    assert isinstance(failed, StreamFailed) and failed.kind == "server"
    assert "server_error" in failed.message
    assert len(fake.requests) == 1 and sleeps.delays == []


async def test_a_rejected_key_is_final_names_the_variable_and_never_shows_the_key(
    wire: Wire, fake: FakeProvider, retry: RetryPolicy, sleeps: SleepRecorder, collect
) -> None:
    secret = "sk-very-secret-0123456789"
    fake.script(Fault(401, message="Incorrect API key provided"), Reply("unused"))
    events = await collect(wire.provider(fake.url, retry, api_key=secret).stream(ask()))
    [failed] = events
    assert failed.kind == "auth" and failed.status == 401
    assert "OPENAI_API_KEY" in failed.message and "Incorrect API key provided" in failed.message
    assert secret not in failed.message
    assert len(fake.requests) == 1 and sleeps.delays == []


@pytest.mark.parametrize("status", [400, 404, 422])
async def test_a_bad_request_is_final_and_carries_the_apis_message(
    wire: Wire, status: int, fake: FakeProvider, retry: RetryPolicy, sleeps: SleepRecorder, collect
) -> None:
    fake.script(Fault(status, message="Invalid value for 'model'."), Reply("unused"))
    [failed] = await collect(wire.provider(fake.url, retry).stream(ask()))
    assert (failed.kind, failed.status) == ("request", status)
    assert "Invalid value for 'model'." in failed.message
    assert len(fake.requests) == 1 and sleeps.delays == []


async def test_a_retry_after_beyond_the_limit_gives_up_at_once(
    wire: Wire, fake: FakeProvider, sleeps: SleepRecorder, collect
) -> None:
    policy = RetryPolicy(max_retries=3, jitter=0.0, max_retry_after=60.0, sleep=sleeps)
    fake.script(Fault(429, retry_after="3600"), Reply("unused"))
    [failed] = await collect(wire.provider(fake.url, policy).stream(ask()))
    assert failed.kind == "rate_limit"
    assert sleeps.delays == [] and len(fake.requests) == 1


async def test_cancelling_mid_stream_closes_the_connection_at_once(wire: Wire, fake: FakeProvider) -> None:
    fake.script(Reply("x" * 400, chunk_size=1, delay_s=0.02))
    first = asyncio.Event()

    async def consume() -> None:
        async for event in wire.provider(fake.url).stream(ask()):
            if isinstance(event, TextChunk):
                first.set()

    task = asyncio.create_task(consume())
    await asyncio.wait_for(first.wait(), timeout=10)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(task, timeout=5)
    # the server notices the hang-up long before its 400 slow chunks would have run out
    assert await asyncio.to_thread(fake.hung_up.wait, 5)
