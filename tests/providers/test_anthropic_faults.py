"""Every fault the Anthropic provider meets: what is retried (and how long it waits), what is
reported at once, and that cancelling a stream hangs up on the server."""

from __future__ import annotations

import asyncio
from typing import Any

from hunk.providers import create_provider
from hunk.providers.base import Request, Retrying, RetryPolicy, Stopped, StreamFailed, TextChunk, UsageReport
from hunk.values.conversation import Message
from tests.fakeserver import Cut, FakeProvider, Fault, Reply
from tests.providers.conftest import TEST_KEY

MODEL = "claude-haiku-4-5"
REQUEST = Request(MODEL, "You are hunk.", (Message.user("hi"),), max_tokens=1024)


def provider(url: str, retry: RetryPolicy) -> Any:
    return create_provider(f"anthropic:{MODEL}", env={}, base_url=url, api_key=TEST_KEY, retry=retry)


async def test_429_is_retried_after_the_servers_retry_after(fake, retry, sleeps, collect):
    fake.script(Fault(429, retry_after="7"), Fault(429, retry_after="2"), Reply(text="finally"))
    events = await collect(provider(fake.url, retry).stream(REQUEST))
    assert sleeps.delays == [7.0, 2.0]
    assert len(fake.requests) == 3
    assert "".join(e.text for e in events if isinstance(e, TextChunk)) == "finally"
    assert events[-1] == Stopped("end_turn", "end_turn")


async def test_500_is_retried_with_exponential_backoff(fake, retry, sleeps, collect):
    fake.script(Fault(500), Fault(500), Reply(text="ok"))
    events = await collect(provider(fake.url, retry).stream(REQUEST))
    assert sleeps.delays == [1.0, 2.0]  # base 1 s, doubled, no jitter in the test policy
    assert len(fake.requests) == 3
    assert events[-1] == Stopped("end_turn", "end_turn")


async def test_529_overloaded_is_retried(fake, retry, sleeps, collect):
    fake.script(Fault(529, message="Overloaded"), Reply(text="ok"))
    events = await collect(provider(fake.url, retry).stream(REQUEST))
    assert sleeps.delays == [1.0]
    assert len(fake.requests) == 2
    assert events[-1] == Stopped("end_turn", "end_turn")


async def test_retries_exhausted_end_in_a_clear_stream_failed(fake, retry, sleeps, collect):
    fake.script(*[Fault(529, message="Overloaded")] * 4)
    events = await collect(provider(fake.url, retry).stream(REQUEST))
    assert len(fake.requests) == 4  # the first try and three retries
    assert sleeps.delays == [1.0, 2.0, 4.0]
    retries = [e for e in events if isinstance(e, Retrying)]
    assert [(r.kind, r.attempt, r.of) for r in retries] == [("overloaded", 1, 3), ("overloaded", 2, 3), ("overloaded", 3, 3)]
    failed = events[-1]
    assert isinstance(failed, StreamFailed)
    assert (failed.kind, failed.status) == ("overloaded", 529)
    assert "Overloaded" in failed.message and "gave up after 4 attempts" in failed.message


async def test_retry_after_beyond_the_limit_gives_up_at_once(fake, sleeps, collect):
    policy = RetryPolicy(max_retries=3, max_retry_after=60, jitter=0.0, sleep=sleeps)
    fake.script(Fault(429, retry_after="3600", message="Number of requests exceeded"), Reply(text="never"))
    events = await collect(provider(fake.url, policy).stream(REQUEST))
    assert sleeps.delays == []
    assert len(fake.requests) == 1
    assert events == [StreamFailed("rate_limit", "rate limited (429): Number of requests exceeded", 429)]


async def test_connection_refused_before_the_first_byte_is_retried_then_reported(closed_port_url, retry, sleeps, collect):
    events = await collect(provider(closed_port_url, retry).stream(REQUEST))
    assert sleeps.delays == [1.0, 2.0, 4.0]
    assert [e.delay_s for e in events if isinstance(e, Retrying)] == [1.0, 2.0, 4.0]
    failed = events[-1]
    assert isinstance(failed, StreamFailed) and failed.kind == "connection"
    assert "could not reach the API" in failed.message


async def test_bad_key_is_final_and_says_what_to_check(fake, retry, sleeps, collect):
    fake.script(Fault(401, message="invalid x-api-key"), Reply(text="never"))
    [failed] = await collect(provider(fake.url, retry).stream(REQUEST))
    assert isinstance(failed, StreamFailed)
    assert (failed.kind, failed.status) == ("auth", 401)
    assert "ANTHROPIC_API_KEY" in failed.message and TEST_KEY not in failed.message
    assert len(fake.requests) == 1 and sleeps.delays == []


async def test_bad_request_is_final_and_carries_the_apis_message(fake, retry, sleeps, collect):
    fake.script(Fault(400, message="messages: roles must alternate"), Reply(text="never"))
    [failed] = await collect(provider(fake.url, retry).stream(REQUEST))
    assert isinstance(failed, StreamFailed)
    assert (failed.kind, failed.status) == ("request", 400)
    assert "messages: roles must alternate" in failed.message
    assert len(fake.requests) == 1 and sleeps.delays == []


async def test_a_stream_cut_before_any_tool_call_is_asked_again_once(fake, retry, sleeps, collect):
    fake.script(Cut(Reply(text="this answer is cut", chunk_size=3), after_events=5), Reply(text="whole"))
    events = await collect(provider(fake.url, retry).stream(REQUEST))
    [restart] = [e for e in events if isinstance(e, Retrying)]
    assert restart.restart and restart.kind == "stream_cut"
    assert isinstance(events[events.index(restart) - 1], UsageReport)  # the cut attempt was billed
    after = events[events.index(restart) + 1 :]
    assert "".join(e.text for e in after if isinstance(e, TextChunk)) == "whole"
    assert events[-1] == Stopped("end_turn", "end_turn")
    assert len(fake.requests) == 2 and sleeps.delays == []


async def test_a_second_stream_cut_is_reported_and_not_retried(fake, retry, sleeps, collect):
    cut = Cut(Reply(text="this answer never finishes", chunk_size=3), after_events=5)
    fake.script(cut, cut, Reply(text="replayed"))
    events = await collect(provider(fake.url, retry).stream(REQUEST))
    assert len(fake.requests) == 2 and sleeps.delays == []
    assert any(isinstance(e, TextChunk) for e in events)
    assert isinstance(events[-2], UsageReport)  # the input was billed even though the stream broke
    assert isinstance(events[-1], StreamFailed) and events[-1].kind == "stream_cut"
    assert fake.pending == 1


async def test_overloaded_error_event_midstream_is_reported_not_retried(fake, retry, sleeps, collect):
    fake.script(Reply(text="partial answer", stream_error="overloaded_error"), Reply(text="replayed"))
    events = await collect(provider(fake.url, retry).stream(REQUEST))
    assert "".join(e.text for e in events if isinstance(e, TextChunk)) == "partial answer"
    failed = events[-1]
    assert isinstance(failed, StreamFailed) and failed.kind == "overloaded"
    assert "Overloaded" in failed.message
    assert len(fake.requests) == 1 and sleeps.delays == []


async def test_cancelling_midstream_hangs_up_on_the_server(fake: FakeProvider, retry):
    fake.script(Reply(text="x" * 400, chunk_size=1, delay_s=0.01))
    first_chunk = asyncio.Event()
    seen: list[Any] = []

    async def consume() -> None:
        async for event in provider(fake.url, retry).stream(REQUEST):
            seen.append(event)
            if isinstance(event, TextChunk):
                first_chunk.set()

    task = asyncio.create_task(consume())
    await first_chunk.wait()
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    assert task.cancelled()
    # the server notices the closed connection while it still had most of the reply to send
    assert await asyncio.to_thread(fake.hung_up.wait, 10)
    assert not any(isinstance(e, (Stopped, StreamFailed)) for e in seen)
    assert len(seen) < 400


async def test_closing_an_abandoned_stream_hangs_up_at_once(fake: FakeProvider, retry):
    fake.script(Reply(text="y" * 400, chunk_size=1, delay_s=0.01))
    events = provider(fake.url, retry).stream(REQUEST)
    async for event in events:
        if isinstance(event, TextChunk):
            break
    await events.aclose()  # type: ignore[attr-defined]
    assert await asyncio.to_thread(fake.hung_up.wait, 10)
