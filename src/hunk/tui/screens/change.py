"""Ask mode: a proposed change, before it touches disk (or a command's side effects after)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from hunk.tui.screens.hunk_review import HunkReviewScreen
from hunk.tui.widgets.diff_view import file_line

_TITLES = {
    "before_write": "Proposed change — nothing is written until you accept",
    "side_effects": "A command changed files — rejected hunks are rolled back",
    "end_of_turn": "Changes of this turn — rejected hunks are rolled back",
}


class ChangeScreen(HunkReviewScreen):
    CSS_PATH = "change.tcss"

    def compose(self) -> ComposeResult:
        review = self.state.review
        title = _TITLES[review.phase]
        if review.reason:
            title += f"\n{review.reason}"
        yield Static(title, id="title")
        yield self.key_bar()
        yield Static(id="files")
        yield from self.diff_column()

    def redraw_files(self) -> None:
        state = self.state
        text = Text()
        for index in range(len(state.files)):
            if index:
                text.append("   ")
            text.append_text(file_line(state, index, index == state.file_index))
        self.query_one("#files", Static).update(text)
