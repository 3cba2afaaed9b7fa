"""The conversation as it happens: prompts, streamed Markdown replies, reasoning, tool calls."""

from __future__ import annotations

import json
import re
from typing import Any

from rich.text import Text
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Collapsible, Markdown, Static
from textual.widgets.markdown import MarkdownStream

from hunk.values.events import ToolCallFinished, ToolCallStarted
from hunk.values.conversation import Message, TextPart, ToolCallPart
from hunk.values.diff_text import parse_unified
from hunk.tui.widgets.diff_view import DiffView

MAX_OUTPUT_CHARS = 6000
_HAS_TIME = re.compile(r"\d(?:\.\d+)?\s?s\b")  # the summary already says how long ("2.1 s")


def short_arguments(arguments: dict[str, Any], width: int = 60) -> str:
    """The one-line gist of a tool call's arguments: the first string value, or compact JSON."""
    for key in ("path", "command", "pattern"):
        value = arguments.get(key)
        if isinstance(value, str):
            text = value
            break
    else:
        text = json.dumps(arguments, ensure_ascii=False) if arguments else ""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def clipped(text: str) -> str:
    if len(text) <= MAX_OUTPUT_CHARS:
        return text
    half = MAX_OUTPUT_CHARS // 2
    return f"{text[:half]}\n… {len(text) - MAX_OUTPUT_CHARS} characters not shown …\n{text[-half:]}"


class ToolCallEntry(Collapsible):
    """A compact line; expanded, the call's arguments and what the model got back."""

    def __init__(self, event: ToolCallStarted) -> None:
        self.call = event
        self.body = Static(self._arguments_text(), classes="tool-body")
        title: str = self._heading("…")  # type: ignore[assignment]  # Content is accepted
        super().__init__(self.body, title=title, collapsed=True, classes="tool")

    def _heading(self, tail: str) -> Content:
        gist = short_arguments(self.call.arguments)
        return Content(f"{self.call.name} {gist}  {tail}")

    def _arguments_text(self) -> Text:
        # A write_file of a 6 MB file: show its head and tail, counted; the review shows the change.
        shown = {k: clipped(v) if isinstance(v, str) else v for k, v in self.call.arguments.items()}
        return Text(json.dumps(shown, indent=2, ensure_ascii=False), style="dim")

    def finish(self, event: ToolCallFinished) -> None:
        mark = "✗" if event.is_error else "✓"
        timed = _HAS_TIME.search(event.summary) is not None
        tail = f"{mark} {event.summary}" + ("" if timed else f"  {event.duration_s:.1f}s")
        self.title = self._heading(tail)  # type: ignore[assignment]
        self.set_class(event.is_error, "-error")
        body = self._arguments_text()
        body.append("\n\n")
        body.append(clipped(event.output), style="red" if event.is_error else "")
        self.body.update(body)


class Transcript(VerticalScroll):
    """Attributes down: the chat screen calls these methods as core events arrive."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._reply: Markdown | None = None
        self._stream: MarkdownStream | None = None
        self._reasoning: Static | None = None
        self._reasoning_text = ""
        self._tools: dict[str, ToolCallEntry] = {}

    def on_mount(self) -> None:
        self.anchor()

    async def add_user(self, text: str) -> None:
        await self.end_segment()
        await self.mount(Static(Text(text), classes="user"))
        self.anchor()

    async def append_text(self, text: str) -> None:
        stream = self._stream
        if stream is None:
            self._end_reasoning()
            reply = self._reply = Markdown(classes="reply")
            await self.mount(reply)
            stream = self._stream = Markdown.get_stream(reply)
        await stream.write(text)

    async def append_reasoning(self, text: str) -> None:
        body = self._reasoning
        if body is None:
            await self._end_reply()
            body = self._reasoning = Static(classes="reasoning-body")
            self._reasoning_text = ""
            await self.mount(Collapsible(body, title="reasoning", collapsed=True, classes="reasoning"))
        self._reasoning_text += text
        body.update(Text(self._reasoning_text, style="italic dim"))

    async def tool_started(self, event: ToolCallStarted) -> None:
        await self.end_segment()
        entry = ToolCallEntry(event)
        self._tools[event.call_id] = entry
        await self.mount(entry)

    def tool_finished(self, event: ToolCallFinished) -> None:
        entry = self._tools.pop(event.call_id, None)
        if entry is not None:
            entry.finish(event)

    async def add_line(self, text: str | Text, classes: str = "info") -> None:
        await self.end_segment()
        await self.mount(Static(text if isinstance(text, Text) else Text(text), classes=classes))

    async def add_diff(self, diff: str) -> None:
        await self.end_segment()
        files = parse_unified(diff)
        if not files:
            await self.mount(Static(Text("no changes yet"), classes="diff"))
            return
        view = DiffView(inline=True, classes="diff")
        await self.mount(view)
        view.show_files(files)

    async def end_segment(self) -> None:
        """The next text starts a new block (after a tool call, a notice, the turn's end)."""
        await self._end_reply()
        self._end_reasoning()

    async def _end_reply(self) -> None:
        if self._stream is not None:
            stream, self._stream, self._reply = self._stream, None, None
            await stream.stop()

    def _end_reasoning(self) -> None:
        self._reasoning = None
        self._reasoning_text = ""

    async def replay(self, history: list[Message]) -> None:
        """Show a continued session's conversation: prompts, replies and one line per tool call
        (tool results and reasoning stay out: they were seen when they happened)."""
        for message in history:
            if message.role == "user":
                text = message.text.strip()
                if text:
                    await self.add_user(text)
                continue
            for part in message.parts:
                if isinstance(part, TextPart) and part.text.strip():
                    await self.end_segment()
                    await self.mount(Markdown(part.text, classes="reply"))
                elif isinstance(part, ToolCallPart):
                    await self.add_line(f"▶ {part.name} {short_arguments(part.arguments)}", classes="tool-replayed")
        await self.add_line("— continued session —")

    async def clear(self) -> None:
        await self.end_segment()
        self._tools.clear()
        await self.remove_children()
