"""Fixtures shared by the provider tests: the fake server, a sleep recorder, a hermetic
environment and the recorded request transcripts in `fixtures/transcripts/`."""

from __future__ import annotations

import json
import os
import socket
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from hunk.providers.base import RetryPolicy
from tests.fakeserver import RecordedRequest

TRANSCRIPTS = Path(__file__).resolve().parents[2] / "fixtures" / "transcripts"
SECRET_HEADERS = {"authorization", "x-api-key", "api-key"}
# headers worth pinning; the rest (SDK version, platform, retry count) change with the SDK
PINNED_HEADERS = {"content-type", "anthropic-version", "anthropic-beta"} | SECRET_HEADERS
TEST_KEY = "test-key"


class SleepRecorder:
    """Stands in for asyncio.sleep in a RetryPolicy: records the delays, waits for nothing."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


@pytest.fixture
def sleeps() -> SleepRecorder:
    return SleepRecorder()


@pytest.fixture
def retry(sleeps: SleepRecorder) -> RetryPolicy:
    """Three retries, 1 s base delay, no jitter: the recorded delays are exact."""
    return RetryPolicy(max_retries=3, base_delay=1.0, max_delay=8.0, jitter=0.0, sleep=sleeps)


@pytest.fixture
def closed_port_url() -> str:
    """A loopback URL nobody listens on: connecting is refused before the first byte."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def redacted_headers(headers: Mapping[str, str]) -> dict[str, str]:
    kept = {k.lower(): v for k, v in headers.items() if k.lower() in PINNED_HEADERS}
    return {k: ("<redacted>" if k in SECRET_HEADERS else v) for k, v in sorted(kept.items())}


def transcript_of(request: RecordedRequest) -> dict[str, Any]:
    return {"path": request.path, "headers": redacted_headers(request.headers), "body": request.body}


def check_transcript(name: str, request: RecordedRequest) -> dict[str, Any]:
    """Compare a live request with `fixtures/transcripts/<name>.json`.

    With HUNK_RECORD=1 in the environment the file is (re)written instead. Returns the pinned
    transcript. Path and body must match exactly; headers are pinned only for the stable ones.
    """
    path = TRANSCRIPTS / f"{name}.json"
    live = transcript_of(request)
    if os.environ.get("HUNK_RECORD") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(live, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    elif not path.exists():
        pytest.fail(f"no transcript {path.name}; run once with HUNK_RECORD=1 to record it")
    pinned = json.loads(path.read_text(encoding="utf-8"))
    assert live["path"] == pinned["path"]
    assert live["body"] == pinned["body"]
    assert live["headers"] == pinned["headers"]
    return pinned


async def _collect(events: AsyncIterator[Any]) -> list[Any]:
    return [event async for event in events]


@pytest.fixture
def collect() -> Callable[[AsyncIterator[Any]], Awaitable[list[Any]]]:
    """`await collect(provider.stream(request))`: every event of one stream, in order."""
    return _collect
