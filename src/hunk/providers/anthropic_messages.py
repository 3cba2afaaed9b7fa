"""The Anthropic Messages API (and Claude on Bedrock), streamed.

Requests carry three prompt-cache breakpoints — the last tool, the system block and the last
block of the newest message — so each request reads the previous one's prefix from cache.
Thinking blocks come back as ReasoningParts with their signature (or redacted data) and are
sent back in place, unmodified. Retries (retry.py): while opening the stream, and once for a
stream cut before any tool call began.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator, Mapping
from typing import Any

import anthropic
import httpx2

from hunk.providers.base import (
    ProviderConfigError,
    ReasoningChunk,
    ReasoningDone,
    Request,
    RetryPolicy,
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
from hunk.providers.catalog import ProviderInfo, load_catalog
from hunk.providers.retry import Failure, GaveUp, Opened, open_retrying, retry_after_seconds, retry_cut_once
from hunk.values.conversation import (
    ImagePart,
    Message,
    Part,
    ReasoningPart,
    TextPart,
    ToolCallPart,
    ToolResultPart,
)
from hunk.values.usage import Usage

PROVIDER = "anthropic"  # the ReasoningPart.provider this module produces and echoes back
DEFAULT_BASE_URL = "https://api.anthropic.com"
CACHE = {"type": "ephemeral"}
# thinking budget per Request.reasoning_effort; max_tokens is raised above it when needed
THINKING_BUDGETS = {"low": 2048, "medium": 8192, "high": 24576}
_STOP_REASONS: dict[str, StopReason] = {
    "end_turn": "end_turn",
    "stop_sequence": "end_turn",
    "tool_use": "tool_use",
    "max_tokens": "max_tokens",
    "model_context_window_exceeded": "max_tokens",
    "refusal": "refusal",
}
_IN_STREAM_ERRORS = {"overloaded_error": "overloaded", "rate_limit_error": "rate_limit", "api_error": "server"}


# --- building the provider -------------------------------------------------------------------


def create(
    info: ProviderInfo,
    model: str,
    *,
    api_key: str | None,
    base_url: str | None,
    retry: RetryPolicy,
    env: Mapping[str, str],
) -> AnthropicProvider:
    if info.client == "bedrock":
        return _create_bedrock(info, model, base_url=base_url, retry=retry, env=env)
    key = api_key or (env.get(info.key_env) if info.key_env else None)
    if not key:
        raise ProviderConfigError(f"{info.key_env} is not set; export it, or pick another model with -m")
    url = base_url or info.resolved_base_url(env) or DEFAULT_BASE_URL
    client = anthropic.AsyncAnthropic(api_key=key, base_url=url, max_retries=0)
    return AnthropicProvider(client, model, retry, provider_name=info.name, credentials_hint=info.key_env)


def _create_bedrock(
    info: ProviderInfo, model: str, *, base_url: str | None, retry: RetryPolicy, env: Mapping[str, str]
) -> AnthropicProvider:
    try:
        import boto3  # noqa: F401 - the SDK's Bedrock client signs requests with botocore
        import botocore  # noqa: F401
    except ImportError:
        raise ProviderConfigError("bedrock needs the AWS libraries: pip install 'hunk[bedrock]'") from None
    region = env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION")
    if not region:
        raise ProviderConfigError("bedrock needs an AWS region: set AWS_REGION (and AWS credentials or AWS_PROFILE)")
    token = env.get("AWS_BEARER_TOKEN_BEDROCK")
    profile = None if token else env.get("AWS_PROFILE")
    client = anthropic.AsyncAnthropicBedrock(
        aws_region=region,
        aws_profile=profile,
        api_key=token,
        base_url=base_url or env.get("ANTHROPIC_BEDROCK_BASE_URL"),
        max_retries=0,
    )
    return AnthropicProvider(client, model, retry, provider_name=info.name, credentials_hint="your AWS credentials")


# --- the provider ----------------------------------------------------------------------------


class AnthropicProvider:
    """`stream(request)` yields hunk's stream events; see `Provider` in base.py."""

    def __init__(
        self,
        client: Any,
        model: str,
        retry: RetryPolicy,
        *,
        provider_name: str = PROVIDER,
        credentials_hint: str = "ANTHROPIC_API_KEY",
    ) -> None:
        self.provider_name = provider_name
        self.model = model
        self._client = client
        self._retry = retry
        self._credentials_hint = credentials_hint

    def stream(self, request: Request) -> AsyncIterator[StreamEvent]:
        return retry_cut_once(lambda: self._attempt(request))

    async def _attempt(self, request: Request) -> AsyncIterator[StreamEvent]:
        params = build_params(request)

        async def open_once() -> Any:
            return await self._client.messages.create(**params, stream=True)

        try:
            async for step in open_retrying(open_once, self._classify, self._retry):  # ends at Opened
                if isinstance(step, Opened):
                    sdk_stream = step.value
                else:
                    yield step
        except GaveUp as gave_up:
            yield gave_up.as_event()
            return
        reader = StreamReader()
        try:
            async for event in sdk_stream:
                for out in reader.feed(event):
                    yield out
            if not reader.finished:
                for out in reader.usage_so_far():
                    yield out
                yield StreamFailed("stream_cut", "the stream ended before the model finished")
        except (anthropic.APIError, httpx2.HTTPError, ValueError) as exc:  # ValueError: unreadable event JSON
            for out in reader.usage_so_far():
                yield out
            yield failed_mid_stream(exc)
        finally:
            await sdk_stream.close()  # at once on cancellation, too

    def _classify(self, exc: BaseException) -> Failure | None:
        return classify(exc, self._credentials_hint)


# --- errors ----------------------------------------------------------------------------------


def _detail(exc: anthropic.APIStatusError) -> str:
    return exc.api_message or (exc.type or "") or f"HTTP {exc.status_code}"


def classify(exc: BaseException, credentials_hint: str = "ANTHROPIC_API_KEY") -> Failure | None:
    """What an SDK exception raised while opening the stream means, and whether to retry it."""
    if isinstance(exc, anthropic.APIStatusError):
        status, detail = exc.status_code, _detail(exc)
        if status == 429:
            after = retry_after_seconds(exc.response.headers)
            return Failure("rate_limit", f"rate limited (429): {detail}", status, True, after)
        if status == 529 or exc.type == "overloaded_error":
            after = retry_after_seconds(exc.response.headers)
            return Failure("overloaded", f"the API is overloaded ({status}): {detail}", status, True, after)
        if status in (500, 502, 503, 504):
            return Failure("server", f"server error ({status}): {detail}", status, True)
        if status in (401, 403):
            return Failure("auth", f"the API refused the credentials ({status}): {detail}; check {credentials_hint}", status)
        if status in (400, 404, 413, 422):
            return Failure("request", f"the API rejected the request ({status}): {detail}", status)
        return Failure("other", f"the API answered {status}: {detail}", status)
    if isinstance(exc, anthropic.APIConnectionError):  # timeouts included
        cause = exc.__cause__ or exc.__context__
        reason = f": {cause}" if cause and str(cause) else ""
        return Failure("connection", f"could not reach the API ({exc.message.rstrip('.')}{reason})", None, True)
    if isinstance(exc, anthropic.AnthropicError):
        return Failure("other", f"the request failed: {exc}")
    return None


def failed_mid_stream(exc: BaseException) -> StreamFailed:
    """A failure after the stream began: reported as it is, never retried."""
    if isinstance(exc, anthropic.APIStatusError):
        kind = _IN_STREAM_ERRORS.get(exc.type or "", "other")
        return StreamFailed(kind, f"the stream failed midway: {_detail(exc)}")  # type: ignore[arg-type]
    if isinstance(exc, ValueError):
        return StreamFailed("other", f"the API sent an unreadable stream event: {exc}")
    return StreamFailed("stream_cut", f"the connection dropped midway through the stream: {exc or type(exc).__name__}")


# --- reading the stream ----------------------------------------------------------------------


class StreamReader:
    """Turns the SDK's raw stream events into hunk's, one event at a time."""

    def __init__(self) -> None:
        self.finished = False
        self._blocks: dict[int, dict[str, Any]] = {}
        self._usage: Usage | None = None
        self._stop_reason: str | None = None

    def feed(self, event: Any) -> Iterator[StreamEvent]:
        kind = getattr(event, "type", None)
        if kind == "message_start":
            self._take_usage(event.message.usage)
        elif kind == "content_block_start":
            yield from self._start(event.index, event.content_block)
        elif kind == "content_block_delta":
            yield from self._delta(event.index, event.delta)
        elif kind == "content_block_stop":
            yield from self._stop(event.index)
        elif kind == "message_delta":
            self._stop_reason = event.delta.stop_reason or self._stop_reason
            self._take_usage(event.usage)
        elif kind == "message_stop":
            self.finished = True
            yield from self.usage_so_far()
            raw = self._stop_reason
            yield Stopped(_STOP_REASONS.get(raw or "", "other"), raw)

    def usage_so_far(self) -> Iterator[UsageReport]:
        """The usage read so far, once (input tokens are billed even when the stream fails)."""
        if self._usage is not None:
            yield UsageReport(self._usage)
            self._usage = None

    def _take_usage(self, usage: Any) -> None:
        """message_start carries input and cache counts; message_delta the cumulative output
        (and, on some servers, final input counts)."""
        old = self._usage or Usage()
        self._usage = Usage(
            input_tokens=_int(getattr(usage, "input_tokens", None), old.input_tokens),
            output_tokens=_int(getattr(usage, "output_tokens", None), old.output_tokens),
            cache_read_tokens=_int(getattr(usage, "cache_read_input_tokens", None), old.cache_read_tokens),
            cache_write_tokens=_int(getattr(usage, "cache_creation_input_tokens", None), old.cache_write_tokens),
        )

    def _start(self, index: int, block: Any) -> Iterator[StreamEvent]:
        kind = block.type
        state: dict[str, Any] = {"type": kind, "text": [], "signature": ""}
        self._blocks[index] = state
        if kind == "tool_use":
            state["id"], state["name"] = block.id, block.name
            yield ToolCallBegun(block.id, block.name)
        elif kind == "redacted_thinking":
            state["data"] = block.data
        if kind == "thinking":
            state["signature"] = getattr(block, "signature", "") or ""
        elif kind in ("text", "thinking") and getattr(block, kind, ""):
            first = getattr(block, kind)
            state["text"].append(first)
            yield TextChunk(first) if kind == "text" else ReasoningChunk(first)

    def _delta(self, index: int, delta: Any) -> Iterator[StreamEvent]:
        state = self._blocks.get(index)
        if state is None:
            return
        kind = delta.type
        if kind == "text_delta":
            yield TextChunk(delta.text)
        elif kind == "thinking_delta":
            state["text"].append(delta.thinking)
            yield ReasoningChunk(delta.thinking)
        elif kind == "signature_delta":
            state["signature"] += delta.signature
        elif kind == "input_json_delta" and delta.partial_json:
            state["text"].append(delta.partial_json)
            yield ToolCallArgs(state["id"], delta.partial_json)

    def _stop(self, index: int) -> Iterator[StreamEvent]:
        state = self._blocks.pop(index, None)
        if state is None:
            return
        kind = state["type"]
        if kind == "thinking":
            metadata = {"signature": state["signature"]}
            yield ReasoningDone(ReasoningPart("".join(state["text"]), PROVIDER, metadata))
        elif kind == "redacted_thinking":
            yield ReasoningDone(ReasoningPart("", PROVIDER, {"redacted": state["data"]}))
        elif kind == "tool_use":
            yield ToolCallDone(tool_call(state["id"], state["name"], "".join(state["text"])))


def _int(value: Any, default: int) -> int:
    return value if isinstance(value, int) else default


def tool_call(call_id: str, name: str, raw: str) -> ToolCallPart:
    """A tool call from its streamed argument JSON; bad JSON (or not an object) is kept raw."""
    if not raw.strip():
        return ToolCallPart(call_id, name, {})
    try:
        arguments = json.loads(raw)
    except json.JSONDecodeError:
        return ToolCallPart(call_id, name, {}, invalid_arguments=raw)
    if not isinstance(arguments, dict):
        return ToolCallPart(call_id, name, {}, invalid_arguments=raw)
    return ToolCallPart(call_id, name, arguments)


# --- building the request --------------------------------------------------------------------


def build_params(request: Request) -> dict[str, Any]:
    """The keyword arguments of `messages.create` for a neutral Request (stream flag aside)."""
    params: dict[str, Any] = {
        "model": request.model,
        "max_tokens": request.max_tokens,
        "messages": _with_cache_mark(_messages(request.messages)),
    }
    if request.system:
        params["system"] = [{"type": "text", "text": request.system, "cache_control": CACHE}]
    if request.tools:
        tools = [{"name": t.name, "description": t.description, "input_schema": t.parameters} for t in request.tools]
        tools[-1]["cache_control"] = CACHE
        params["tools"] = tools
    budget = THINKING_BUDGETS.get(request.reasoning_effort or "")
    if budget and _adaptive(request.model):
        # Claude 4.6 and later decide how much to think; effort says how hard (budgets are
        # deprecated there, and refused from Opus 4.7 on)
        params["thinking"] = {"type": "adaptive"}
        params["output_config"] = {"effort": request.reasoning_effort}
    elif budget:
        params["thinking"] = {"type": "enabled", "budget_tokens": budget}
        if request.max_tokens <= budget:
            params["max_tokens"] = budget + request.max_tokens
    elif request.temperature is not None:  # thinking allows no temperature but the default
        params["temperature"] = request.temperature
    return params


def _adaptive(model: str) -> bool:
    info = load_catalog().model(PROVIDER, model)
    return info is not None and info.thinking == "adaptive"


def _messages(messages: tuple[Message, ...]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for message in messages:
        blocks = [b for b in (_block(p) for p in message.parts) if b is not None]
        if message.role == "user":  # the API wants tool results before anything else
            blocks.sort(key=lambda b: b["type"] != "tool_result")
        if blocks:
            out.append({"role": message.role, "content": blocks})
    return out


def _block(part: Part) -> dict[str, Any] | None:
    if isinstance(part, TextPart):
        return {"type": "text", "text": part.text} if part.text else None
    if isinstance(part, ImagePart):
        return {"type": "image", "source": {"type": "base64", "media_type": part.media_type, "data": part.data}}
    if isinstance(part, ToolCallPart):
        return {"type": "tool_use", "id": part.id, "name": part.name, "input": part.arguments}
    if isinstance(part, ToolResultPart):
        return {"type": "tool_result", "tool_use_id": part.call_id, "content": part.content, "is_error": part.is_error}
    if isinstance(part, ReasoningPart) and part.provider == PROVIDER:
        if "redacted" in part.metadata:
            return {"type": "redacted_thinking", "data": part.metadata["redacted"]}
        return {"type": "thinking", "thinking": part.text, "signature": part.metadata.get("signature", "")}
    return None  # another provider's reasoning: not ours to send


def _with_cache_mark(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Mark the last cacheable block of the newest message (thinking blocks cannot be marked)."""
    if not messages:
        return messages
    for block in reversed(messages[-1]["content"]):
        if block["type"] not in ("thinking", "redacted_thinking"):
            block["cache_control"] = CACHE
            break
    return messages

