"""The fake server's prompt-cache arithmetic (FakeProvider(cache=True)), on handmade bodies and
through a real agent session."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hunk.values.events import UsageUpdated
from tests.fakeserver import FakeProvider, Reply, ToolCall
from tests.fakeserver.cache_model import PromptCache, canonical, openai_cached
from tests.journal.conftest import build

MARK = {"type": "ephemeral"}
SYSTEM = "s" * 8000  # 2000 tokens


def anthropic_body(*texts: str, system: str = SYSTEM) -> dict[str, Any]:
    messages = [{"role": "user" if i % 2 == 0 else "assistant", "content": [{"type": "text", "text": t}]} for i, t in enumerate(texts)]
    messages[-1]["content"][-1]["cache_control"] = MARK
    return {"system": [{"type": "text", "text": system, "cache_control": MARK}], "messages": messages}


def tokens_of(*blocks: Any) -> int:
    return sum(len(canonical(b).encode()) for b in blocks) // 4


def test_anthropic_reads_the_previous_prefix_and_writes_the_new_part() -> None:
    cache = PromptCache()
    first = cache.usage("/v1/messages", anthropic_body("hello " * 200), Reply("x"))
    assert first.cache_read_tokens == 0 and first.input_tokens == 0
    assert first.cache_write_tokens == tokens_of({"text": SYSTEM, "type": "text"}, ("user", {"type": "text", "text": "hello " * 200}))

    second = cache.usage("/v1/messages", anthropic_body("hello " * 200, "answer", "more " * 100), Reply("x"))
    assert second.cache_read_tokens == first.cache_write_tokens
    assert second.cache_write_tokens > 0 and second.input_tokens == 0


def test_anthropic_a_changed_system_prompt_misses_everything_after_it() -> None:
    cache = PromptCache()
    cache.usage("/v1/messages", anthropic_body("hello " * 200), Reply("x"))
    changed = cache.usage("/v1/messages", anthropic_body("hello " * 200, "answer", "more", system=SYSTEM + " 12:00"), Reply("x"))
    assert changed.cache_read_tokens == 0


def test_anthropic_prefixes_below_the_minimum_are_not_cached() -> None:
    cache = PromptCache(min_tokens=1024)
    small = anthropic_body("hi", system="short")
    cache.usage("/v1/messages", small, Reply("x"))
    again = cache.usage("/v1/messages", small, Reply("x"))
    assert again.cache_read_tokens == 0 and again.cache_write_tokens == 0 and again.input_tokens > 0


def test_openai_caches_from_1024_tokens_in_128_token_steps() -> None:
    assert [openai_cached(n) for n in (0, 1023, 1024, 1151, 1152, 5000)] == [0, 0, 1024, 1024, 1152, 4992]


def test_openai_counts_the_common_prefix_of_the_whole_request() -> None:
    cache = PromptCache()
    messages = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": "hi"}]
    first = cache.usage("/v1/chat/completions", {"messages": messages}, Reply("x"))
    assert first.cache_read_tokens == 0
    longer = {"messages": [*messages, {"role": "assistant", "content": "yo"}, {"role": "user", "content": "again"}]}
    second = cache.usage("/v1/chat/completions", longer, Reply("x"))
    common = len(canonical(messages[0]) + canonical(messages[1])[:-1]) // 4
    assert second.cache_read_tokens == openai_cached(common)
    assert second.input_tokens + second.cache_read_tokens == len("".join(canonical(m) for m in longer["messages"])) // 4


async def test_a_real_session_reads_each_request_from_the_one_before(repo: Path) -> None:
    with FakeProvider(cache=True) as fake:
        built = build(repo, fake, "anthropic")
        fake.script(Reply(tool_calls=[ToolCall("read_file", {"path": "app.py"})]), Reply("done"))
        await built.agent.run_turn("look")
        fake.script(Reply("again"))
        await built.agent.run_turn("and again")
    usages = [e.usage for e in built.events if isinstance(e, UsageUpdated)]
    assert len(usages) == 3
    assert usages[0].cache_read_tokens == 0 and usages[0].cache_write_tokens > 1024
    for earlier, later in zip(usages, usages[1:]):
        assert later.cache_read_tokens == earlier.cache_read_tokens + earlier.cache_write_tokens
