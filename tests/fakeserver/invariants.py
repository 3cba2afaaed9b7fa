"""What the real APIs refuse, checked on every request the fake server receives.

Every tool call in the history must have its result: Anthropic wants each `tool_use` answered by
a `tool_result` in the next user message, Chat Completions each assistant `tool_calls` entry by a
`tool` message right after it, the Responses API each `function_call` item by a
`function_call_output` with its `call_id`. A request that breaks this gets a 400, as from the
real services, so no test can pass with a history a real API would reject.
"""

from __future__ import annotations

from typing import Any


def unanswered_calls(path: str, body: dict[str, Any]) -> list[str]:
    """The ids of tool calls in the request's history that have no result."""
    route = path.split("?")[0]
    if route.endswith("/v1/messages"):
        return _anthropic(body.get("messages") or [])
    if route.endswith("/chat/completions"):
        return _chat(body.get("messages") or [])
    if route.endswith("/responses"):
        return _responses(body.get("input") or [])
    return []


def _blocks(message: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    content = message.get("content")
    return [b for b in content if isinstance(b, dict) and b.get("type") == kind] if isinstance(content, list) else []


def _anthropic(messages: list[dict[str, Any]]) -> list[str]:
    missing: list[str] = []
    for position, message in enumerate(messages):
        if message.get("role") != "assistant":
            continue
        calls = [b["id"] for b in _blocks(message, "tool_use")]
        following = messages[position + 1] if position + 1 < len(messages) else {}
        answered = {b.get("tool_use_id") for b in _blocks(following, "tool_result")} if following.get("role") == "user" else set()
        missing += [c for c in calls if c not in answered]
    return missing


def _chat(messages: list[dict[str, Any]]) -> list[str]:
    missing: list[str] = []
    for position, message in enumerate(messages):
        if message.get("role") != "assistant":
            continue
        calls = [c["id"] for c in message.get("tool_calls") or []]
        answered = set()
        for after in messages[position + 1 :]:
            if after.get("role") != "tool":
                break
            answered.add(after.get("tool_call_id"))
        missing += [c for c in calls if c not in answered]
    return missing


def _responses(items: list[dict[str, Any]]) -> list[str]:
    calls = [i["call_id"] for i in items if isinstance(i, dict) and i.get("type") == "function_call"]
    answered = {i.get("call_id") for i in items if isinstance(i, dict) and i.get("type") == "function_call_output"}
    return [c for c in calls if c not in answered]
