"""Table tests of the Anthropic wire translation: literal stream events in, hunk events out;
neutral requests in, Messages API parameters out."""

from __future__ import annotations

from typing import Any

import pydantic
import pytest
from anthropic.types import RawMessageStreamEvent

from hunk.providers.anthropic_messages import StreamReader, build_params, failed_mid_stream, tool_call
from hunk.providers.base import (
    ReasoningChunk,
    ReasoningDone,
    Request,
    Stopped,
    TextChunk,
    ToolCallArgs,
    ToolCallBegun,
    ToolCallDone,
    UsageReport,
)
from hunk.values.conversation import ToolSpec
from hunk.values.conversation import ImagePart, Message, ReasoningPart, TextPart, ToolCallPart, ToolResultPart
from hunk.values.usage import Usage

_EVENTS = pydantic.TypeAdapter(RawMessageStreamEvent)
START = {
    "type": "message_start",
    "message": {
        "id": "msg_1",
        "type": "message",
        "role": "assistant",
        "model": "claude-haiku-4-5",
        "content": [],
        "stop_reason": None,
        "stop_sequence": None,
        "usage": {"input_tokens": 10, "output_tokens": 1, "cache_read_input_tokens": 90, "cache_creation_input_tokens": 5},
    },
}


def delta(index: int, **fields: Any) -> dict[str, Any]:
    return {"type": "content_block_delta", "index": index, "delta": fields}


def start(index: int, **block: Any) -> dict[str, Any]:
    return {"type": "content_block_start", "index": index, "content_block": block}


def stop(index: int) -> dict[str, Any]:
    return {"type": "content_block_stop", "index": index}


def finish(reason: str, output: int) -> list[dict[str, Any]]:
    return [
        {"type": "message_delta", "delta": {"stop_reason": reason, "stop_sequence": None}, "usage": {"output_tokens": output}},
        {"type": "message_stop"},
    ]


def read(raw: list[dict[str, Any]]) -> list[Any]:
    reader = StreamReader()
    return [out for event in raw for out in reader.feed(_EVENTS.validate_python(event))]


USAGE = UsageReport(Usage(input_tokens=10, output_tokens=42, cache_read_tokens=90, cache_write_tokens=5))

PARSE_CASES = {
    "text": (
        [START, start(0, type="text", text=""), delta(0, type="text_delta", text="Hel"),
         delta(0, type="text_delta", text="lo"), stop(0), *finish("end_turn", 42)],
        [TextChunk("Hel"), TextChunk("lo"), USAGE, Stopped("end_turn", "end_turn")],
    ),
    "thinking with signature then tool call": (
        [START, start(0, type="thinking", thinking="", signature=""),
         delta(0, type="thinking_delta", thinking="hmm "), delta(0, type="thinking_delta", thinking="ok"),
         delta(0, type="signature_delta", signature="c2ln"), stop(0),
         start(1, type="tool_use", id="toolu_9", name="read_file", input={}),
         delta(1, type="input_json_delta", partial_json=""),
         delta(1, type="input_json_delta", partial_json='{"path": "a\\\\b'),
         delta(1, type="input_json_delta", partial_json='\\"c.py"}'), stop(1), *finish("tool_use", 42)],
        [ReasoningChunk("hmm "), ReasoningChunk("ok"),
         ReasoningDone(ReasoningPart("hmm ok", "anthropic", {"signature": "c2ln"})),
         ToolCallBegun("toolu_9", "read_file"),
         ToolCallArgs("toolu_9", '{"path": "a\\\\b'), ToolCallArgs("toolu_9", '\\"c.py"}'),
         ToolCallDone(ToolCallPart("toolu_9", "read_file", {"path": 'a\\b"c.py'})),
         USAGE, Stopped("tool_use", "tool_use")],
    ),
    "redacted thinking": (
        [START, start(0, type="redacted_thinking", data="b3BhcXVl"), stop(0), *finish("end_turn", 42)],
        [ReasoningDone(ReasoningPart("", "anthropic", {"redacted": "b3BhcXVl"})), USAGE, Stopped("end_turn", "end_turn")],
    ),
    "tool call without arguments": (
        [START, start(0, type="tool_use", id="toolu_1", name="list_files", input={}), stop(0), *finish("tool_use", 42)],
        [ToolCallBegun("toolu_1", "list_files"), ToolCallDone(ToolCallPart("toolu_1", "list_files", {})),
         USAGE, Stopped("tool_use", "tool_use")],
    ),
    "context window exceeded counts as max_tokens": (
        [START, *finish("model_context_window_exceeded", 42)],
        [USAGE, Stopped("max_tokens", "model_context_window_exceeded")],
    ),
}


@pytest.mark.parametrize("raw, expected", list(PARSE_CASES.values()), ids=list(PARSE_CASES))
def test_stream_events_translate_to_hunk_events(raw, expected):
    assert read(raw) == expected


def test_a_stream_without_message_stop_is_not_finished_and_keeps_its_usage():
    reader = StreamReader()
    for event in [START, start(0, type="text", text=""), delta(0, type="text_delta", text="Hi")]:
        list(reader.feed(_EVENTS.validate_python(event)))
    assert not reader.finished
    assert list(reader.usage_so_far()) == [UsageReport(Usage(10, 1, 90, 5))]
    assert list(reader.usage_so_far()) == []  # reported once


@pytest.mark.parametrize(
    "raw, arguments, invalid",
    [
        ('{"a": 1}', {"a": 1}, None),
        ("", {}, None),
        ('{"a": ', {}, '{"a": '),
        ("[1, 2]", {}, "[1, 2]"),
        ('"just a string"', {}, '"just a string"'),
    ],
)
def test_tool_arguments_parse_or_are_kept_raw(raw, arguments, invalid):
    call = tool_call("id", "name", raw)
    assert (call.arguments, call.invalid_arguments) == (arguments, invalid)


# --- building requests -----------------------------------------------------------------------

EPHEMERAL = {"type": "ephemeral"}
TOOLS = (ToolSpec("a", "A.", {"type": "object"}), ToolSpec("b", "B.", {"type": "object"}))


def test_request_marks_the_last_tool_the_system_and_the_newest_message_for_caching():
    params = build_params(Request("m", "sys", (Message.user("one"), Message("assistant", (TextPart("two"),)), Message.user("three")), TOOLS))
    assert "cache_control" not in params["tools"][0]
    assert params["tools"][-1] == {"name": "b", "description": "B.", "input_schema": {"type": "object"}, "cache_control": EPHEMERAL}
    assert params["system"] == [{"type": "text", "text": "sys", "cache_control": EPHEMERAL}]
    assert params["messages"] == [
        {"role": "user", "content": [{"type": "text", "text": "one"}]},
        {"role": "assistant", "content": [{"type": "text", "text": "two"}]},
        {"role": "user", "content": [{"type": "text", "text": "three", "cache_control": EPHEMERAL}]},
    ]


def test_request_without_tools_or_system_leaves_them_out():
    params = build_params(Request("m", "", (Message.user("hi"),), temperature=0.2))
    assert "tools" not in params and "system" not in params
    assert params["temperature"] == 0.2


def test_user_message_puts_tool_results_first_and_images_as_base64():
    message = Message(
        "user",
        (TextPart("and look at this"), ImagePart("image/png", "AAAA"), ToolResultPart("t1", "boom", is_error=True)),
    )
    [sent] = build_params(Request("m", "s", (message,)))["messages"]
    assert sent["content"] == [
        {"type": "tool_result", "tool_use_id": "t1", "content": "boom", "is_error": True},
        {"type": "text", "text": "and look at this"},
        {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "AAAA"}, "cache_control": EPHEMERAL},
    ]


def test_other_providers_reasoning_is_dropped_and_ours_kept_in_place():
    assistant = Message(
        "assistant",
        (
            ReasoningPart("theirs", "openai", {"id": "rs_1"}),
            ReasoningPart("ours", "anthropic", {"signature": "sig"}),
            TextPart(""),
            ToolCallPart("t1", "a", {}, invalid_arguments="{oops"),
        ),
    )
    params = build_params(Request("m", "s", (Message.user("q"), assistant, Message.user("r"))))
    assert params["messages"][1]["content"] == [
        {"type": "thinking", "thinking": "ours", "signature": "sig"},
        {"type": "tool_use", "id": "t1", "name": "a", "input": {}},
    ]


@pytest.mark.parametrize("effort, budget", [("low", 2048), ("medium", 8192), ("high", 24576)])
def test_reasoning_effort_sets_a_thinking_budget_below_max_tokens(effort, budget):
    params = build_params(Request("m", "s", (Message.user("q"),), max_tokens=4096, temperature=0.5, reasoning_effort=effort))
    assert params["thinking"] == {"type": "enabled", "budget_tokens": budget}
    assert params["max_tokens"] > budget
    assert "temperature" not in params  # thinking allows only the default temperature


def test_signature_given_at_block_start_is_kept():
    events = read([START, start(0, type="thinking", thinking="", signature="early-sig"), stop(0)])
    assert events == [ReasoningDone(ReasoningPart("", "anthropic", {"signature": "early-sig"}))]


def test_unreadable_stream_event_becomes_a_failure_not_an_exception():
    import json

    try:
        json.loads("{not json")
    except ValueError as exc:
        failed = failed_mid_stream(exc)
    assert failed.kind == "other" and "unreadable stream event" in failed.message


@pytest.mark.parametrize("model", ["claude-sonnet-4-6", "claude-opus-4-6"])
@pytest.mark.parametrize("effort", ["low", "medium", "high"])
def test_models_that_think_adaptively_get_an_effort_not_a_budget(model, effort):
    params = build_params(Request(model, "s", (Message.user("q"),), max_tokens=4096, reasoning_effort=effort))
    assert params["thinking"] == {"type": "adaptive"}
    assert params["output_config"] == {"effort": effort}
    assert params["max_tokens"] == 4096


def test_no_reasoning_effort_asks_for_no_thinking():
    params = build_params(Request("claude-sonnet-4-6", "s", (Message.user("q"),)))
    assert "thinking" not in params and "output_config" not in params
