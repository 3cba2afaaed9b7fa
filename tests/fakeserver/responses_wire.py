"""The OpenAI Responses API as it streams: named SSE events with a `sequence_number`.

response.created, response.in_progress, then per output item `response.output_item.added` …
deltas … `response.output_item.done`: a reasoning item (summary deltas; the done item carries
`encrypted_content` = `Reply.reasoning_secret`), a message item (output_text deltas), function
call items (argument deltas keyed by item id), and finally response.completed with usage.

`Reply.stop="max_tokens"` ends with response.incomplete (max_output_tokens);
`Reply.stream_error="<code>"` with an `error` event after the first output item;
`stop="failed:<code>"` with response.failed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tests.fakeserver.chat_wire import arguments_text, call_id, pieces, usage_of
from tests.fakeserver.chat_wire import error as chat_error
from tests.fakeserver.script import Reply, Usage
from tests.fakeserver.server import sse


def _usage_json(usage: Usage) -> dict[str, Any]:
    prompt = usage.input_tokens + usage.cache_read_tokens + usage.cache_write_tokens
    return {
        "input_tokens": prompt,
        "input_tokens_details": {"cached_tokens": usage.cache_read_tokens, "cache_write_tokens": usage.cache_write_tokens},
        "output_tokens": usage.output_tokens,
        "output_tokens_details": {"reasoning_tokens": 0},
        "total_tokens": prompt + usage.output_tokens,
    }


def _items(reply: Reply) -> list[dict[str, Any]]:
    """The finished output items of the reply."""
    items: list[dict[str, Any]] = []
    if reply.reasoning is not None:
        items.append({"id": "rs_fake_0", "type": "reasoning", "encrypted_content": reply.reasoning_secret,
                      "summary": [{"type": "summary_text", "text": s} for s in reply.reasoning.split("\n\n")]})
    if reply.text:
        items.append({"id": "msg_fake_0", "type": "message", "role": "assistant", "status": "completed",
                      "content": [{"type": "output_text", "text": reply.text, "annotations": []}]})
    for index, call in enumerate(reply.tool_calls):
        items.append({"id": f"fc_fake_{index}", "type": "function_call", "status": "completed",
                      "call_id": call_id(call, index), "name": call.name, "arguments": arguments_text(call)})
    return items


def _response(reply: Reply, request_body: dict[str, Any], status: str, output: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": "resp_fake",
        "object": "response",
        "created_at": 0,
        "model": request_body.get("model", "fake-model"),
        "status": status,
        "output": output,
        "parallel_tool_calls": True,
        "tool_choice": "auto",
        "tools": [],
        "usage": _usage_json(usage_of(reply, request_body)) if status != "in_progress" else None,
    }


def stream(reply: Reply, request_body: dict[str, Any]) -> Iterator[bytes]:
    seq = iter(range(1_000_000))

    def event(name: str, **data: Any) -> bytes:
        return sse(name, {"type": name, "sequence_number": next(seq), **data})

    yield event("response.created", response=_response(reply, request_body, "in_progress", []))
    yield event("response.in_progress", response=_response(reply, request_body, "in_progress", []))
    items = _items(reply)
    for index, item in enumerate(items):
        yield from _item_events(event, reply, index, item)
        if reply.stream_error:
            code = reply.stream_error
            yield event("error", code=code, message=f"injected {code} mid-stream", param=None)
            return
    end, _, code = (reply.stop or "").partition(":")
    if end == "failed":
        failed = _response(reply, request_body, "failed", items)
        failed["error"] = {"code": code, "message": f"injected {code}"}
        yield event("response.failed", response=failed)
        return
    if reply.stop == "max_tokens":
        incomplete = _response(reply, request_body, "incomplete", items)
        incomplete["incomplete_details"] = {"reason": "max_output_tokens"}
        yield event("response.incomplete", response=incomplete)
        return
    yield event("response.completed", response=_response(reply, request_body, "completed", items))


def _item_events(event: Any, reply: Reply, index: int, item: dict[str, Any]) -> Iterator[bytes]:
    kind, item_id = item["type"], item["id"]
    if kind == "reasoning":
        yield event("response.output_item.added", output_index=index,
                    item={"id": item_id, "type": "reasoning", "summary": []})
        for s_index, summary in enumerate(item["summary"]):
            part = {"type": "summary_text", "text": ""}
            yield event("response.reasoning_summary_part.added", item_id=item_id, output_index=index,
                        summary_index=s_index, part=part)
            for piece in pieces(summary["text"], reply.chunk_size):
                yield event("response.reasoning_summary_text.delta", item_id=item_id, output_index=index,
                            summary_index=s_index, delta=piece)
            yield event("response.reasoning_summary_text.done", item_id=item_id, output_index=index,
                        summary_index=s_index, text=summary["text"])
    elif kind == "message":
        yield event("response.output_item.added", output_index=index,
                    item={**item, "status": "in_progress", "content": []})
        yield event("response.content_part.added", item_id=item_id, output_index=index, content_index=0,
                    part={"type": "output_text", "text": "", "annotations": []})
        for piece in pieces(reply.text, reply.chunk_size):
            yield event("response.output_text.delta", item_id=item_id, output_index=index, content_index=0,
                        delta=piece, logprobs=[])
        yield event("response.output_text.done", item_id=item_id, output_index=index, content_index=0,
                    text=reply.text, logprobs=[])
    else:
        yield event("response.output_item.added", output_index=index,
                    item={**item, "status": "in_progress", "arguments": ""})
        for piece in pieces(item["arguments"], reply.chunk_size):
            yield event("response.function_call_arguments.delta", item_id=item_id, output_index=index, delta=piece)
        yield event("response.function_call_arguments.done", item_id=item_id, output_index=index,
                    arguments=item["arguments"])
    yield event("response.output_item.done", output_index=index, item=item)


def body(reply: Reply, request_body: dict[str, Any]) -> dict[str, Any]:
    return _response(reply, request_body, "completed", _items(reply))


# OpenAI reports errors the same way on both endpoints
error = chat_error
