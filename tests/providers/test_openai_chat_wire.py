"""Chat Completions specifics: the request shape (pinned by a recorded transcript), reasoning
that is shown but not sent back, the stream_options fallback, and the chunk decoder fed with
literal chunks as compatible servers send them."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from openai.types.chat import ChatCompletionChunk

from hunk.providers.base import (
    ReasoningChunk,
    ReasoningDone,
    Stopped,
    StreamFailed,
    TextChunk,
    ToolCallArgs,
    ToolCallBegun,
    ToolCallDone,
    UsageReport,
)
from hunk.providers.openai_chat import ChatDecoder
from hunk.values.conversation import Message, ToolCallPart, ToolResultPart
from hunk.values.usage import Usage
from tests.fakeserver import FakeProvider, Fault, Reply, ToolCall
from tests.providers.conftest import check_transcript
from tests.providers.openai_helpers import CHAT, assistant_message, ask, history_request, of_type


async def test_request_shape_matches_the_recorded_transcript(fake: FakeProvider, collect) -> None:
    fake.script(Reply("fine"))
    await collect(CHAT.provider(fake.url).stream(history_request()))
    pinned = check_transcript("openai_chat_history", fake.requests[0])
    messages = pinned["body"]["messages"]
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "tool", "tool"]
    assert messages[1]["content"][1] == {"type": "image_url", "image_url": {"url": "data:image/png;base64,aGVsbG8="}}
    assistant = messages[2]
    assert assistant["content"] == "Reading them."
    assert [c["function"]["arguments"] for c in assistant["tool_calls"]] == ['{"path": "a.py"}', '{"path": "b.py']
    assert "reasoning_content" not in assistant and "reasoning" not in assistant
    assert messages[3] == {"role": "tool", "tool_call_id": "call_a", "content": "1: print('a')"}
    assert messages[4]["content"].startswith("Error: ")
    assert pinned["body"]["stream_options"] == {"include_usage": True}
    assert pinned["body"]["max_completion_tokens"] == 8192


async def test_reasoning_is_shown_but_not_sent_back(fake: FakeProvider, collect) -> None:
    fake.script(
        Reply("Reading.", reasoning="First I should read it.", tool_calls=[ToolCall("read_file", {"path": "a"})]),
        Reply("Done."),
    )
    provider = CHAT.provider(fake.url)
    first = ask("read a")
    events = await collect(provider.stream(first))
    [done] = of_type(events, ReasoningDone)
    assert done.part.text == "First I should read it." and done.part.provider == "openai-chat"
    turn = assistant_message(events)
    results = Message("user", (ToolResultPart("call_000", "contents of a"),))
    await collect(provider.stream(replace(first, messages=(*first.messages, turn, results))))
    sent = fake.requests[1].body["messages"]
    assert sent[2]["tool_calls"][0]["id"] == "call_000"
    assert sent[2]["content"] == "Reading."
    assert "First I should read it." not in str(sent)
    assert sent[3] == {"role": "tool", "tool_call_id": "call_000", "content": "contents of a"}


async def test_a_server_that_rejects_stream_options_is_asked_again_without_it(fake: FakeProvider, collect) -> None:
    rejection = Fault(400, message="Unrecognized request argument supplied: stream_options")
    fake.script(rejection, Reply("hi"), Reply("again"))
    provider = CHAT.provider(fake.url)
    events = await collect(provider.stream(ask()))
    assert events[-1] == Stopped("end_turn", "stop")
    assert "stream_options" in fake.requests[0].body
    assert "stream_options" not in fake.requests[1].body
    await collect(provider.stream(ask()))
    assert "stream_options" not in fake.requests[2].body, "the provider remembers the server's answer"


# --- the decoder, fed literal chunks -------------------------------------------------------


def chunk(delta: dict[str, Any] | None = None, finish: str | None = None, usage: dict[str, Any] | None = None) -> Any:
    choices = [] if delta is None else [{"index": 0, "delta": delta, "finish_reason": finish}]
    raw: dict[str, Any] = {"id": "c", "object": "chat.completion.chunk", "created": 0, "model": "m", "choices": choices}
    if usage is not None:
        raw["usage"] = usage
    return ChatCompletionChunk.construct(**raw)  # as the SDK builds streamed chunks: no validation


def decode(*chunks: Any) -> list[Any]:
    decoder = ChatDecoder()
    events = [event for c in chunks for event in decoder.feed(c)]
    return events + decoder.finish()


def test_reasoning_in_the_reasoning_field_as_openrouter_and_ollama_send_it() -> None:
    events = decode(chunk({"reasoning": "hmm "}), chunk({"reasoning": "ok"}), chunk({"content": "Hi"}), chunk({}, "stop"))
    assert events[:4] == [
        ReasoningChunk("hmm "),
        ReasoningChunk("ok"),
        ReasoningDone(events[2].part),
        TextChunk("Hi"),
    ]
    assert events[2].part.text == "hmm ok"


def test_calls_that_all_come_at_index_zero_are_told_apart_by_id() -> None:
    events = decode(
        chunk({"tool_calls": [{"index": 0, "id": "a", "function": {"name": "read_file", "arguments": '{"path":"x"}'}}]}),
        chunk({"tool_calls": [{"index": 0, "id": "b", "function": {"name": "list_files", "arguments": "{}"}}]}),
        chunk({}, "tool_calls"),
    )
    assert [e.call for e in of_type(events, ToolCallDone)] == [
        ToolCallPart("a", "read_file", {"path": "x"}),
        ToolCallPart("b", "list_files", {}),
    ]


def test_calls_without_an_index_as_gemini_sends_them() -> None:
    events = decode(
        chunk({"tool_calls": [{"id": "a", "function": {"name": "read_file", "arguments": '{"path":'}}]}),
        chunk({"tool_calls": [{"function": {"arguments": '"x"}'}}]}),
        chunk({"tool_calls": [{"id": "b", "function": {"name": "list_files", "arguments": "{}"}}]}),
        chunk({}, "stop"),
    )
    assert [e.call for e in of_type(events, ToolCallDone)] == [
        ToolCallPart("a", "read_file", {"path": "x"}),
        ToolCallPart("b", "list_files", {}),
    ]
    assert events[-1] == Stopped("tool_use", "stop")


def test_arguments_before_the_name_are_not_lost() -> None:
    events = decode(
        chunk({"tool_calls": [{"index": 0, "id": "a", "function": {"arguments": '{"p'}}]}),
        chunk({"tool_calls": [{"index": 0, "function": {"name": "read_file", "arguments": '": 1}'}}]}),
        chunk({}, "tool_calls"),
    )
    assert of_type(events, ToolCallBegun) == [ToolCallBegun("a", "read_file")]
    assert "".join(e.fragment for e in of_type(events, ToolCallArgs)) == '{"p": 1}'
    assert of_type(events, ToolCallDone)[0].call.arguments == {"p": 1}


def test_stop_after_tool_calls_means_tool_use() -> None:
    events = decode(chunk({"tool_calls": [{"index": 0, "id": "a", "function": {"name": "f", "arguments": "{}"}}]}),
                    chunk({}, "stop"))
    assert events[-1] == Stopped("tool_use", "stop")


def test_content_filter_is_a_refusal() -> None:
    assert decode(chunk({"content": "I can"}), chunk({}, "content_filter"))[-1] == Stopped("refusal", "content_filter")


def test_a_stream_that_ends_without_a_finish_reason_is_a_cut() -> None:
    events = decode(chunk({"content": "half"}))
    assert isinstance(events[-1], StreamFailed) and events[-1].kind == "stream_cut"


def test_repeated_usage_is_reported_once_with_the_last_figures() -> None:
    events = decode(
        chunk({"content": "a"}, usage={"prompt_tokens": 10, "completion_tokens": 1, "total_tokens": 11}),
        chunk({}, "stop", usage={"prompt_tokens": 10, "completion_tokens": 2, "total_tokens": 12}),
    )
    assert of_type(events, UsageReport) == [UsageReport(Usage(input_tokens=10, output_tokens=2))]


def test_deepseek_cache_hits_count_as_cache_reads() -> None:
    usage = {"prompt_tokens": 100, "completion_tokens": 5, "total_tokens": 105,
             "prompt_cache_hit_tokens": 60, "prompt_cache_miss_tokens": 40}
    events = decode(chunk({"content": "x"}, "stop"), chunk(usage=usage))
    assert of_type(events, UsageReport) == [UsageReport(Usage(input_tokens=40, output_tokens=5, cache_read_tokens=60))]
