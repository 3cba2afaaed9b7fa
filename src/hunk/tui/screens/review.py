"""Review mode: the whole turn's changeset, files on the left, hunks of the selected file on the right."""

from __future__ import annotations

from collections.abc import Mapping

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from hunk.tui.screens.hunk_review import HunkReviewScreen
from hunk.tui.widgets.diff_view import file_line


def check_marks(results: Mapping[str, bool]) -> Text:
    """`  ✓ ruff check {files}  ✗ pytest -q`: how this file fared in the turn's checks."""
    text = Text()
    for command, passed in results.items():
        shown = command if len(command) <= 30 else command[:29] + "…"
        text.append(f"  {'✓' if passed else '✗'} {shown}", style="green" if passed else "bold red")
    return text


class ReviewScreen(HunkReviewScreen):
    CSS_PATH = ["change.tcss", "review.tcss"]

    def compose(self) -> ComposeResult:
        count = len(self.state.files)
        yield Static(
            f"Review this turn's changes — {count} file{'s' if count != 1 else ''}; "
            "rejected hunks are rolled back",
            id="title",
        )
        yield self.key_bar()
        with Horizontal(id="body"):
            yield Static(id="files")
            with Vertical(id="right"):
                yield from self.diff_column()

    def redraw_files(self) -> None:
        state = self.state
        text = Text()
        for g in state.live_groups():
            group = state.groups[g]
            current = g == state.group_index
            decided = sum(1 for f, h in group.places if state.slots[f][h].accepted is not None)
            text.append("▶ " if current else "  ", style="bold" if current else "")
            text.append(f"≡ {group.describe()[0]}", style="bold" if current else "")
            text.append(f"  ×{len(group.places)}  {decided}/{len(group.places)}\n", style="dim")
        for index in range(len(state.files)):
            text.append_text(file_line(state, index, index == state.file_index and state.group is None))
            text.append_text(check_marks(state.review.checks.get(state.files[index].path, {})))
            text.append("\n")
        text.rstrip()
        self.query_one("#files", Static).update(text)
