"""The one place where core events become Textual messages.

The agent calls the adapter (an `EventSink`) for every core event. Text and reasoning deltas are
coalesced and flushed at most every `FLUSH_S` seconds, so a model streaming 2,000 tokens a
second costs the screen ~20 updates a second; every other event first flushes pending text, so
the order the core emitted is the order the screen shows.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from textual.app import App
from textual.message import Message
from textual.message_pump import MessagePump
from textual.timer import Timer

if TYPE_CHECKING:
    from hunk.values.events import Event

FLUSH_S = 0.05


@dataclass
class StreamedText(Message):
    """Coalesced deltas of one kind."""

    kind: Literal["text", "reasoning"]
    text: str


@dataclass
class CoreEvent(Message):
    """Any other core event, unchanged."""

    event: Event


class EventAdapter:
    """An `EventSink` that posts to `target` (the chat screen), safe to call from any thread."""

    def __init__(self, app: App[object], flush_s: float = FLUSH_S) -> None:
        self._app = app
        self._flush_s = flush_s
        self._thread = threading.get_ident()
        self.target: MessagePump = app
        self._kind: Literal["text", "reasoning"] = "text"
        self._pending: list[str] = []
        self._timer: Timer | None = None
        self._words: list[str] = []
        self._words_open = False

    @property
    def last_words(self) -> str:
        """The model's latest stretch of text (what it said before the question now asked)."""
        return "".join(self._words)

    def __call__(self, event: Event) -> None:
        if threading.get_ident() != self._thread:
            self._app.call_from_thread(self, event)
            return
        from hunk.values.events import ReasoningDelta, TextDelta  # loaded with the agent, after the first paint

        if isinstance(event, TextDelta):
            if not self._words_open:
                self._words.clear()
            self._words.append(event.text)
        self._words_open = isinstance(event, TextDelta)
        if isinstance(event, TextDelta | ReasoningDelta):
            kind: Literal["text", "reasoning"] = "text" if isinstance(event, TextDelta) else "reasoning"
            if kind != self._kind:
                self.flush()
                self._kind = kind
            self._pending.append(event.text)
            if self._timer is None:
                self._timer = self._app.set_timer(self._flush_s, self.flush, name="stream-flush")
            return
        self.flush()
        self.target.post_message(CoreEvent(event))

    def flush(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self._pending:
            text = "".join(self._pending)
            self._pending.clear()
            self.target.post_message(StreamedText(self._kind, text))
