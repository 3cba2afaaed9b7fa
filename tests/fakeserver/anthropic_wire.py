"""The Anthropic Messages wire protocol, as the fake server speaks it.

The SSE stream follows the real service: `message_start` (with input and cache usage), a
`ping`, then per content block `content_block_start` / `content_block_delta`… /
`content_block_stop` (thinking, redacted_thinking, text, tool_use with `input_json_delta`
fragments), then `message_delta` (stop reason, output tokens) and `message_stop`.

Usage, when the reply does not script it, is estimated from sizes, and prompt caching is
simulated from the request alone: the part of the prompt before the last `cache_control`
breakpoint of the *previous* turn counts as a cache read, the rest up to the newest breakpoint
as a cache write (see `cache_split`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from tests.fakeserver.script import Fault, Reply, ToolCall, Usage
from tests.fakeserver.server import sse

_ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    413: "request_too_large",
    429: "rate_limit_error",
    500: "api_error",
    529: "overloaded_error",
}
_STOP = {"max_tokens": "max_tokens", "refusal": "refusal", "end_turn": "end_turn", "tool_use": "tool_use"}


def tokens(value: Any) -> int:
    """A stand-in tokenizer: four characters of JSON per token."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return max(1, len(text) // 4) if text else 0


def _without_cache_marks(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_cache_marks(v) for k, v in value.items() if k != "cache_control"}
    if isinstance(value, list):
        return [_without_cache_marks(v) for v in value]
    return value


def prompt_blocks(body: dict[str, Any]) -> list[tuple[Any, bool]]:
    """The prompt in the order the cache sees it (tools, system, messages), block by block,
    each with whether it carries a cache_control breakpoint. Marks are stripped from the
    blocks, so two requests' prefixes compare equal when only their breakpoints moved."""
    blocks: list[tuple[Any, bool]] = []
    for tool in body.get("tools") or []:
        blocks.append((_without_cache_marks(tool), "cache_control" in tool))
    system = body.get("system")
    if isinstance(system, str):
        blocks.append((system, False))
    elif system:
        blocks.extend((_without_cache_marks(block), "cache_control" in block) for block in system)
    for message in body.get("messages") or []:
        content = message["content"]
        if isinstance(content, str):
            content = [{"type": "text", "text": content}]
        for block in content:
            blocks.append(((message["role"], _without_cache_marks(block)), "cache_control" in block))
    return blocks


def cache_split(body: dict[str, Any]) -> Usage:
    """Input usage as the cache would count it, assuming the previous request of this
    conversation put its last breakpoint on its newest message: the prompt up to the end of
    the previous user message is read from cache, the rest up to the last breakpoint is
    written, and what follows the last breakpoint is plain input."""
    blocks = prompt_blocks(body)
    sizes = [tokens(block) for block, _ in blocks]
    marks = [i for i, (_, marked) in enumerate(blocks) if marked]
    last = marks[-1] + 1 if marks else 0
    user_ends = [i + 1 for i, (block, _) in enumerate(blocks) if isinstance(block, tuple) and block[0] == "user"]
    previous_turn_end = 0
    for end in user_ends:
        # the end of a user message followed by an assistant message: the previous turn's end
        if end < len(blocks) and isinstance(blocks[end][0], tuple) and blocks[end][0][0] == "assistant":
            previous_turn_end = end
    read = min(previous_turn_end, last)
    return Usage(
        input_tokens=sum(sizes[last:]),
        output_tokens=0,
        cache_read_tokens=sum(sizes[:read]),
        cache_write_tokens=sum(sizes[read:last]),
    )


def _pieces(text: str, size: int) -> Iterator[str]:
    size = max(1, size)
    for start in range(0, len(text), size):
        yield text[start : start + size]


def _arguments(call: ToolCall) -> str:
    if isinstance(call.arguments, str):
        return call.arguments
    return json.dumps(call.arguments, ensure_ascii=False)


def _call_id(call: ToolCall, index: int) -> str:
    return call.id or f"toolu_fake_{index:04d}"


def _usage(reply: Reply, body: dict[str, Any]) -> Usage:
    if reply.usage is not None:
        return reply.usage
    split = cache_split(body)
    out = tokens(reply.text) + sum(tokens(_arguments(c)) for c in reply.tool_calls) + tokens(reply.reasoning or "")
    return Usage(split.input_tokens, max(1, out), split.cache_read_tokens, split.cache_write_tokens)


def _stop_reason(reply: Reply) -> str:
    if reply.stop:
        return _STOP.get(reply.stop, reply.stop)
    return "tool_use" if reply.tool_calls else "end_turn"


def _blocks(reply: Reply) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """Each content block as (its start shape, its deltas)."""
    if reply.reasoning is not None:
        deltas: list[dict[str, Any]] = [
            {"type": "thinking_delta", "thinking": piece} for piece in _pieces(reply.reasoning, reply.chunk_size)
        ]
        deltas.append({"type": "signature_delta", "signature": reply.reasoning_secret})
        yield {"type": "thinking", "thinking": "", "signature": ""}, deltas
    if reply.redacted_reasoning is not None:
        yield {"type": "redacted_thinking", "data": reply.redacted_reasoning}, []
    if reply.text:
        text_deltas = [{"type": "text_delta", "text": piece} for piece in _pieces(reply.text, reply.chunk_size)]
        yield {"type": "text", "text": ""}, text_deltas
    for index, call in enumerate(reply.tool_calls):
        start = {"type": "tool_use", "id": _call_id(call, index), "name": call.name, "input": {}}
        json_deltas = [
            {"type": "input_json_delta", "partial_json": piece} for piece in _pieces(_arguments(call), reply.chunk_size)
        ]
        yield start, json_deltas


def stream(reply: Reply, request_body: dict[str, Any]) -> Iterator[bytes]:
    usage = _usage(reply, request_body)
    yield sse(
        "message_start",
        {
            "type": "message_start",
            "message": {
                "id": "msg_fake_0001",
                "type": "message",
                "role": "assistant",
                "model": request_body.get("model", "claude-fake"),
                "content": [],
                "stop_reason": None,
                "stop_sequence": None,
                "usage": {
                    "input_tokens": usage.input_tokens,
                    "output_tokens": 1,
                    "cache_creation_input_tokens": usage.cache_write_tokens,
                    "cache_read_input_tokens": usage.cache_read_tokens,
                },
            },
        },
    )
    yield sse("ping", {"type": "ping"})
    for index, (start, deltas) in enumerate(_blocks(reply)):
        yield sse("content_block_start", {"type": "content_block_start", "index": index, "content_block": start})
        for delta in deltas:
            yield sse("content_block_delta", {"type": "content_block_delta", "index": index, "delta": delta})
        yield sse("content_block_stop", {"type": "content_block_stop", "index": index})
        if reply.stream_error:
            yield sse("error", {"type": "error", "error": {"type": reply.stream_error, "message": "Overloaded"}})
            return
    yield sse(
        "message_delta",
        {
            "type": "message_delta",
            "delta": {"stop_reason": _stop_reason(reply), "stop_sequence": None},
            "usage": {"output_tokens": usage.output_tokens},
        },
    )
    yield sse("message_stop", {"type": "message_stop"})


def body(reply: Reply, request_body: dict[str, Any]) -> dict[str, Any]:
    usage = _usage(reply, request_body)
    content: list[dict[str, Any]] = []
    for start, deltas in _blocks(reply):
        block = dict(start)
        if block["type"] == "thinking":
            block["thinking"] = reply.reasoning
            block["signature"] = reply.reasoning_secret
        elif block["type"] == "text":
            block["text"] = reply.text
        elif block["type"] == "tool_use":
            raw = "".join(d["partial_json"] for d in deltas)
            block["input"] = json.loads(raw) if raw else {}
        content.append(block)
    return {
        "id": "msg_fake_0001",
        "type": "message",
        "role": "assistant",
        "model": request_body.get("model", "claude-fake"),
        "content": content,
        "stop_reason": _stop_reason(reply),
        "stop_sequence": None,
        "usage": {
            "input_tokens": usage.input_tokens,
            "output_tokens": usage.output_tokens,
            "cache_creation_input_tokens": usage.cache_write_tokens,
            "cache_read_input_tokens": usage.cache_read_tokens,
        },
    }


def error(fault: Fault) -> dict[str, Any]:
    kind = _ERROR_TYPES.get(fault.status, "api_error")
    return {"type": "error", "error": {"type": kind, "message": fault.message}}
