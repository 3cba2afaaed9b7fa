"""Chat Completions as OpenAI (and the compatible servers) stream it.

One `data:` line per chunk, no `event:` lines: a role chunk, reasoning pieces
(`reasoning_content`, as DeepSeek and vLLM send it), content pieces, tool calls (first chunk
with index, id and name, then argument fragments by index), a finish chunk, a usage chunk with
`choices: []` when the request asked `stream_options.include_usage`, then `data: [DONE]`.

`Reply.stop` takes the neutral names (end_turn, tool_use, max_tokens, refusal) or a raw
finish_reason. `Reply.stream_error="<type>"` ends the stream after the content with an in-stream
`{"error": {...}}` chunk instead of a finish, as servers do when they fail mid-reply.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from tests.fakeserver.script import Fault, Reply, ToolCall, Usage
from tests.fakeserver.server import sse

_FINISH = {"end_turn": "stop", "tool_use": "tool_calls", "max_tokens": "length", "refusal": "content_filter"}
_ERROR_TYPES = {
    400: ("invalid_request_error", "invalid_value"),
    401: ("invalid_request_error", "invalid_api_key"),
    403: ("invalid_request_error", "unsupported_country_region_territory"),
    404: ("invalid_request_error", "model_not_found"),
    429: ("requests", "rate_limit_exceeded"),
    529: ("overloaded_error", "overloaded"),
}


def pieces(text: str, size: int) -> list[str]:
    size = max(1, size)
    return [text[i : i + size] for i in range(0, len(text), size)]


def call_id(call: ToolCall, index: int) -> str:
    return call.id or f"call_{index:03d}"


def arguments_text(call: ToolCall) -> str:
    return call.arguments if isinstance(call.arguments, str) else json.dumps(call.arguments, ensure_ascii=False)


def finish_reason(reply: Reply) -> str:
    if reply.stop:
        return _FINISH.get(reply.stop, reply.stop)
    return "tool_calls" if reply.tool_calls else "stop"


def usage_of(reply: Reply, request_body: dict[str, Any]) -> Usage:
    """The scripted usage, or an estimate (4 characters a token) from the sizes."""
    if reply.usage is not None:
        return reply.usage
    sent = json.dumps(request_body.get("messages") or request_body.get("input") or "")
    produced = reply.text + (reply.reasoning or "") + "".join(arguments_text(c) for c in reply.tool_calls)
    return Usage(input_tokens=max(1, len(sent) // 4), output_tokens=max(1, len(produced) // 4))


def _usage_json(usage: Usage) -> dict[str, Any]:
    # OpenAI counts cache reads and writes inside prompt_tokens
    prompt = usage.input_tokens + usage.cache_read_tokens + usage.cache_write_tokens
    return {
        "prompt_tokens": prompt,
        "completion_tokens": usage.output_tokens,
        "total_tokens": prompt + usage.output_tokens,
        "prompt_tokens_details": {
            "cached_tokens": usage.cache_read_tokens,
            "cache_write_tokens": usage.cache_write_tokens,
        },
        "completion_tokens_details": {"reasoning_tokens": 0},
    }


def stream(reply: Reply, request_body: dict[str, Any]) -> Iterator[bytes]:
    model = request_body.get("model", "fake-model")

    def chunk(delta: dict[str, Any], finish: str | None = None) -> bytes:
        choice = {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}
        return sse(None, {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 0,
                          "model": model, "choices": [choice]})

    yield chunk({"role": "assistant", "content": ""})
    for piece in pieces(reply.reasoning or "", reply.chunk_size):
        yield chunk({"reasoning_content": piece})
    for piece in pieces(reply.text, reply.chunk_size):
        yield chunk({"content": piece})
    for index, call in enumerate(reply.tool_calls):
        head = {"index": index, "id": call_id(call, index), "type": "function",
                "function": {"name": call.name, "arguments": ""}}
        yield chunk({"tool_calls": [head]})
        for piece in pieces(arguments_text(call), reply.chunk_size):
            yield chunk({"tool_calls": [{"index": index, "function": {"arguments": piece}}]})
    if reply.stream_error:
        kind = reply.stream_error
        yield sse(None, {"error": {"message": f"injected {kind} mid-stream", "type": kind, "code": None}})
        return
    yield chunk({}, finish_reason(reply))
    if (request_body.get("stream_options") or {}).get("include_usage"):
        yield sse(None, {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 0,
                         "model": model, "choices": [], "usage": _usage_json(usage_of(reply, request_body))})
    yield sse(None, "[DONE]")


def body(reply: Reply, request_body: dict[str, Any]) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": reply.text or None}
    if reply.tool_calls:
        message["tool_calls"] = [
            {"id": call_id(c, i), "type": "function", "function": {"name": c.name, "arguments": arguments_text(c)}}
            for i, c in enumerate(reply.tool_calls)
        ]
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 0,
        "model": request_body.get("model", "fake-model"),
        "choices": [{"index": 0, "message": message, "finish_reason": finish_reason(reply), "logprobs": None}],
        "usage": _usage_json(usage_of(reply, request_body)),
    }


def error(fault: Fault) -> dict[str, Any]:
    kind, code = _ERROR_TYPES.get(fault.status, ("server_error", None))
    return {"error": {"message": fault.message, "type": kind, "param": None, "code": code}}
