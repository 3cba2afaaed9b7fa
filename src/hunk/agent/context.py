"""Keeping a conversation inside the model's context window, without spoiling the prompt cache.

Two things happen before a request (the agent calls `Compactor.maybe_compact`):

- At the first request of a turn, tool results longer than `trim_over` characters that are older
  than the last `keep_prompts` user prompts become head + tail with a note. This happens only at a
  turn boundary and only when it saves at least `trim_batch` characters, so the requests within
  a turn keep byte-identical prefixes and the cache is broken rarely. The rule depends on the
  history alone: once trimmed, a message stays byte-stable.
- When the latest request used `compact_at` of the model's window (or on `/compact`), the model
  summarises the older turns (a request without tools, system prompt `prompts/compact.md`). The
  history becomes [summary + the changes committed so far, then the kept turns verbatim]: the
  last `keep_prompts` prompts and everything after them, or, when a single turn fills the window,
  that turn's prompt (the open task, verbatim) and its last `keep_tail` steps. A tool call is
  never separated from its result. The new history is journalled as a `compacted` record, so a
  resumed session starts from it.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from hunk.settings import prompts
from hunk.values.events import Notice
from hunk.providers.base import Request
from hunk.providers.collect import complete
from hunk.journal.records import COMPACTED, fold
from hunk.values.conversation import (
    Message,
    Part,
    TextPart,
    ToolCallPart,
    ToolResultPart,
    message_to_dict,
)

if TYPE_CHECKING:
    from hunk.agent.loop import Agent


# --- where a conversation may be cut ---------------------------------------------------------


def prompt_starts(history: list[Message]) -> list[int]:
    """Indices of the user messages that carry a prompt (text), not only tool results."""
    return [i for i, m in enumerate(history) if m.role == "user" and m.text.strip()]


@dataclass(frozen=True)
class Cut:
    index: int  # history[index:] is kept verbatim
    open_task: str | None  # the latest prompt, when it falls in the summarised part


def choose_cut(history: list[Message], keep_prompts: int, keep_tail: int) -> Cut | None:
    """Where to cut, or None when nothing can be summarised.

    Prefer keeping whole turns (the last `keep_prompts` prompts and all after them); when the
    latest turn alone is too long, keep its last `keep_tail` assistant steps and carry its prompt
    verbatim. Cuts fall before a prompt or before an assistant message, so every tool result
    stays with its call.
    """
    starts = prompt_starts(history)
    if not starts:
        return None
    if len(starts) >= keep_prompts and starts[-keep_prompts] > 0:
        return Cut(starts[-keep_prompts], None)
    latest = starts[-1]
    steps = [i for i in range(latest + 1, len(history)) if history[i].role == "assistant"]
    if len(steps) <= keep_tail or keep_tail < 1:
        return None
    return Cut(steps[-keep_tail], history[latest].text)


def drop_orphan_results(history: list[Message]) -> list[Message]:
    """Remove tool results whose call is no longer in the history (and messages left empty)."""
    calls: set[str] = set()
    out: list[Message] = []
    for message in history:
        if message.role == "assistant":
            calls.update(c.id for c in message.tool_calls)
            out.append(message)
            continue
        parts = tuple(p for p in message.parts if not isinstance(p, ToolResultPart) or p.call_id in calls)
        if parts:
            out.append(Message("user", parts))
    return out


# --- trimming old tool results ---------------------------------------------------------------


def trim_text(content: str, keep: int) -> str:
    """`content` as its first and last `keep` characters (at line ends when it can) and a note."""
    head = content[:keep]
    if "\n" in head[keep // 2 :]:
        head = head[: head.rindex("\n") + 1]
    tail = content[-keep:]
    if "\n" in tail[: keep // 2]:
        tail = tail[tail.index("\n") + 1 :]
    note = prompts.message("compaction.trimmed", cut=len(content) - len(head) - len(tail))
    return f"{head.rstrip(chr(10))}\n{note}\n{tail}"


def trim_old_results(history: list[Message], *, keep_prompts: int, over: int, keep: int, batch: int) -> list[Message]:
    """The history with long tool results before the last `keep_prompts` prompts trimmed, when
    that saves at least `batch` characters; otherwise the history unchanged."""
    starts = prompt_starts(history)
    if len(starts) < keep_prompts:
        return history
    boundary = starts[-keep_prompts]
    trimmed: dict[tuple[int, int], str] = {}
    for i in range(boundary):
        for j, part in enumerate(history[i].parts):
            if isinstance(part, ToolResultPart) and len(part.content) > over:
                trimmed[i, j] = trim_text(part.content, keep)
    saving = sum(len(history[i].parts[j].content) - len(text) for (i, j), text in trimmed.items())  # type: ignore[union-attr]
    if not trimmed or saving < batch:
        return history
    out = list(history)
    for i in sorted({i for i, _ in trimmed}):
        parts: list[Part] = list(out[i].parts)
        for j, part in enumerate(parts):
            if (i, j) in trimmed and isinstance(part, ToolResultPart):
                parts[j] = replace(part, content=trimmed[i, j])
        out[i] = Message(out[i].role, tuple(parts))
    return out


# --- what the summary request sees -----------------------------------------------------------


def transcript(messages: list[Message], result_chars: int) -> str:
    """The summarised messages as plain text (tool blocks would need the tools declared)."""
    blocks: list[str] = []
    for message in messages:
        for part in message.parts:
            if isinstance(part, TextPart) and part.text.strip():
                blocks.append(prompts.message(f"compaction.transcript_{message.role}", text=part.text))
            elif isinstance(part, ToolCallPart):
                arguments = part.invalid_arguments or json.dumps(part.arguments, ensure_ascii=False)
                blocks.append(prompts.message("compaction.transcript_call", name=part.name, arguments=arguments[:2000]))
            elif isinstance(part, ToolResultPart):
                content = part.content if len(part.content) <= result_chars else trim_text(part.content, result_chars // 2)
                mark = prompts.message("compaction.transcript_error_mark") if part.is_error else ""
                blocks.append(prompts.message("compaction.transcript_result", error=mark, content=content))
    return "\n\n".join(blocks)


def committed_changes(journal_path: Path | None) -> list[str]:
    """One line per commit this session made (and did not undo) since its last /clear."""
    if journal_path is None or not journal_path.is_file():
        return []
    return [
        prompts.message("compaction.commit_line", sha=c.sha[:10], subject=c.subject, files=", ".join(c.files))
        for c in fold(journal_path).commits_since_clear
    ]


def estimate_tokens(agent: Agent) -> int:
    """The next request's size at four characters a token: system, tools and history."""
    tools = [(t.spec.name, t.spec.description, t.spec.parameters) for t in agent.tools.values()]
    history = [message_to_dict(m) for m in agent.history]
    size = len(agent.system_prompt) + len(json.dumps(tools)) + len(json.dumps(history, ensure_ascii=False))
    return size // 4


# --- the compactor ---------------------------------------------------------------------------


@dataclass
class Compactor:
    compact_at: float = 0.8  # share of the context window (config limits.context_compact_at)
    keep_prompts: int = 2
    keep_tail: int = 2
    trim_over: int = 4096  # characters of a tool result before it is trimmed once old
    trim_keep: int = 1500  # characters kept from each end of a trimmed result
    trim_batch: int = 16_384  # trim only when it saves this many characters
    summary_max_tokens: int = 4096
    transcript_result_chars: int = 2000
    _turn_seen: int = field(default=-1, init=False, repr=False)

    def due(self, agent: Agent) -> bool:
        window = agent.context_window
        return window is not None and agent.last_context_tokens >= self.compact_at * window

    async def maybe_compact(self, agent: Agent, *, force: bool = False) -> bool:
        if agent.turns != self._turn_seen:  # the first request of a turn: a safe moment to trim
            self._turn_seen = agent.turns
            agent.history = trim_old_results(
                agent.history,
                keep_prompts=self.keep_prompts,
                over=self.trim_over,
                keep=min(self.trim_keep, self.trim_over // 3),
                batch=self.trim_batch,
            )
        if not force and not self.due(agent):
            return False
        return await self.compact(agent)

    async def compact(self, agent: Agent) -> bool:
        cut = choose_cut(agent.history, self.keep_prompts, self.keep_tail)
        if cut is None:
            return False
        older, kept = agent.history[: cut.index], agent.history[cut.index :]
        summary = await self._summarise(agent, older)
        if summary is None:
            return False
        journal_path = agent.journal.path if agent.journal is not None else None
        changes = await asyncio.to_thread(committed_changes, journal_path)
        text = prompts.message(
            "compaction.summary",
            summary=summary.strip(),
            changes="\n".join(changes) or prompts.message("compaction.no_changes"),
        )
        if cut.open_task is not None:
            text += "\n\n" + prompts.message("compaction.open_task", prompt=cut.open_task)
        before = estimate_tokens(agent)
        if kept and kept[0].role == "user":
            kept = [Message("user", (TextPart(text), *kept[0].parts)), *kept[1:]]
        else:
            kept = [Message.user(text), *kept]
        agent.history = drop_orphan_results(kept)
        after = estimate_tokens(agent)
        agent.last_context_tokens = after
        if agent.journal is not None:
            agent.journal.append(COMPACTED, messages=[message_to_dict(m) for m in agent.history])
        agent.sink(Notice(prompts.message("compaction.compacted_person", summarised=len(older), before=before, after=after)))
        return True

    async def _summarise(self, agent: Agent, older: list[Message]) -> str | None:
        request = Request(
            model=agent.provider.model,
            system=prompts.render("compact"),
            messages=(Message.user(prompts.message("compaction.request", transcript=transcript(older, self.transcript_result_chars))),),
            tools=(),
            max_tokens=self.summary_max_tokens,
        )
        reply = await complete(agent.provider, request)
        agent.record_usage(reply.usage)  # the summary is paid for like any request
        summary, failure = reply.text, reply.failure
        if failure is not None or not summary.strip():
            reason = failure.message if failure is not None else "the model returned no summary"
            agent.sink(Notice(prompts.message("compaction.failed_person", reason=reason)))
            return None
        return summary
