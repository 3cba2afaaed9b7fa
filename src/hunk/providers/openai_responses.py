"""The OpenAI Responses API (`/responses`), the `openai` provider.

Requests are stateless (`store=False`): the whole conversation goes up each time. Reasoning
comes back as encrypted reasoning items (`include=["reasoning.encrypted_content"]`); each
becomes a ReasoningPart (provider "openai") whose metadata holds the item's `id`,
`encrypted_content` and `summary`, and is sent back on the next request as a `reasoning` input
item in its place before the function calls it led to — without it the model loses its chain of
thought between tool calls.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hunk.providers.base import (
    ReasoningChunk,
    ReasoningDone,
    Request,
    StopReason,
    Stopped,
    StreamEvent,
    StreamFailed,
    TextChunk,
    ToolCallArgs,
    ToolCallBegun,
    ToolCallDone,
    UsageReport,
)
from hunk.providers.openai_common import (
    arguments_json,
    data_url,
    error_event,
    OpenAIProvider,
    factory,
    parse_arguments,
    tool_result_text,
    usage_from_details,
)
from hunk.values.conversation import ImagePart, Message, ReasoningPart, TextPart, ToolCallPart, ToolResultPart

REASONING_PROVIDER = "openai"
_INCOMPLETE: dict[str, StopReason] = {"max_output_tokens": "max_tokens", "content_filter": "refusal"}


# --- request ----------------------------------------------------------------------------------


def build_input(messages: tuple[Message, ...]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for msg in messages:
        items.extend(_assistant(msg) if msg.role == "assistant" else _user(msg))
    return items


def _user(msg: Message) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = [
        {"type": "function_call_output", "call_id": p.call_id, "output": tool_result_text(p)}
        for p in msg.parts
        if isinstance(p, ToolResultPart)
    ]
    content: list[dict[str, Any]] = []
    for part in msg.parts:
        if isinstance(part, TextPart):
            content.append({"type": "input_text", "text": part.text})
        elif isinstance(part, ImagePart):
            content.append({"type": "input_image", "image_url": data_url(part), "detail": "auto"})
    if content:
        items.append({"role": "user", "content": content})
    return items


def _assistant(msg: Message) -> list[dict[str, Any]]:
    """Parts in their order: reasoning items, then text as an assistant message, then calls."""
    items: list[dict[str, Any]] = []
    text: list[str] = []

    def flush_text() -> None:
        if text:
            items.append({"role": "assistant", "content": "".join(text)})
            text.clear()

    for part in msg.parts:
        if isinstance(part, TextPart):
            text.append(part.text)
            continue
        flush_text()
        if isinstance(part, ReasoningPart) and _echoable(part):
            items.append(_reasoning_item(part))
        elif isinstance(part, ToolCallPart):
            items.append(
                {
                    "type": "function_call",
                    "call_id": part.id,
                    "name": part.name,
                    "arguments": arguments_json(part.arguments, part.invalid_arguments),
                }
            )
    flush_text()
    return items


def _echoable(part: ReasoningPart) -> bool:
    # with store=False the server keeps nothing: an item without its encrypted content would be
    # looked up by id and fail, so such an item (from a model that refused it) is left out
    return part.provider == REASONING_PROVIDER and bool(part.metadata.get("id") and part.metadata.get("encrypted_content"))


def _reasoning_item(part: ReasoningPart) -> dict[str, Any]:
    meta = part.metadata
    return {
        "type": "reasoning",
        "id": meta["id"],
        "encrypted_content": meta["encrypted_content"],
        "summary": [{"type": "summary_text", "text": s} for s in meta.get("summary") or []],
    }


def build_params(request: Request) -> dict[str, Any]:
    params: dict[str, Any] = {
        "model": request.model,
        "input": build_input(request.messages),
        "stream": True,
        "store": False,
        "include": ["reasoning.encrypted_content"],
        "max_output_tokens": request.max_tokens,
    }
    if request.system:
        params["instructions"] = request.system
    if request.tools:
        params["tools"] = [
            {"type": "function", "name": t.name, "description": t.description, "parameters": t.parameters,
             "strict": False}
            for t in request.tools
        ]
    if request.temperature is not None:
        params["temperature"] = request.temperature
    if request.reasoning_effort:
        params["reasoning"] = {"effort": request.reasoning_effort, "summary": "auto"}
    return params


# --- response ---------------------------------------------------------------------------------


@dataclass
class ResponsesDecoder:
    """Responses stream events → stream events. Function calls are known by their item id in
    the argument deltas and by `call_id` everywhere else."""

    call_ids: dict[str, str] = field(default_factory=dict)  # item id → call_id
    summary_index: dict[str, int] = field(default_factory=dict)  # reasoning item id → last part
    had_calls: bool = False
    refused: bool = False
    ended: bool = False

    def feed(self, event: Any) -> list[StreamEvent]:
        kind = getattr(event, "type", "")
        handler = _HANDLERS.get(kind)
        return handler(self, event) if handler else []

    def finish(self) -> list[StreamEvent]:
        if self.ended:
            return []
        return [StreamFailed("stream_cut", "the stream ended before the response completed")]

    def _item_added(self, event: Any) -> list[StreamEvent]:
        item = event.item
        if item.type == "function_call":
            self.call_ids[item.id or item.call_id] = item.call_id
            return [ToolCallBegun(item.call_id, item.name)]
        return []

    def _arguments_delta(self, event: Any) -> list[StreamEvent]:
        call_id = self.call_ids.get(event.item_id, event.item_id)
        return [ToolCallArgs(call_id, event.delta)] if event.delta else []

    def _summary_delta(self, event: Any) -> list[StreamEvent]:
        previous = self.summary_index.get(event.item_id)
        self.summary_index[event.item_id] = event.summary_index
        gap = [ReasoningChunk("\n\n")] if previous is not None and previous != event.summary_index else []
        return gap + [ReasoningChunk(event.delta)] if event.delta else gap

    def _text_delta(self, event: Any) -> list[StreamEvent]:
        return [TextChunk(event.delta)] if event.delta else []

    def _refusal_delta(self, event: Any) -> list[StreamEvent]:
        self.refused = True
        return [TextChunk(event.delta)] if event.delta else []

    def _item_done(self, event: Any) -> list[StreamEvent]:
        item = event.item
        if item.type == "function_call":
            self.had_calls = True
            arguments, invalid = parse_arguments(item.arguments or "")
            return [ToolCallDone(ToolCallPart(item.call_id, item.name, arguments, invalid))]
        if item.type == "reasoning":
            summary = [s.text for s in item.summary or []]
            metadata = {"id": item.id, "encrypted_content": item.encrypted_content, "summary": summary}
            part = ReasoningPart(text="\n\n".join(summary), provider=REASONING_PROVIDER, metadata=metadata)
            return [ReasoningDone(part)]
        return []

    def _completed(self, event: Any) -> list[StreamEvent]:
        self.ended = True
        response = event.response
        out = _usage_events(response)
        if self.refused:
            reason: StopReason = "refusal"
        else:
            reason = "tool_use" if self.had_calls else "end_turn"
        return out + [Stopped(reason, response.status or "completed")]

    def _incomplete(self, event: Any) -> list[StreamEvent]:
        self.ended = True
        response = event.response
        details = response.incomplete_details
        raw = (details.reason if details is not None else None) or "incomplete"
        return _usage_events(response) + [Stopped(_INCOMPLETE.get(raw, "other"), raw)]

    def _failed(self, event: Any) -> list[StreamEvent]:
        self.ended = True
        err = event.response.error
        code, message = (err.code or "", err.message or "") if err is not None else ("", "")
        return _usage_events(event.response) + [error_event(str(code), message or "the response failed")]

    def _error(self, event: Any) -> list[StreamEvent]:
        self.ended = True
        return [error_event(str(event.code or ""), event.message or "")]


_HANDLERS = {
    "response.output_item.added": ResponsesDecoder._item_added,
    "response.function_call_arguments.delta": ResponsesDecoder._arguments_delta,
    "response.reasoning_summary_text.delta": ResponsesDecoder._summary_delta,
    "response.output_text.delta": ResponsesDecoder._text_delta,
    "response.refusal.delta": ResponsesDecoder._refusal_delta,
    "response.output_item.done": ResponsesDecoder._item_done,
    "response.completed": ResponsesDecoder._completed,
    "response.incomplete": ResponsesDecoder._incomplete,
    "response.failed": ResponsesDecoder._failed,
    "error": ResponsesDecoder._error,
}


def _usage_events(response: Any) -> list[StreamEvent]:
    raw = getattr(response, "usage", None)
    if raw is None:
        return []
    usage = usage_from_details(raw.input_tokens, raw.output_tokens, raw.input_tokens_details)
    return [UsageReport(usage)]


# --- the provider -----------------------------------------------------------------------------


class OpenAIResponsesProvider(OpenAIProvider):
    # models that do not reason (gpt-4.1, gpt-4o, gpt-5-chat) refuse encrypted reasoning
    OPTIONAL = {"include": ("encrypted content", "reasoning.encrypted_content")}

    def params(self, request: Request) -> dict[str, Any]:
        return build_params(request)

    async def send(self, params: dict[str, Any]) -> Any:
        return await self._client.responses.create(**params)

    def decoder(self) -> ResponsesDecoder:
        return ResponsesDecoder()


create = factory(OpenAIResponsesProvider)
