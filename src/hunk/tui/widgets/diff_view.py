"""One file's diff as a column of hunks, each showing its verdict at a glance."""

from __future__ import annotations

import asyncio
from itertools import zip_longest

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from hunk.tui.decisions import ReviewState, Slot
from hunk.values.diffs import DiffHunk, FileDiff

BADGES = {
    "undecided": ("· undecided", "bold"),
    "accepted": ("✓ accepted", "bold green"),
    "rejected": ("✗ rejected", "bold red"),
    "edited": ("✎ edited", "bold yellow"),
}
_LINE_STYLES = {"+": "green", "-": "red", "\\": "dim"}


def unified(lines: tuple[str, ...]) -> Text:
    text = Text(no_wrap=True, overflow="ellipsis")
    for line in lines:
        text.append(line + "\n", style=_LINE_STYLES.get(line[:1], ""))
    text.rstrip()
    return text


def split_rows(lines: tuple[str, ...]) -> list[tuple[str | None, str | None]]:
    """Pair old and new lines side by side: context on both, a run of − beside the run of + after it."""
    rows: list[tuple[str | None, str | None]] = []
    removed: list[str] = []
    added: list[str] = []

    def flush() -> None:
        rows.extend(zip_longest(removed, added))
        removed.clear()
        added.clear()

    for line in lines:
        mark = line[:1]
        if mark == "-":
            if added:
                flush()
            removed.append(line)
        elif mark == "+":
            added.append(line)
        elif mark == "\\":
            continue
        else:
            flush()
            rows.append((line, line))
    flush()
    return rows


def split(lines: tuple[str, ...]) -> Table:
    table = Table.grid(expand=True, padding=(0, 1))
    table.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
    table.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
    for old, new in split_rows(lines):
        table.add_row(
            Text(old or "", style=_LINE_STYLES.get((old or " ")[:1], "")),
            Text(new or "", style=_LINE_STYLES.get((new or " ")[:1], "")),
        )
    return table


class HunkView(Static):
    """A hunk: its header with the verdict badge, then its lines."""

    def __init__(self, hunk: DiffHunk | None, file: FileDiff, split_view: bool) -> None:
        super().__init__(classes="hunk")
        self.hunk = hunk
        self.file = file
        self.split_view = split_view
        self.state = "undecided"
        self.note: str | None = None

    def show_state(self, slot: Slot, current: bool) -> None:
        self.state = slot.label
        self.note = slot.note
        for label in BADGES:
            self.set_class(label == self.state, f"-{label}")
        self.set_class(current, "-current")
        self.border_title = self._title()
        self.border_subtitle = f"note: {slot.note}" if slot.note else ""
        self.update(self._body(slot))

    def _title(self) -> str:
        badge, style = BADGES[self.state]
        header = self.hunk.header if self.hunk else f"{self.file.status} (whole file)"
        return f"[{style}]{badge}[/]  {header}"

    def _body(self, slot: Slot) -> RenderableType:
        if self.hunk is None:
            if self.file.binary:
                return Text("binary file: decided whole", style="italic")
            return Text(self.file.text or f"{self.file.status} {self.file.path}", style="italic")
        lines = slot.edited if slot.edited is not None else self.hunk.lines
        return split(lines) if self.split_view else unified(lines)


class DiffView(VerticalScroll, can_focus=False):
    """The hunks of one file; rebuilt when the file or the view changes. The screen moves the
    cursor, so arrows mean "next hunk", not "scroll"."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._key: tuple[str, bool] | None = None
        self._lock = asyncio.Lock()

    async def show(self, file: FileDiff, slots: list[Slot], current: int, split_view: bool) -> None:
        async with self._lock:  # a key pressed during a rebuild waits for it to finish
            key = (file.path, split_view)
            if key != self._key:
                self._key = key
                await self.remove_children()
                hunks: list[DiffHunk | None] = list(file.hunks) or [None]
                await self.mount_all(HunkView(h, file, split_view) for h in hunks)
        views = list(self.query_children(HunkView))
        if len(views) != len(slots):  # the screen closed mid-rebuild (a cancelled turn)
            return
        for index, (view, slot) in enumerate(zip(views, slots, strict=True)):
            view.show_state(slot, index == current)
        if views:
            self.call_after_refresh(self.scroll_to_widget, views[current], animate=False, top=True)


def file_line(state: ReviewState, index: int, current: bool) -> Text:
    """One file of a review: marker, path, +/− counts and its verdict summary."""
    file = state.files[index]
    line = Text("▶ " if current else "  ", style="bold" if current else "")
    line.append(file.path, style="bold" if current else "")
    line.append(f"  +{file.added}", style="green")
    line.append(f" −{file.removed}", style="red")
    line.append(f"  {state.file_summary(index)}", style="dim")
    return line
