"""Unit tests of providers/retry.py: which failures are retried, how long each wait is, when
it gives up, and how retry-after headers are read."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hunk.providers.base import RetryPolicy, StreamFailed
from hunk.providers.retry import Failure, GaveUp, backoff_delay, open_with_retries, retry_after_seconds


class Flaky(Exception):
    """What a fake API call raises; `failure` is how the classifier reads it."""

    def __init__(self, failure: Failure) -> None:
        super().__init__(failure.message)
        self.failure = failure


def classify(exc: BaseException) -> Failure | None:
    return exc.failure if isinstance(exc, Flaky) else None


SERVER = Failure("server", "server error (500)", 500, retryable=True)
AUTH = Failure("auth", "bad key", 401)


class Script:
    """An `open_once` that raises the scripted failures in turn, then returns "opened"."""

    def __init__(self, *failures: Failure | BaseException) -> None:
        self.failures = list(failures)
        self.calls = 0

    async def __call__(self) -> str:
        self.calls += 1
        if self.failures:
            item = self.failures.pop(0)
            raise item if isinstance(item, BaseException) else Flaky(item)
        return "opened"


def policy(sleeps, **overrides) -> RetryPolicy:
    values = {"max_retries": 4, "base_delay": 1.0, "max_delay": 5.0, "jitter": 0.0, "sleep": sleeps}
    return RetryPolicy(**{**values, **overrides})


async def test_success_at_first_try_waits_for_nothing(sleeps):
    opener = Script()
    assert await open_with_retries(opener, classify, policy(sleeps)) == "opened"
    assert (opener.calls, sleeps.delays) == (1, [])


async def test_retryable_failures_back_off_exponentially_up_to_the_cap(sleeps):
    opener = Script(SERVER, SERVER, SERVER, SERVER)
    assert await open_with_retries(opener, classify, policy(sleeps)) == "opened"
    assert opener.calls == 5
    assert sleeps.delays == [1.0, 2.0, 4.0, 5.0]  # 8 s capped at max_delay


async def test_retry_after_replaces_the_backoff(sleeps):
    limited = Failure("rate_limit", "429", 429, retryable=True, retry_after=12.5)
    opener = Script(limited, SERVER)
    await open_with_retries(opener, classify, policy(sleeps))
    assert sleeps.delays == [12.5, 2.0]


async def test_retry_after_beyond_the_limit_gives_up_without_waiting(sleeps):
    limited = Failure("rate_limit", "429", 429, retryable=True, retry_after=600)
    opener = Script(limited)
    with pytest.raises(GaveUp) as caught:
        await open_with_retries(opener, classify, policy(sleeps, max_retry_after=60))
    assert (caught.value.failure, caught.value.attempts, opener.calls, sleeps.delays) == (limited, 1, 1, [])


async def test_final_failure_gives_up_at_once_with_the_cause_attached(sleeps):
    opener = Script(AUTH, SERVER)
    with pytest.raises(GaveUp) as caught:
        await open_with_retries(opener, classify, policy(sleeps))
    assert caught.value.failure == AUTH and caught.value.attempts == 1
    assert isinstance(caught.value.__cause__, Flaky)
    assert sleeps.delays == []
    assert caught.value.failure.as_event() == StreamFailed("auth", "bad key", 401)


async def test_spent_retries_give_up_after_the_bounded_number_of_attempts(sleeps):
    opener = Script(*[SERVER] * 10)
    seen: list[tuple[str, float, int]] = []
    with pytest.raises(GaveUp) as caught:
        await open_with_retries(opener, classify, policy(sleeps, max_retries=2), lambda f, d, n: seen.append((f.kind, d, n)))
    assert caught.value.attempts == 3 and opener.calls == 3
    assert seen == [("server", 1.0, 1), ("server", 2.0, 2)]
    assert sleeps.delays == [1.0, 2.0]


async def test_unrecognised_errors_propagate_unchanged(sleeps):
    boom = RuntimeError("a bug, not an API failure")
    with pytest.raises(RuntimeError) as caught:
        await open_with_retries(Script(boom), classify, policy(sleeps))
    assert caught.value is boom and sleeps.delays == []


async def test_cancellation_while_waiting_to_retry_propagates():
    opener = Script(SERVER, SERVER)
    task = asyncio.create_task(open_with_retries(opener, classify, RetryPolicy(base_delay=3600, jitter=0.0)))
    while opener.calls == 0:
        await asyncio.sleep(0)
    await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert opener.calls == 1


async def test_default_sleep_is_asyncio_sleep():
    opener = Script(SERVER)
    assert await open_with_retries(opener, classify, RetryPolicy(base_delay=0.0, jitter=0.0)) == "opened"
    assert opener.calls == 2


@given(attempt=st.integers(0, 20), base=st.floats(0.01, 10), cap=st.floats(0.01, 60), jitter=st.floats(0, 1))
def test_backoff_with_jitter_stays_within_its_spread(attempt, base, cap, jitter):
    chosen = RetryPolicy(base_delay=base, max_delay=cap, jitter=jitter)
    expected = min(cap, base * 2**attempt)
    delay = backoff_delay(chosen, attempt, None)
    assert max(0.0, expected * (1 - jitter)) - 1e-9 <= delay <= expected * (1 + jitter) + 1e-9


@pytest.mark.parametrize(
    "headers, seconds",
    [
        ({"retry-after": "7"}, 7.0),
        ({"Retry-After": "1.5"}, 1.5),
        ({"retry-after-ms": "250", "retry-after": "9"}, 0.25),
        ({"retry-after-ms": "soon", "retry-after": "3"}, 3.0),
        ({"retry-after": "-4"}, 0.0),
        ({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}, 0.0),  # in the past: retry now
        ({"retry-after": "whenever"}, None),
        ({}, None),
        (None, None),
    ],
)
def test_retry_after_headers_are_read_as_seconds(headers, seconds):
    assert retry_after_seconds(headers) == seconds


def test_retry_after_http_date_counts_down_from_now():
    when = datetime.now(timezone.utc) + timedelta(seconds=120)
    seconds = retry_after_seconds({"retry-after": format_datetime(when, usegmt=True)})
    assert seconds is not None and 100 < seconds <= 120
