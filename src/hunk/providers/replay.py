"""A provider that plays a scripted session: the demo, and tests that need no server.

A script is JSON: `{"replies": [...], "commit_messages": [...], "chunk_delay_s": 0.01}`. Each
reply is `{"text": str, "reasoning": str, "tool_calls": [{"name": str, "arguments": {...}}],
"stop": str}`; every request with tools takes the next reply, every request without tools (the
commit subject) takes the next commit message. Text streams in small chunks so front ends see a
real stream. `replay:demo` plays the demo shipped with hunk; `replay:PATH` plays a file.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from typing import Any

from hunk.providers.base import (
    ProviderConfigError,
    ReasoningChunk,
    ReasoningDone,
    Request,
    RetryPolicy,
    StreamEvent,
    StreamFailed,
    Stopped,
    TextChunk,
    ToolCallArgs,
    ToolCallBegun,
    ToolCallDone,
    UsageReport,
)
from hunk.providers.catalog import ProviderInfo
from hunk.settings.resources import data_dir
from hunk.values.conversation import ReasoningPart, ToolCallPart
from hunk.values.usage import Usage

CHUNK = 12  # characters per streamed text chunk


def _load(model: str) -> dict[str, Any]:
    path = data_dir("demo") / "session.json" if model == "demo" else Path(model)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ProviderConfigError(f"cannot read replay script {path}: {exc}") from None


class ReplayProvider:
    provider_name = "replay"

    def __init__(self, model: str, script: dict[str, Any]) -> None:
        self.model = model
        self._replies: list[dict[str, Any]] = list(script.get("replies", []))
        self._subjects: list[str] = list(script.get("commit_messages", []))
        self._delay = float(script.get("chunk_delay_s", 0.0))
        self._calls = 0
        self.requests: list[Request] = []

    async def stream(self, request: Request) -> AsyncIterator[StreamEvent]:
        self.requests.append(request)
        if not request.tools:
            subject = self._subjects.pop(0) if self._subjects else ""
            async for event in self._text(subject):
                yield event
            yield UsageReport(_estimate(request, subject))
            yield Stopped("end_turn", "end_turn")
            return
        if not self._replies:
            yield StreamFailed("other", "the replay script has no more replies")
            return
        reply = self._replies.pop(0)
        reasoning = reply.get("reasoning")
        if reasoning:
            for start in range(0, len(reasoning), CHUNK):
                await self._pause()
                yield ReasoningChunk(reasoning[start : start + CHUNK])
            yield ReasoningDone(ReasoningPart(reasoning, "replay"))
        text = reply.get("text", "")
        async for event in self._text(text):
            yield event
        calls = reply.get("tool_calls", [])
        for call in calls:
            self._calls += 1
            call_id = call.get("id") or f"replay_{self._calls}"
            raw = json.dumps(call.get("arguments", {}), ensure_ascii=False)
            yield ToolCallBegun(call_id, call["name"])
            yield ToolCallArgs(call_id, raw)
            yield ToolCallDone(ToolCallPart(call_id, call["name"], dict(call.get("arguments", {}))))
        yield UsageReport(_estimate(request, text + json.dumps(calls)))
        yield Stopped(reply.get("stop", "tool_use" if calls else "end_turn"))

    async def _text(self, text: str) -> AsyncIterator[StreamEvent]:
        for start in range(0, len(text), CHUNK):
            await self._pause()
            yield TextChunk(text[start : start + CHUNK])

    async def _pause(self) -> None:
        if self._delay:
            await asyncio.sleep(self._delay)


def _estimate(request: Request, output: str) -> Usage:
    """About four characters a token, as a stand-in for a real tokenizer."""
    size = len(request.system) + sum(len(repr(m.parts)) for m in request.messages)
    return Usage(input_tokens=size // 4, output_tokens=max(1, len(output) // 4))


def create(
    info: ProviderInfo,
    model: str,
    *,
    api_key: str | None,
    base_url: str | None,
    retry: RetryPolicy,
    env: Mapping[str, str],
) -> ReplayProvider:
    return ReplayProvider(model, _load(model))
