"""Retrying a request that failed before its first byte.

429, 5xx, Anthropic's 529 "overloaded" and connection errors are retried with exponential
backoff and jitter, honouring the server's retry-after, a bounded number of times. Once a
stream has yielded anything, nothing is retried: a cut stream is reported, not replayed.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from datetime import datetime, timezone
from typing import TypeVar

from hunk.providers.base import ErrorKind, RetryPolicy, StreamFailed

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


async def open_with_retries(
    open_once: Callable[[], Awaitable[T]],
    classify: Classifier,
    policy: RetryPolicy,
    on_retry: RetryHook | None = None,
) -> T:
    """Call `open_once` until it succeeds, retrying what `classify` calls retryable.

    An exception `classify` does not recognise (returns None) propagates unchanged, and so does
    cancellation. Raises `GaveUp` when a failure is final or the retries are spent.
    """
    sleep = policy.sleep or asyncio.sleep
    attempt = 0
    while True:
        try:
            return await open_once()
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
            if on_retry is not None:
                on_retry(failure, delay, attempt + 1)
            await sleep(delay)
            attempt += 1
