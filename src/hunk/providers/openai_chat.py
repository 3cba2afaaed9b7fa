"""Chat Completions: OpenAI's `/chat/completions`, every compatible server (the catalog presets
ollama, vllm, llamacpp, lmstudio, openrouter, together, groq, deepseek, mistral, gemini) and
Azure OpenAI through the SDK's Azure client.

Reasoning: compatible servers stream it as `reasoning_content` (DeepSeek, vLLM) or `reasoning`
(OpenRouter, Ollama) beside the content. It is shown (ReasoningChunk / ReasoningDone with
provider "openai-chat") but never sent back: those APIs reject it (DeepSeek answers 400 when
`reasoning_content` comes back) or ignore it, and Chat Completions has no field to carry it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace
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
    OpenAIProvider,
    factory,
    parse_arguments,
    tool_result_text,
    usage_from_details,
)
from hunk.values.conversation import ImagePart, Message, ReasoningPart, TextPart, ToolCallPart, ToolResultPart
from hunk.values.usage import Usage

REASONING_PROVIDER = "openai-chat"
_STOP_REASONS: dict[str, StopReason] = {
    "stop": "end_turn",
    "tool_calls": "tool_use",
    "function_call": "tool_use",
    "length": "max_tokens",
    "content_filter": "refusal",
}
# OpenAI itself wants max_completion_tokens (reasoning models reject max_tokens); compatible
# servers mostly know only max_tokens.
_MAX_COMPLETION_TOKENS = {"openai-chat", "azure"}


# --- request ----------------------------------------------------------------------------------


def build_messages(request: Request) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    if request.system:
        out.append({"role": "system", "content": request.system})
    for msg in request.messages:
        out.extend(_assistant(msg) if msg.role == "assistant" else _user(msg))
    return out


def _user(msg: Message) -> list[dict[str, Any]]:
    # tool results first: they must follow the assistant message that made the calls
    out: list[dict[str, Any]] = [
        {"role": "tool", "tool_call_id": p.call_id, "content": tool_result_text(p)}
        for p in msg.parts
        if isinstance(p, ToolResultPart)
    ]
    content: list[dict[str, Any]] = []
    for part in msg.parts:
        if isinstance(part, TextPart):
            content.append({"type": "text", "text": part.text})
        elif isinstance(part, ImagePart):
            content.append({"type": "image_url", "image_url": {"url": data_url(part)}})
    if content and all(c["type"] == "text" for c in content):
        out.append({"role": "user", "content": "".join(c["text"] for c in content)})
    elif content:
        out.append({"role": "user", "content": content})
    return out


def _assistant(msg: Message) -> list[dict[str, Any]]:
    text = "".join(p.text for p in msg.parts if isinstance(p, TextPart))
    calls = [
        {
            "id": p.id,
            "type": "function",
            "function": {"name": p.name, "arguments": arguments_json(p.arguments, p.invalid_arguments)},
        }
        for p in msg.parts
        if isinstance(p, ToolCallPart)
    ]
    if not text and not calls:
        return []  # e.g. a turn that held only reasoning, which Chat Completions cannot carry
    entry: dict[str, Any] = {"role": "assistant", "content": text or None}
    if calls:
        entry["tool_calls"] = calls
    return [entry]


def build_params(request: Request, provider_name: str) -> dict[str, Any]:
    params: dict[str, Any] = {
        "model": request.model,
        "messages": build_messages(request),
        "stream": True,
        "stream_options": {"include_usage": True},
    }
    if provider_name in _MAX_COMPLETION_TOKENS:
        params["max_completion_tokens"] = request.max_tokens
    else:
        params["max_tokens"] = request.max_tokens
    if request.tools:
        params["tools"] = [
            {"type": "function", "function": {"name": t.name, "description": t.description, "parameters": t.parameters}}
            for t in request.tools
        ]
    if request.temperature is not None:
        params["temperature"] = request.temperature
    if request.reasoning_effort:
        params["reasoning_effort"] = request.reasoning_effort
    return params


# --- response ---------------------------------------------------------------------------------


@dataclass
class _Call:
    id: str
    name: str = ""
    arguments: list[str] = field(default_factory=list)
    begun: bool = False


@dataclass
class ChatDecoder:
    """Chat completion chunks → stream events. Tool calls are keyed by `index`; a new `id` at a
    known index (some servers put every call at index 0) starts a new call."""

    calls: list[_Call] = field(default_factory=list)
    by_index: dict[int, _Call] = field(default_factory=dict)
    reasoning: list[str] = field(default_factory=list)
    finish_reason: str | None = None
    usage: Usage | None = None
    had_calls: bool = False

    def feed(self, chunk: Any) -> list[StreamEvent]:
        out: list[StreamEvent] = []
        if getattr(chunk, "usage", None) is not None:
            self.usage = usage_from(chunk.usage)  # some servers repeat it: keep the last
        for choice in getattr(chunk, "choices", None) or []:
            if choice.index not in (0, None):
                continue
            out.extend(self._delta(choice.delta))
            if choice.finish_reason:
                self.finish_reason = choice.finish_reason
                out.extend(self._close_reasoning())
                out.extend(self._close_calls())
        return out

    def finish(self) -> list[StreamEvent]:
        if self.finish_reason is None:
            return [StreamFailed("stream_cut", "the stream ended before the model finished its reply")]
        out: list[StreamEvent] = [UsageReport(self.usage)] if self.usage is not None else []
        reason = _STOP_REASONS.get(self.finish_reason, "other")
        if reason == "end_turn" and self.had_calls:
            reason = "tool_use"  # some servers (ollama) say "stop" after tool calls
        out.append(Stopped(reason, self.finish_reason))
        return out

    def _delta(self, delta: Any) -> list[StreamEvent]:
        out: list[StreamEvent] = []
        if delta is None:
            return out
        extra = delta.model_extra or {}
        thought = extra.get("reasoning_content") or extra.get("reasoning")
        if isinstance(thought, str) and thought:
            self.reasoning.append(thought)
            out.append(ReasoningChunk(thought))
        for text in (delta.content, delta.refusal):
            if text:
                out.extend(self._close_reasoning())
                out.append(TextChunk(text))
        for tool_call in delta.tool_calls or []:
            out.extend(self._close_reasoning())
            out.extend(self._tool_delta(tool_call))
        return out

    def _tool_delta(self, delta: Any) -> list[StreamEvent]:
        index = delta.index
        if index is None:  # Gemini leaves the index out: an id starts a call, else it continues one
            index = max(self.by_index, default=-1) + (1 if delta.id or not self.by_index else 0)
        call = self.by_index.get(index)
        if call is None or (delta.id and delta.id != call.id):
            call = _Call(id=delta.id or f"call_{len(self.calls)}")
            self.calls.append(call)
            self.by_index[index] = call
        function = delta.function
        if function is not None and function.name and not call.name:
            call.name = function.name
        out: list[StreamEvent] = []
        if not call.begun and call.name:
            call.begun = True
            out.append(ToolCallBegun(call.id, call.name))
            if call.arguments:  # fragments that came before the name
                out.append(ToolCallArgs(call.id, "".join(call.arguments)))
        if function is not None and function.arguments:
            call.arguments.append(function.arguments)
            if call.begun:
                out.append(ToolCallArgs(call.id, function.arguments))
        return out

    def _close_reasoning(self) -> list[StreamEvent]:
        if not self.reasoning:
            return []
        text = "".join(self.reasoning)
        self.reasoning = []
        return [ReasoningDone(ReasoningPart(text=text, provider=REASONING_PROVIDER))]

    def _close_calls(self) -> list[StreamEvent]:
        out: list[StreamEvent] = []
        for call in self.calls:
            raw = "".join(call.arguments)
            if not call.begun:  # a call that never got a name is still reported, and fails as a tool
                call.begun = True
                out.append(ToolCallBegun(call.id, call.name))
                if raw:
                    out.append(ToolCallArgs(call.id, raw))
            arguments, invalid = parse_arguments(raw)
            out.append(ToolCallDone(ToolCallPart(call.id, call.name, arguments, invalid)))
        self.had_calls = self.had_calls or bool(self.calls)
        self.calls = []
        self.by_index = {}
        return out


def usage_from(raw: Any) -> Usage:
    details = raw.prompt_tokens_details
    extra = raw.model_extra or {}
    hit = extra.get("prompt_cache_hit_tokens")  # DeepSeek reports cache hits its own way
    if isinstance(hit, int) and hit and not getattr(details, "cached_tokens", None):
        details = SimpleNamespace(cached_tokens=hit)
    return usage_from_details(raw.prompt_tokens, raw.completion_tokens, details)


# --- the provider -----------------------------------------------------------------------------


class OpenAIChatProvider(OpenAIProvider):
    """Chat Completions over the async SDK client (AsyncAzureOpenAI for Azure)."""

    # some compatible servers do not know stream_options (usage is then not reported)
    OPTIONAL = {"stream_options": ("stream_options",)}

    def params(self, request: Request) -> dict[str, Any]:
        return build_params(request, self.provider_name)

    async def send(self, params: dict[str, Any]) -> Any:
        return await self._client.chat.completions.create(**params)

    def decoder(self) -> ChatDecoder:
        return ChatDecoder()


create = factory(OpenAIChatProvider)
