"""Prompt caching as the real services count it (opt-in: `FakeProvider(cache=True)`).

Tokens are four bytes of canonical JSON. Each request is compared with the ones before it:

- Anthropic: the prompt is its blocks in cache order (tools, system, messages; cache_control
  marks stripped). Each breakpoint (a block with cache_control) writes a cache entry for the
  prefix ending there. A request reads the longest earlier entry that is a prefix of it and
  ends within 20 blocks before one of its breakpoints; from there to its last breakpoint is
  written, what follows is plain input. Prefixes under `min_tokens` are not cached.
- OpenAI (Chat Completions and Responses): automatic caching of the longest common prefix with
  an earlier request (tools, then system or instructions, then messages or input items),
  counted as 0 below 1024 tokens, then 1024 plus whole 128-token blocks.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from tests.fakeserver.anthropic_wire import prompt_blocks
from tests.fakeserver.script import Reply, Usage

LOOKBACK_BLOCKS = 20
OPENAI_MIN, OPENAI_STEP = 1024, 128


def canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def common_prefix_length(a: str, b: str) -> int:
    """Length of the longest common prefix, by bisection on slice equality."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        mid = (low + high + 1) // 2
        if a[:mid] == b[:mid]:
            low = mid
        else:
            high = mid - 1
    return low


def openai_prompt(body: dict[str, Any]) -> str:
    pieces = [canonical(tool) for tool in body.get("tools") or []]
    if body.get("instructions"):
        pieces.append(canonical(body["instructions"]))
    items = body.get("messages") or body.get("input") or []
    if isinstance(items, str):
        items = [items]
    pieces.extend(canonical(item) for item in items)
    return "".join(pieces)


def openai_cached(common_tokens: int) -> int:
    if common_tokens < OPENAI_MIN:
        return 0
    return OPENAI_MIN + (common_tokens - OPENAI_MIN) // OPENAI_STEP * OPENAI_STEP


def output_tokens(reply: Reply) -> int:
    produced = reply.text + (reply.reasoning or "")
    produced += "".join(c.arguments if isinstance(c.arguments, str) else canonical(c.arguments) for c in reply.tool_calls)
    return max(1, len(produced.encode()) // 4)


class PromptCache:
    def __init__(self, min_tokens: int = 1024) -> None:
        self.min_tokens = min_tokens
        self._entries: set[str] = set()  # Anthropic: digests of cached prefixes
        self._prompts: list[str] = []  # OpenAI: every earlier prompt
        self.served: list[tuple[str, Usage]] = []  # (path, usage) per request, for benchmarks

    def usage(self, path: str, body: dict[str, Any], reply: Reply) -> Usage:
        if path.split("?")[0].endswith("/messages"):
            usage = self._anthropic(body, output_tokens(reply))
        else:
            usage = self._openai(body, output_tokens(reply))
        self.served.append((path, usage))
        return usage

    def _anthropic(self, body: dict[str, Any], out: int) -> Usage:
        blocks = prompt_blocks(body)
        ends = [0]  # bytes of the prompt up to block k
        digests = [""]
        for block, _ in blocks:
            text = canonical(block)
            ends.append(ends[-1] + len(text.encode()))
            digests.append(hashlib.sha256((digests[-1] + text).encode()).hexdigest())
        marks = [k + 1 for k, (_, marked) in enumerate(blocks) if marked]
        read_at = 0
        for mark in marks:
            for k in range(mark, max(0, mark - LOOKBACK_BLOCKS) - 1, -1):
                if k > read_at and digests[k] in self._entries:
                    read_at = k
                    break
        last = marks[-1] if marks else 0
        for mark in marks:
            if ends[mark] // 4 >= self.min_tokens:
                self._entries.add(digests[mark])
        cached_end = last if ends[last] // 4 >= self.min_tokens else 0
        read = ends[read_at] // 4
        written = max(0, ends[cached_end] // 4 - read)
        return Usage(
            input_tokens=ends[-1] // 4 - read - written,
            output_tokens=out,
            cache_read_tokens=read,
            cache_write_tokens=written,
        )

    def _openai(self, body: dict[str, Any], out: int) -> Usage:
        prompt = openai_prompt(body)
        common = max((common_prefix_length(prompt, earlier) for earlier in self._prompts), default=0)
        self._prompts.append(prompt)
        total = len(prompt.encode()) // 4
        cached = min(total, openai_cached(len(prompt[:common].encode()) // 4))
        return Usage(input_tokens=total - cached, output_tokens=out, cache_read_tokens=cached)
