"""What the two OpenAI wire protocols share: the SDK client, error classification, the stream
skeleton (open with retries, decode, report a cut, close on cancel) and tool-argument parsing.

`openai_chat` (Chat Completions, every compatible server, Azure) and `openai_responses` (the
Responses API) each supply only what differs: the request body and a decoder of their events.
Importing this module imports the `openai` SDK, so only the wire modules import it, lazily.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from typing import Any, Protocol

import openai

from hunk.providers.base import ProviderConfigError, Request, RetryPolicy, StreamEvent, StreamFailed
from hunk.providers.catalog import ProviderInfo
from hunk.providers.retry import Failure, GaveUp, Opened, open_retrying, retry_after_seconds, retry_cut_once
from hunk.settings.prompts import message as prompt_message
from hunk.values.conversation import ImagePart, ToolResultPart
from hunk.values.usage import Usage

DEFAULT_OPENAI_URL = "https://api.openai.com/v1"
DEFAULT_AZURE_API_VERSION = "2024-10-21"
# The SDK insists on a key; local servers (ollama, vllm, llama.cpp, LM Studio) ignore it.
UNUSED_KEY = "unused"

_RETRYABLE_SERVER = {500, 502, 503, 504}
_FINAL_REQUEST = {400, 404, 422}


# --- the client -------------------------------------------------------------------------------


def resolve_key(info: ProviderInfo, api_key: str | None, env: Mapping[str, str]) -> str:
    """The key to send: the argument, else the provider's variable, else a dummy for local servers."""
    if api_key:
        return api_key
    if info.key_env and env.get(info.key_env):
        return env[info.key_env]
    if not info.key_env or info.local:
        return UNUSED_KEY
    raise ProviderConfigError(f"{info.key_env} is not set; export it, or pick another model with -m")


def make_client(
    info: ProviderInfo, *, api_key: str | None, base_url: str | None, env: Mapping[str, str]
) -> openai.AsyncOpenAI:
    """An async SDK client with the SDK's own retries off (retry.py retries, and only before the
    first byte). Azure gets the SDK's Azure client: the deployment goes into the URL path."""
    key = resolve_key(info, api_key, env)
    if info.client == "azure":
        endpoint = base_url or info.resolved_base_url(env)
        if not endpoint:
            raise ProviderConfigError(
                "AZURE_OPENAI_ENDPOINT is not set; export it (https://<resource>.openai.azure.com), "
                "or pick another model with -m"
            )
        return openai.AsyncAzureOpenAI(
            azure_endpoint=endpoint,
            api_key=key,
            api_version=env.get("OPENAI_API_VERSION") or DEFAULT_AZURE_API_VERSION,
            max_retries=0,
        )
    url = base_url or info.resolved_base_url(env) or DEFAULT_OPENAI_URL
    return openai.AsyncOpenAI(api_key=key, base_url=url, max_retries=0)


# --- errors -----------------------------------------------------------------------------------


def api_detail(exc: openai.APIError) -> str:
    """The API's own error message, on one line, else the SDK's."""
    body = exc.body
    if isinstance(body, Mapping):
        inner = body.get("error", body)
        if isinstance(inner, Mapping) and isinstance(inner.get("message"), str):
            return " ".join(str(inner["message"]).split())
    return " ".join(str(exc.message).split())


def _error_code(exc: openai.APIError) -> str:
    return " ".join(str(v) for v in (exc.code, exc.type) if v)


def classify(exc: BaseException, key_env: str) -> Failure | None:
    """Map an SDK exception raised while opening a stream to a Failure (None: not ours)."""
    if isinstance(exc, openai.APIStatusError):
        return _classify_status(exc, key_env)
    if isinstance(exc, openai.APITimeoutError):
        return Failure("connection", "the request timed out before the model answered", retryable=True)
    if isinstance(exc, openai.APIConnectionError):
        cause = exc.__cause__ or exc
        return Failure("connection", f"could not reach the API: {type(cause).__name__}", retryable=True)
    return None


def _classify_status(exc: openai.APIStatusError, key_env: str) -> Failure:
    status = exc.status_code
    detail = api_detail(exc)
    code = _error_code(exc)
    after = retry_after_seconds(exc.response.headers)
    if status == 429 and "insufficient_quota" in code:
        return Failure("rate_limit", f"quota exhausted (429): {detail}", status)
    if status == 429:
        return Failure("rate_limit", f"rate limited (429): {detail}", status, retryable=True, retry_after=after)
    if status == 529 or "overloaded" in code:
        return Failure("overloaded", f"the API is overloaded ({status}): {detail}", status, True, after)
    if status in _RETRYABLE_SERVER:
        return Failure("server", f"server error ({status}): {detail}", status, retryable=True, retry_after=after)
    if status in (401, 403):
        variable = key_env or "the API key"
        return Failure("auth", f"the API refused the key ({status}): check {variable}: {detail}", status)
    if status in _FINAL_REQUEST:
        return Failure("request", f"the API rejected the request ({status}): {detail}", status)
    return Failure("other", f"API error ({status}): {detail}", status)


def failure_mid_stream(exc: BaseException) -> StreamFailed | None:
    """An error after the stream began: never retried, reported as the stream's last event."""
    if isinstance(exc, openai.APIConnectionError):  # the SDK wraps httpx read errors in this
        cause = exc.__cause__ or exc
        return StreamFailed("stream_cut", f"the stream was cut before the reply ended: {type(cause).__name__}")
    if isinstance(exc, openai.APIError):
        return error_event(_error_code(exc), api_detail(exc))
    return None


def error_event(code: str, message: str) -> StreamFailed:
    """An `error` the server sent inside the stream, classified by its code or type."""
    code = code or ""
    detail = " ".join(message.split()) or "the stream reported an error"
    if "rate_limit" in code:
        return StreamFailed("rate_limit", f"rate limited mid-stream: {detail}")
    if "overloaded" in code:
        return StreamFailed("overloaded", f"the API is overloaded: {detail}")
    if "server" in code or "api_error" in code:
        return StreamFailed("server", f"server error mid-stream: {detail}")
    return StreamFailed("other", f"the stream reported an error: {detail}")


# --- the stream skeleton ----------------------------------------------------------------------


class Decoder(Protocol):
    """Turns one protocol's parsed SSE events into stream events."""

    def feed(self, event: Any) -> list[StreamEvent]: ...

    def finish(self) -> list[StreamEvent]: ...


async def run_stream(
    open_once: Callable[[], Awaitable[Any]],
    decoder: Decoder,
    *,
    key_env: str,
    retry: RetryPolicy,
) -> AsyncIterator[StreamEvent]:
    """Open the SDK stream (retrying before the first byte), decode it, and always end with one
    Stopped or StreamFailed. Cancellation closes the HTTP response at once and propagates."""
    try:
        async for step in open_retrying(open_once, lambda exc: classify(exc, key_env), retry):  # ends at Opened
            if isinstance(step, Opened):
                stream = step.value
            else:
                yield step
    except GaveUp as gave_up:
        yield gave_up.as_event()
        return
    try:
        try:
            async for event in stream:
                for out in decoder.feed(event):
                    yield out
                    if isinstance(out, StreamFailed):
                        return
        except openai.OpenAIError as exc:
            failed = failure_mid_stream(exc)
            if failed is None:
                raise
            yield failed
            return
        for out in decoder.finish():
            yield out
    finally:
        await stream.close()


class OpenAIProvider:
    """What both OpenAI providers hold; subclasses give the request body, the SDK call and the
    decoder. `OPTIONAL` names request parameters some servers or models refuse, with the words
    of such a 400: the request is then sent once more without that parameter, and the provider
    leaves it out from then on."""

    OPTIONAL: dict[str, tuple[str, ...]] = {}

    def __init__(self, name: str, model: str, client: openai.AsyncOpenAI, key_env: str, retry: RetryPolicy) -> None:
        self.provider_name = name
        self.model = model
        self._client = client
        self._key_env = key_env
        self._retry = retry
        self._dropped: set[str] = set()

    def stream(self, request: Request) -> AsyncIterator[StreamEvent]:
        params = self.params(request)
        return retry_cut_once(
            lambda: run_stream(lambda: self._open(params), self.decoder(), key_env=self._key_env, retry=self._retry)
        )

    async def aclose(self) -> None:
        """Close the SDK client's connection pool (when the session ends)."""
        await self._client.close()

    async def _open(self, params: dict[str, Any]) -> Any:
        params = {k: v for k, v in params.items() if k not in self._dropped}
        while True:
            try:
                return await self.send(params)
            except openai.BadRequestError as exc:
                refused = self._refused_parameter(exc, params)
                if refused is None:
                    raise
                self._dropped.add(refused)
                params.pop(refused)

    def _refused_parameter(self, exc: openai.BadRequestError, params: dict[str, Any]) -> str | None:
        detail = api_detail(exc).lower()
        for name, phrases in self.OPTIONAL.items():
            if name in params and (exc.param == name or any(p in detail for p in phrases)):
                return name
        return None

    def params(self, request: Request) -> dict[str, Any]:
        raise NotImplementedError

    async def send(self, params: dict[str, Any]) -> Any:
        raise NotImplementedError

    def decoder(self) -> Decoder:
        raise NotImplementedError


def factory(cls: type[OpenAIProvider]) -> Callable[..., OpenAIProvider]:
    """The module-level `create` that `hunk.providers.create_provider` calls."""

    def create(
        info: ProviderInfo,
        model: str,
        *,
        api_key: str | None,
        base_url: str | None,
        retry: RetryPolicy,
        env: Mapping[str, str],
    ) -> OpenAIProvider:
        client = make_client(info, api_key=api_key, base_url=base_url, env=env)
        return cls(info.name, model, client, info.key_env, retry)

    return create


# --- shared request pieces --------------------------------------------------------------------


def parse_arguments(raw: str) -> tuple[dict[str, Any], str | None]:
    """Tool arguments as a dict, or ({}, raw) when they are not a JSON object."""
    if not raw.strip():
        return {}, None
    try:
        value = json.loads(raw)
    except ValueError:
        return {}, raw
    if not isinstance(value, dict):
        return {}, raw
    return value, None


def arguments_json(arguments: dict[str, Any], invalid: str | None) -> str:
    """Arguments as the model sent them: invalid ones go back verbatim so the model sees its slip."""
    if invalid is not None:
        return invalid
    return json.dumps(arguments, ensure_ascii=False)


def data_url(image: ImagePart) -> str:
    return f"data:{image.media_type};base64,{image.data}"


def tool_result_text(part: ToolResultPart) -> str:
    """Neither OpenAI API has an error flag on a tool result: an error says so in words."""
    return prompt_message("openai_wire.tool_error", content=part.content) if part.is_error else part.content


def usage_from_details(prompt: int | None, output: int | None, details: Any) -> Usage:
    """OpenAI counts cache reads and writes inside the prompt tokens; ours are uncached only."""
    cached = (getattr(details, "cached_tokens", None) or 0) if details is not None else 0
    written = (getattr(details, "cache_write_tokens", None) or 0) if details is not None else 0
    return Usage(
        input_tokens=max(0, (prompt or 0) - cached - written),
        output_tokens=output or 0,
        cache_read_tokens=cached,
        cache_write_tokens=written,
    )
