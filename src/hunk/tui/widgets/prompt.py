"""The multi-line prompt: Enter sends, Shift+Enter or Ctrl+J adds a line, Up/Down walk history,
`/` completes commands and `@` completes files."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList, TextArea
from textual.widgets.option_list import Option

from hunk.tui.completion import SlashCommand, fuzzy_filter, slash_matches


class PromptArea(TextArea):
    """The editor itself; keys it does not keep go to the PromptBox that owns it."""

    async def _on_key(self, event: events.Key) -> None:
        box = self.parent
        assert isinstance(box, PromptBox)
        if box.use_key(event.key):
            event.prevent_default()
            event.stop()
            return
        await super()._on_key(event)


class PromptBox(Vertical):
    @dataclass
    class Submitted(Message):
        """The person sent the prompt's text."""

        text: str

    def __init__(
        self, file_source: Callable[[], list[str]], custom_commands: tuple[SlashCommand, ...] = (), **kwargs: object
    ) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._file_source = file_source
        self.custom_commands = custom_commands  # the repository's and the person's commands and skills
        self._files: list[str] | None = None
        self._loading = False
        self.history: list[str] = []
        self._history_index = 0
        self._draft = ""
        self._word = ""
        self._completing: list[str] = []

    def compose(self) -> ComposeResult:
        yield PromptArea(
            id="prompt-area",
            soft_wrap=True,
            show_line_numbers=False,
            compact=True,
            highlight_cursor_line=False,
            placeholder="Ask for a change · / commands · @ files · Enter sends · Ctrl+J new line",
        )

    def on_mount(self) -> None:
        self.call_after_refresh(self._make_menu)

    def _make_menu(self) -> None:
        self.menu  # noqa: B018 - made now, so the first key typed does not wait for it

    @property
    def area(self) -> PromptArea:
        return self.query_one(PromptArea)

    @property
    def menu(self) -> OptionList:
        """The completion list above the editor, hidden until there is something to complete.
        Made after the first paint (or at first use): nothing hidden delays the prompt."""
        found = self.query("#completions")
        if found:
            return found.first(OptionList)
        menu = OptionList(id="completions")
        menu.display = False
        menu.can_focus = False
        self.mount(menu, before=self.area)
        return menu

    @property
    def text(self) -> str:
        return self.area.text

    def clear(self) -> None:
        self.area.clear()
        self._close_menu()

    def forget_files(self) -> None:
        """The next `@` lists the repository again (a turn may have added files)."""
        self._files = None

    # --- keys ---------------------------------------------------------------------------

    def use_key(self, key: str) -> bool:
        """True when the key was used here."""
        area = self.area
        if self.menu.display:
            # keys typed or pasted fast arrive before the Changed messages that update the menu:
            # judge the word as it is now, never the one the menu last saw ("/u" → "/u/undo")
            self._refresh_completions()
        if self.menu.display:
            if key in ("down", "up"):
                self.menu.action_cursor_down() if key == "down" else self.menu.action_cursor_up()
                return True
            if key == "enter" and self._word_is_complete():
                self._close_menu()
                self._submit()
                return True
            if key in ("tab", "enter"):
                self._accept_completion()
                return True
            if key == "escape":
                self._close_menu()
                return True
        if key == "enter":
            self._submit()
            return True
        if key in ("shift+enter", "ctrl+j"):
            area.insert("\n")
            return True
        if key == "up" and area.cursor_location[0] == 0 and self.history:
            self._walk_history(-1)
            return True
        if key == "down" and area.cursor_location[0] == area.document.line_count - 1:
            return self._walk_history(1)
        return False

    def _submit(self) -> None:
        text = self.area.text.strip()
        if not text:
            return
        if not self.history or self.history[-1] != text:
            self.history.append(text)
        self._history_index = len(self.history)
        self._draft = ""
        self.clear()
        self.post_message(self.Submitted(text))

    def _walk_history(self, step: int) -> bool:
        if self._history_index == len(self.history):
            if step > 0:
                return False
            self._draft = self.area.text
        index = max(0, min(len(self.history), self._history_index + step))
        if index == self._history_index:
            return True
        self._history_index = index
        text = self.history[index] if index < len(self.history) else self._draft
        self.area.load_text(text)
        self.area.move_cursor(self.area.document.end)
        return True

    # --- completion ---------------------------------------------------------------------

    def _current_word(self) -> str:
        row, column = self.area.cursor_location
        before = self.area.document.get_line(row)[:column]
        if not before or before[-1].isspace():
            return ""
        word = before.split()[-1]
        if word.startswith("/") and (row, column - len(word)) != (0, 0):
            return ""
        return word

    @on(TextArea.Changed)
    @on(TextArea.SelectionChanged)
    def _refresh_completions(self) -> None:
        word = self._current_word()
        self._word = word
        if word.startswith("/"):
            commands = slash_matches(word, self.custom_commands)
            self._show([(f"/{c.name} ", f"{c.usage}  — {c.help}") for c in commands])
        elif word.startswith("@"):
            if self._files is None:
                self._load_files()
                return
            self._show([(f"@{p} ", p) for p in fuzzy_filter(word[1:], self._files)])
        else:
            self._close_menu()

    def _load_files(self) -> None:
        if self._loading:
            return
        self._loading = True

        async def load() -> None:
            try:
                self._files = await asyncio.to_thread(self._file_source)
            finally:
                self._loading = False
            self._refresh_completions()

        self.run_worker(load(), group="files")

    def _show(self, items: list[tuple[str, str]]) -> None:
        self._completing = [insert for insert, _ in items]
        menu = self.menu
        menu.set_options(Option(label) for _, label in items)
        menu.display = bool(items)
        if items:
            menu.highlighted = 0

    def _close_menu(self) -> None:
        self._completing = []
        self.menu.display = False

    def _word_is_complete(self) -> bool:
        """The word typed is already the highlighted choice: Enter sends instead of completing."""
        index = self.menu.highlighted or 0
        return bool(self._completing) and self._completing[index].strip() == self._word

    def _accept_completion(self) -> None:
        index = self.menu.highlighted or 0
        if not self._completing:
            return
        choice = self._completing[index]
        row, column = self.area.cursor_location
        self.area.replace(choice, (row, column - len(self._word)), (row, column))
        self._close_menu()
