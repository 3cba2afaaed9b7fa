"""The conversation as it happens: prompts, streamed Markdown replies, reasoning, tool calls."""

from __future__ import annotations

import json
import re
import time
from collections import deque
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Collapsible, Static

from hunk.tui.danger import command_danger, style_of

if TYPE_CHECKING:
    from hunk.values.conversation import Message, ToolCallPart, ToolResultPart
    from hunk.tui.widgets.reply_stream import ReplyStream
    from hunk.values.events import ToolCallFinished, ToolCallStarted

MAX_OUTPUT_CHARS = 6000
LINE_WIDTH = 200  # of a live tail's line
TITLE_INDENT = 6  # a tool row's margin, padding and "▶ " before its title
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
    """A compact line; expanded, the call's arguments and what the model got back. A command's
    line carries its danger class, coloured by class."""

    def __init__(self, event: ToolCallStarted, danger: str | None = None) -> None:
        self.call = event
        self.danger = danger
        self._tail = "…"
        self.body = Static(self._arguments_text(), classes="tool-body")
        title: str = self._heading("…", width=0)  # type: ignore[assignment]  # Content is accepted
        super().__init__(self.body, title=title, collapsed=True, classes="tool")

    def _heading(self, tail: str, width: int | None = None) -> Content:
        """One line that fits the row: the arguments' gist gives way, so the outcome at its
        end ("✗ exit 1") is never cut off; the whole command is in the body."""
        self._tail = tail
        fixed = len(self.call.name) + 3 + len(tail) + (len(self.danger) + 3 if self.danger else 0)
        width = self.size.width if width is None else width
        room = width - TITLE_INDENT - fixed if width else 60  # not laid out yet: as wide as most
        gist = short_arguments(self.call.arguments, max(room, 8))
        if self.danger is None:
            return Content(f"{self.call.name} {gist}  {tail}")
        return Content.assemble(f"{self.call.name} ", (f" {self.danger} ", style_of(self.danger)), f" {gist}  {tail}")

    def on_resize(self) -> None:
        self.title = self._heading(self._tail)  # type: ignore[assignment]

    def _arguments_text(self) -> Text:
        # A write_file of a 6 MB file: show its head and tail, counted; the review shows the change.
        shown = {k: clipped(v) if isinstance(v, str) else v for k, v in self.call.arguments.items()}
        return Text(json.dumps(shown, indent=2, ensure_ascii=False), style="dim")

    def finish(self, event: ToolCallFinished, timed: bool = True) -> None:
        mark = "✗" if event.is_error or event.failed else "✓"
        timed = timed and _HAS_TIME.search(event.summary) is None  # add the time unless it is said
        tail = f"{mark} {event.summary}" + (f"  {event.duration_s:.1f}s" if timed else "")
        self.title = self._heading(tail)  # type: ignore[assignment]
        self.set_class(event.is_error or event.failed, "-error")
        body = self._arguments_text()
        body.append("\n\n")
        body.append(clipped(event.output), style="red" if event.is_error else "")
        self.body.update(body)


class LiveTail(Static):
    """A running command's last lines and how long it has run, under its row."""

    LINES = 6

    def __init__(self) -> None:
        super().__init__(classes="tail")
        self._lines: deque[str] = deque(maxlen=self.LINES)
        self._partial = ""
        self._started = time.monotonic()

    def on_mount(self) -> None:
        self.set_interval(0.5, self._show)
        self._show()

    def feed(self, text: str) -> None:
        pieces = (self._partial + text).replace("\r\n", "\n").split("\n")
        self._partial = pieces.pop()[-LINE_WIDTH:]
        self._lines.extend(line.rsplit("\r", 1)[-1][:LINE_WIDTH] for line in pieces)
        self._show()

    def _show(self) -> None:
        shown = Text(f"running {time.monotonic() - self._started:.0f}s", style="dim")
        for line in [*self._lines, *([self._partial] if self._partial else [])][-self.LINES :]:
            shown.append("\n│ " + line, style="dim")
        self.update(shown)


class Transcript(VerticalScroll):
    """Attributes down: the chat screen calls these methods as core events arrive."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._reply: ReplyStream | None = None
        self._reasoning: Static | None = None
        self._reasoning_text = ""
        self._tools: dict[str, ToolCallEntry] = {}
        self._tails: dict[str, LiveTail] = {}
        self._conversation_started = False  # the header and tips are gone for good

    def on_mount(self) -> None:
        self.anchor()

    async def show_welcome(self, text: Text) -> None:
        """The first screen's header and tips, until the conversation starts. A redraw that
        comes after (the header follows the status, in a worker) is too late and shows nothing."""
        if self._conversation_started:
            return
        for old in self.query(".welcome"):
            await old.remove()
        await self.mount(Static(text, classes="welcome"), before=0 if self.children else None)

    async def _drop_welcome(self) -> None:
        self._conversation_started = True
        for welcome in self.query(".welcome"):
            await welcome.remove()

    async def add_user(self, text: str) -> None:
        await self._drop_welcome()
        await self.end_segment()
        await self.mount(Static(Text(text), classes="user"))
        self.anchor()

    async def append_text(self, text: str) -> None:
        reply = self._reply
        if reply is None:
            self._end_reasoning()
            from hunk.tui.widgets.reply_stream import ReplyStream  # markdown-it: with the first reply

            reply = self._reply = ReplyStream(self)
        await reply.write(text)

    async def append_reasoning(self, text: str) -> None:
        body = self._reasoning
        if body is None:
            await self._end_reply()
            body = self._reasoning = Static(classes="reasoning-body")
            self._reasoning_text = ""
            await self.mount(Collapsible(body, title="reasoning", collapsed=True, classes="reasoning"))
        self._reasoning_text += text
        body.update(Text(self._reasoning_text, style="italic dim"))

    async def tool_started(self, event: ToolCallStarted, danger: str | None = None) -> None:
        await self.end_segment()
        entry = ToolCallEntry(event, danger)
        self._tools[event.call_id] = entry
        await self.mount(entry)

    async def command_output(self, call_id: str, text: str) -> None:
        """A running command's output: a live tail under its row."""
        tail = self._tails.get(call_id)
        if tail is None:
            entry = self._tools.get(call_id)
            if entry is None:
                return
            tail = self._tails[call_id] = LiveTail()
            await self.mount(tail, after=entry)
        if text:
            tail.feed(text)

    def tool_finished(self, event: ToolCallFinished) -> None:
        tail = self._tails.pop(event.call_id, None)
        if tail is not None:
            tail.remove()
        entry = self._tools.pop(event.call_id, None)
        if entry is not None:
            entry.finish(event)

    async def add_line(self, text: str | Text, classes: str = "info") -> None:
        await self.end_segment()
        await self.mount(Static(text if isinstance(text, Text) else Text(text), classes=classes))

    async def add_diff(self, diff: str) -> None:
        await self.end_segment()
        from hunk.tui.widgets.diff_view import DiffView
        from hunk.workspace.diff_parse import parse_git_diff

        try:
            files = parse_git_diff(diff)
        except ValueError:  # shown as git printed it, rather than not at all
            await self.mount(Static(Text(diff), classes="diff"))
            return
        if not files:
            await self.mount(Static(Text("no changes yet"), classes="diff"))
            return
        view = DiffView(inline=True, classes="diff")
        await self.mount(view)
        view.show_files(files)

    async def drop_reply(self) -> None:
        """The reply being streamed is void (its stream was cut; the model answers again)."""
        reply, self._reply = self._reply, None
        if reply is not None:
            await reply.remove()

    async def end_segment(self) -> None:
        """The next text starts a new block (after a tool call, a notice, the turn's end)."""
        await self._end_reply()
        self._end_reasoning()

    async def _end_reply(self) -> None:
        reply, self._reply = self._reply, None
        if reply is not None:
            await reply.stop()

    def _end_reasoning(self) -> None:
        self._reasoning = None
        self._reasoning_text = ""

    async def replay(self, history: list[Message], prompts: Sequence[str] = ()) -> None:
        """Show a continued session's conversation: the person's prompts, the replies, and each
        tool call with its result (folded, as when it happened). With `prompts` known (from the
        journal), user text that is not one of them — hunk's notes to the model — stays out."""
        from hunk.values.conversation import TextPart, ToolCallPart, ToolResultPart

        await self._drop_welcome()
        typed = {p.strip() for p in prompts}
        results = {
            part.call_id: part
            for message in history
            if message.role == "user"
            for part in message.parts
            if isinstance(part, ToolResultPart)
        }
        for message in history:
            if message.role == "user":
                for part in message.parts:
                    text = part.text.strip() if isinstance(part, TextPart) else ""
                    if text and (not typed or text in typed):
                        await self.add_user(text)
                continue
            for part in message.parts:
                if isinstance(part, TextPart) and part.text.strip():
                    await self.end_segment()
                    from textual.widgets import Markdown

                    await self.mount(Markdown(part.text, classes="reply"))
                elif isinstance(part, ToolCallPart):
                    await self._replay_call(part, results.get(part.id))
        await self.add_line("— continued session —")

    async def _replay_call(self, call: ToolCallPart, result: ToolResultPart | None) -> None:
        from hunk.values.events import ToolCallFinished, ToolCallStarted

        await self.end_segment()
        entry = ToolCallEntry(ToolCallStarted(call.id, call.name, call.arguments), command_danger(call.name, call.arguments, None))
        await self.mount(entry)
        if result is None:
            entry.finish(ToolCallFinished(call.id, call.name, "no result", True, 0.0, ""), timed=False)
            return
        # one line of plain spaces: the tab of read_file's "    1\timport sys" broke the row in two
        first = next((" ".join(line.split()) for line in result.content.splitlines() if line.strip()), "")
        summary = first if len(first) <= 60 else first[:59] + "…"
        entry.finish(ToolCallFinished(call.id, call.name, summary, result.is_error, 0.0, result.content), timed=False)

    async def clear(self) -> None:
        await self.end_segment()
        self._tools.clear()
        await self.remove_children()
