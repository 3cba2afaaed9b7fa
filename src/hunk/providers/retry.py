"""Retrying a request that failed.

429, 5xx, Anthropic's 529 "overloaded" and connection errors before the first byte are retried
with exponential backoff and jitter, honouring the server's retry-after, a bounded number of
times; each retry is announced as a `Retrying` stream event, so people see why nothing arrives.
A stream cut before any tool call began is asked again once (`retry_cut_once`); a cut after a
tool call began, or a second cut, is reported, not replayed.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import aclosing
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from datetime import datetime, timezone
from typing import Generic, TypeVar

from hunk.providers.base import ErrorKind, Retrying, RetryPolicy, StreamEvent, StreamFailed, ToolCallBegun, ToolCallDone

T = TypeVar("T")


@dataclass(frozen=True)
class Failure:
    """A provider error, classified. `message` is one line, safe to show (no keys)."""

    kind: ErrorKind
    message: str
    status: int | None = None
    retryable: bool = False
    retry_after: float | None = None

    def as_event(self) -> StreamFailed:
        return StreamFailed(kind=self.kind, message=self.message, status=self.status)


class GaveUp(Exception):
    """Raised by `open_with_retries` with the last failure once retries are spent."""

    def __init__(self, failure: Failure, attempts: int) -> None:
        super().__init__(failure.message)
        self.failure = failure
        self.attempts = attempts

    def as_event(self) -> StreamFailed:
        """The stream's last event: the failure, and how many attempts were made."""
        failure = self.failure
        tried = f" (gave up after {self.attempts} attempts)" if self.attempts > 1 else ""
        return StreamFailed(kind=failure.kind, message=failure.message + tried, status=failure.status)


Classifier = Callable[[BaseException], Failure | None]
RetryHook = Callable[[Failure, float, int], None]


def retry_after_seconds(headers: Mapping[str, str] | None) -> float | None:
    """Seconds to wait from `retry-after-ms` or `retry-after` (seconds or an HTTP date)."""
    if not headers:
        return None
    lowered = {k.lower(): v for k, v in headers.items()}
    raw_ms = lowered.get("retry-after-ms")
    if raw_ms:
        try:
            return max(0.0, float(raw_ms) / 1000)
        except ValueError:
            pass
    raw = lowered.get("retry-after")
    if not raw:
        return None
    try:
        return max(0.0, float(raw))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def backoff_delay(policy: RetryPolicy, attempt: int, retry_after: float | None) -> float:
    """The wait before retry number `attempt` (0-based)."""
    if retry_after is not None:
        return retry_after
    delay = min(policy.max_delay, policy.base_delay * (2**attempt))
    spread = delay * policy.jitter
    return max(0.0, delay + random.uniform(-spread, spread))


@dataclass(frozen=True)
class Opened(Generic[T]):
    """The last step of `open_retrying`: what `open_once` returned."""

    value: T


async def open_retrying(
    open_once: Callable[[], Awaitable[T]],
    classify: Classifier,
    policy: RetryPolicy,
) -> AsyncIterator[Retrying | Opened[T]]:
    """Call `open_once` until it succeeds, retrying what `classify` calls retryable: yields a
    `Retrying` before each wait, then `Opened` with the result.

    An exception `classify` does not recognise (returns None) propagates unchanged, and so does
    cancellation. Raises `GaveUp` when a failure is final or the retries are spent.
    """
    sleep = policy.sleep or asyncio.sleep
    attempt = 0
    while True:
        try:
            value = await open_once()
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - classified below, unknown ones re-raised
            failure = classify(exc)
            if failure is None:
                raise
            too_long = failure.retry_after is not None and failure.retry_after > policy.max_retry_after
            if not failure.retryable or attempt >= policy.max_retries or too_long:
                raise GaveUp(failure, attempt + 1) from exc
            delay = backoff_delay(policy, attempt, failure.retry_after)
            yield Retrying(failure.kind, failure.message, delay, attempt + 1, policy.max_retries)
            await sleep(delay)
            attempt += 1
        else:
            yield Opened(value)
            return


async def open_with_retries(
    open_once: Callable[[], Awaitable[T]],
    classify: Classifier,
    policy: RetryPolicy,
    on_retry: RetryHook | None = None,
) -> T:
    """`open_retrying` for a caller that wants the result alone (`on_retry` hears each retry)."""
    async with aclosing(open_retrying(open_once, classify, policy)) as steps:
        async for step in steps:
            if isinstance(step, Opened):
                return step.value
            if on_retry is not None:
                on_retry(Failure(step.kind, step.message, None, True), step.delay_s, step.attempt)
    raise AssertionError("open_retrying ends with Opened or raises")  # pragma: no cover


async def retry_cut_once(attempt: Callable[[], AsyncIterator[StreamEvent]]) -> AsyncIterator[StreamEvent]:
    """The events of `attempt()`; when that stream is cut before any tool call began, a
    `Retrying(restart=True)` and the events of one more `attempt()`."""
    for round_ in (1, 2):
        calls_began = False
        async with aclosing(attempt()) as events:
            async for event in events:
                if isinstance(event, ToolCallBegun | ToolCallDone):
                    calls_began = True
                if isinstance(event, StreamFailed) and event.kind == "stream_cut" and not calls_began and round_ == 1:
                    yield Retrying(event.kind, event.message, 0.0, 1, 1, restart=True)
                    break
                yield event
            else:
                return
