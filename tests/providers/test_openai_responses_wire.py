"""Responses API specifics: the request shape (pinned by a recorded transcript), the encrypted
reasoning round trip that `store=False` requires, reasoning effort, and the ends a response
can have (completed, incomplete, failed, refused)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from openai.types.responses import ResponseCompletedEvent, ResponseRefusalDeltaEvent

from hunk.providers.base import ReasoningDone, Stopped, StreamFailed, TextChunk
from hunk.providers.openai_responses import ResponsesDecoder, build_input
from hunk.values.conversation import Message, ReasoningPart, TextPart, ToolResultPart
from tests.fakeserver import FakeProvider, Fault, Reply, ToolCall, responses_wire
from tests.providers.conftest import TRANSCRIPTS, check_transcript
from tests.providers.openai_helpers import KEY, RESPONSES, assistant_message, ask, history_request, of_type


async def test_request_shape_matches_the_recorded_transcript(fake: FakeProvider, collect) -> None:
    fake.script(Reply("fine"))
    await collect(RESPONSES.provider(fake.url).stream(history_request()))
    body = check_transcript("openai_responses_history", fake.requests[0])["body"]
    assert (body["store"], body["include"], body["instructions"]) == (False, ["reasoning.encrypted_content"], "You are terse.")
    kinds = [item.get("type") or item["role"] for item in body["input"]]
    # only our own reasoning goes back (Anthropic's and Chat's are dropped), before the calls
    assert kinds == ["user", "reasoning", "assistant", "function_call", "function_call", "function_call_output",
                     "function_call_output"]
    assert body["input"][1] == {"type": "reasoning", "id": "rs_1", "encrypted_content": "enc-blob-1",
                                "summary": [{"type": "summary_text", "text": "Look at both files."}]}
    assert body["input"][4]["arguments"] == '{"path": "b.py'
    assert body["input"][6]["output"].startswith("Error: ")
    assert body["tools"][0]["name"] == "read_file" and body["tools"][0]["type"] == "function"


async def test_encrypted_reasoning_goes_back_exactly_before_the_function_call(fake: FakeProvider, collect) -> None:
    secret = "gAAAA-opaque+/=blob\u00e9"
    fake.script(
        Reply(reasoning="Need the file.\n\nThen answer.", reasoning_secret=secret,
              tool_calls=[ToolCall("read_file", {"path": "a.py"}, id="call_x")]),
        Reply("It prints a."),
    )
    provider = RESPONSES.provider(fake.url)
    first = ask("what does a.py do?", reasoning_effort="high")
    events = await collect(provider.stream(first))
    [done] = of_type(events, ReasoningDone)
    assert done.part.provider == "openai"
    assert done.part.metadata == {"id": "rs_fake_0", "encrypted_content": secret,
                                  "summary": ["Need the file.", "Then answer."]}
    turn = assistant_message(events)
    results = Message("user", (ToolResultPart("call_x", "print('a')"),))
    second = await collect(provider.stream(replace(first, messages=(*first.messages, turn, results))))
    assert second[-1] == Stopped("end_turn", "completed")
    sent = fake.requests[1].body
    assert sent["reasoning"] == {"effort": "high", "summary": "auto"}
    assert sent["input"][1:] == [
        {"type": "reasoning", "id": "rs_fake_0", "encrypted_content": secret,
         "summary": [{"type": "summary_text", "text": "Need the file."}, {"type": "summary_text", "text": "Then answer."}]},
        {"type": "function_call", "call_id": "call_x", "name": "read_file", "arguments": '{"path": "a.py"}'},
        {"type": "function_call_output", "call_id": "call_x", "output": "print('a')"},
    ]


def test_reasoning_without_encrypted_content_is_not_sent_back() -> None:
    turn = Message("assistant", (ReasoningPart("thought", "openai", {"id": "rs_9", "encrypted_content": None}),
                                 TextPart("answer")))
    assert build_input((Message.user("q"), turn)) == [
        {"role": "user", "content": [{"type": "input_text", "text": "q"}]},
        {"role": "assistant", "content": "answer"},
    ]


async def test_a_model_that_refuses_encrypted_reasoning_is_asked_again_without_it(
    fake: FakeProvider, collect
) -> None:
    fake.script(Fault(400, message="Encrypted content is not supported with this model."), Reply("hi"), Reply("again"))
    provider = RESPONSES.provider(fake.url)
    events = await collect(provider.stream(ask(model="gpt-4.1")))
    assert events[-1] == Stopped("end_turn", "completed")
    assert [("include" in r.body) for r in fake.requests] == [True, False]
    await collect(provider.stream(ask(model="gpt-4.1")))
    assert "include" not in fake.requests[2].body, "the provider remembers the model's answer"


async def test_an_unrelated_bad_request_is_not_resent(fake: FakeProvider, collect) -> None:
    fake.script(Fault(400, message="Invalid 'input[0]': unknown role."), Reply("unused"))
    [failed] = await collect(RESPONSES.provider(fake.url).stream(ask()))
    assert failed.kind == "request" and len(fake.requests) == 1


async def test_a_failed_response_ends_the_stream_with_its_error(fake: FakeProvider, collect) -> None:
    fake.script(Reply("partial", stop="failed:server_error"))
    events = await collect(RESPONSES.provider(fake.url).stream(ask()))
    assert isinstance(events[-1], StreamFailed) and events[-1].kind == "server"
    assert len(fake.requests) == 1


async def test_an_incomplete_response_names_the_reason(fake: FakeProvider, collect) -> None:
    fake.script(Reply("trunc", stop="max_tokens"))
    events = await collect(RESPONSES.provider(fake.url).stream(ask()))
    assert events[-1] == Stopped("max_tokens", "max_output_tokens")


def test_a_refusal_streams_as_text_and_stops_as_refusal() -> None:
    decoder = ResponsesDecoder()
    delta = ResponseRefusalDeltaEvent.model_validate(
        {"type": "response.refusal.delta", "delta": "I can't help with that.", "item_id": "msg", "output_index": 0,
         "content_index": 0, "sequence_number": 3}
    )
    assert decoder.feed(delta) == [TextChunk("I can't help with that.")]
    response = responses_wire.body(Reply(), {"model": "gpt-5"})
    completed = ResponseCompletedEvent.model_validate(
        {"type": "response.completed", "sequence_number": 4, "response": {**response, "usage": None}}
    )
    assert decoder.feed(completed) == [Stopped("refusal", "completed")]


def test_recorded_transcripts_hold_no_key() -> None:
    files = sorted(Path(TRANSCRIPTS).glob("openai_*.json"))
    assert {f.name for f in files} >= {"openai_chat_history.json", "openai_responses_history.json"}
    for file in files:
        text = file.read_text(encoding="utf-8")
        assert KEY not in text
        assert json.loads(text)["headers"]["authorization"] == "<redacted>"
