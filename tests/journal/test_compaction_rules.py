"""Where compaction cuts a conversation and how old tool results are trimmed: pure values."""

from __future__ import annotations

from hunk.agent.context import choose_cut, drop_orphan_results, trim_old_results, trim_text
from hunk.values.conversation import Message, TextPart, ToolCallPart, ToolResultPart


def call(i: int) -> Message:
    return Message("assistant", (TextPart(f"step {i}"), ToolCallPart(f"c{i}", "read_file", {"path": f"f{i}.py"})))


def result(i: int, content: str = "ok") -> Message:
    return Message("user", (ToolResultPart(f"c{i}", content),))


def turn(n: int, steps: int, content: str = "ok") -> list[Message]:
    out = [Message.user(f"prompt {n}")]
    for s in range(steps):
        out += [call(n * 10 + s), result(n * 10 + s, content)]
    return out + [Message("assistant", (TextPart(f"done {n}"),))]


def test_cut_keeps_the_last_two_prompts_and_everything_after() -> None:
    history = turn(1, 2) + turn(2, 1) + turn(3, 1)
    cut = choose_cut(history, keep_prompts=2, keep_tail=2)
    assert cut is not None and cut.open_task is None
    assert history[cut.index] == Message.user("prompt 2")


def test_one_long_turn_keeps_its_prompt_verbatim_and_its_last_steps() -> None:
    history = turn(1, 5)[:-1]  # still working: the last message is a tool result
    cut = choose_cut(history, keep_prompts=2, keep_tail=2)
    assert cut is not None
    assert cut.open_task == "prompt 1"
    kept = history[cut.index :]
    assert kept[0].role == "assistant" and [m.role for m in kept] == ["assistant", "user", "assistant", "user"]
    assert kept[0].tool_calls[0].id == "c13"


def test_nothing_to_cut_in_a_short_conversation() -> None:
    assert choose_cut(turn(1, 1), keep_prompts=2, keep_tail=2) is None  # two steps: both kept
    assert choose_cut([], keep_prompts=2, keep_tail=2) is None


def test_no_cut_ever_separates_a_call_from_its_result() -> None:
    for steps in range(6):
        history = turn(1, steps) + turn(2, steps)[:-1]
        cut = choose_cut(history, keep_prompts=2, keep_tail=2)
        if cut is None:
            continue
        kept = history[cut.index :]
        calls = {c.id for m in kept for c in m.tool_calls}
        results = {p.call_id for m in kept for p in m.parts if isinstance(p, ToolResultPart)}
        assert results <= calls and calls <= results


def test_orphan_results_are_dropped_and_the_prompt_kept() -> None:
    merged = Message("user", (ToolResultPart("gone", "interrupted"), TextPart("next prompt")))
    out = drop_orphan_results([merged, call(1), result(1)])
    assert out[0] == Message.user("next prompt")
    assert out[1:] == [call(1), result(1)]


def test_trim_keeps_head_and_tail_at_line_ends_and_says_how_much_was_cut() -> None:
    content = "".join(f"line {i:05d}\n" for i in range(2000))
    trimmed = trim_text(content, 1500)
    assert trimmed.startswith("line 00000\n") and trimmed.endswith("line 01999\n")
    assert len(trimmed) < 3400
    assert "characters of this old tool result were cut" in trimmed
    cut = int(trimmed.split("[hunk: ")[1].split(" ")[0])
    kept_lines = [line for line in trimmed.splitlines() if line.startswith("line ")]
    assert cut == len(content) - sum(len(line) + 1 for line in kept_lines)
    assert trim_text(content, 1500) == trimmed  # deterministic


def test_old_large_results_are_trimmed_once_and_then_stay_byte_stable() -> None:
    big = "x" * 10_000 + "\n"
    history = turn(1, 3, big) + turn(2, 1) + turn(3, 1)
    once = trim_old_results(history, keep_prompts=2, over=4096, keep=1500, batch=16_384)
    assert once is not history
    old_results = [p for m in once[:8] for p in m.parts if isinstance(p, ToolResultPart)]
    assert len(old_results) == 3 and all(len(p.content) < 4096 for p in old_results)
    assert once[8:] == history[8:]  # the last two turns untouched
    again = trim_old_results(once, keep_prompts=2, over=4096, keep=1500, batch=16_384)
    assert again == once
    history_later = once + turn(4, 1)
    assert trim_old_results(history_later, keep_prompts=2, over=4096, keep=1500, batch=16_384)[: len(once)] == once


def test_recent_or_small_results_are_left_alone() -> None:
    recent = turn(1, 1) + turn(2, 3, "y" * 10_000)
    assert trim_old_results(recent, keep_prompts=2, over=4096, keep=1500, batch=1) is recent
    small_saving = turn(1, 1, "z" * 5000) + turn(2, 1) + turn(3, 1)
    assert trim_old_results(small_saving, keep_prompts=2, over=4096, keep=1500, batch=16_384) is small_saving
