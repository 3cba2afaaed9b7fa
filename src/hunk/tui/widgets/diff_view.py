"""A file's hunks (or a whole session's diff), drawn a screen row at a time.

`DiffView` is a Line API widget: it keeps, per hunk, only the row count of each line at the
current width, and paints the lines that are on screen when Textual asks for them (cached).
A 40,000-line hunk costs one pass of `len()` to lay out; a 6 MB line is folded around its
change. A verdict repaints that hunk's rows alone.
"""

from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate
from dataclasses import dataclass, field

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from hunk.tui.decisions import ReviewState, Slot
from hunk.values.diff_text import HunkText
from hunk.tui.widgets.diff_paint import Painter, blank_gutter, gutter, gutter_width, height, text_row
from hunk.values.diffs import DiffHunk, FileDiff

BADGES = {
    "undecided": ("· undecided", "bold"),
    "accepted": ("✓ accepted", "bold green"),
    "rejected": ("✗ rejected", "bold red"),
    "edited": ("✎ edited", "bold yellow"),
}
_EDGE = {"undecided": "bright_black", "accepted": "green", "rejected": "red", "edited": "yellow"}
_CURRENT = Style(bgcolor="#2c3e5c", bold=True)
_FILE_TITLE = Style(bold=True, reverse=True)
_DIM = Style(dim=True)


@dataclass(eq=False)
class Block:
    """A file title, a hunk, or a change decided whole (binary, mode), with its rows laid out."""

    file: FileDiff
    hunk: DiffHunk | None = None
    title: bool = False  # a file's title row (the /diff of several files)
    label: str | None = None  # the verdict badge; None where nothing is decided (/diff)
    note: str | None = None
    edited: tuple[str, ...] | None = None
    current: bool = False
    version: int = 0
    text: HunkText | None = None
    bottoms: list[int] = field(default_factory=list)  # cumulative row ends of the body's items

    def lines(self) -> tuple[str, ...]:
        if self.hunk is None:
            return ()
        return self.edited if self.edited is not None else self.hunk.lines

    @property
    def heads(self) -> int:
        return 1 + (self.note is not None)

    @property
    def rows(self) -> int:
        if self.title:
            return 1
        return self.heads + (self.bottoms[-1] if self.bottoms else 1) + 1  # + a blank row between


class DiffView(ScrollView, can_focus=False):
    """The screen moves the hunk cursor; this widget draws and scrolls."""

    DEFAULT_CSS = """
    DiffView { overflow-x: hidden; scrollbar-gutter: stable; scrollbar-size-vertical: 1; }
    DiffView.-inline { height: auto; overflow-y: hidden; scrollbar-gutter: auto; }
    """

    class Scrolled(Message):
        """The view scrolled (keys, wheel, scrollbar): the screen may move its cursor."""

    def __init__(self, *, inline: bool = False, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.set_class(inline, "-inline")
        self._blocks: list[Block] = []
        self._hunks: list[int] = []  # block index of each decision, in order
        self._starts: list[int] = [0]
        self._key: tuple[object, ...] | None = None
        self._split = False
        self._width = 0
        self._painter = Painter("")
        self._cache: LRUCache[tuple[object, ...], list[Strip]] = LRUCache(1024)

    # --- what to show -----------------------------------------------------------------------

    def show(self, file: FileDiff, slots: list[Slot], current: int, split_view: bool) -> None:
        """One file's hunks with their verdicts. Only blocks whose state changed are repainted."""
        key = (id(file), split_view)
        if key != self._key:
            self._key = key
            self._split = split_view
            self._use_painter(Painter(file.path))
            hunks: list[DiffHunk | None] = list(file.hunks) or [None]
            self._set_blocks([Block(file, hunk, label="undecided") for hunk in hunks])
            self.scroll_to(y=0, animate=False, immediate=True)
        if len(slots) != len(self._hunks):
            return
        moved = False
        for index, slot in enumerate(slots):
            block = self._blocks[self._hunks[index]]
            state = (slot.label, slot.note, slot.edited, index == current)
            if state == (block.label, block.note, block.edited, block.current):
                continue
            resized = slot.edited is not block.edited or (slot.note is None) != (block.note is None)
            block.label, block.note, block.current = slot.label, slot.note, index == current
            block.version += 1
            if slot.edited is not block.edited:
                block.edited = slot.edited
                block.text = None
            if resized:
                self._lay_out(block)
                moved = True
            else:
                self._refresh_block(self._hunks[index])
        if moved:
            self._place()

    def show_files(self, files: list[FileDiff]) -> None:
        """Several files' diffs, each under its title, nothing to decide (/diff)."""
        self._use_painter(Painter(files[0].path if len(files) == 1 else ""))
        blocks: list[Block] = []
        for file in files:
            blocks.append(Block(file, title=True))
            blocks.extend(Block(file, hunk) for hunk in (file.hunks or (None,)))
        self._set_blocks(blocks)

    def _use_painter(self, painter: Painter) -> None:
        """Paint at once without syntax colours; add them when the lexer is ready (a thread,
        started after the first paint: it holds the GIL for a while)."""
        self._painter = painter
        if painter.path:
            self.call_after_refresh(
                self.run_worker, lambda: self._load_syntax(painter), thread=True, group="syntax", exit_on_error=False
            )

    def _load_syntax(self, painter: Painter) -> None:
        painter.load_syntax()
        if painter.lexer is not None:
            self.app.call_from_thread(self._syntax_ready, painter)

    def _syntax_ready(self, painter: Painter) -> None:
        if painter is self._painter:
            self._cache.clear()
            self.refresh()

    def _set_blocks(self, blocks: list[Block]) -> None:
        self._blocks = blocks
        self._width = self._width or self._room()
        self._hunks = [i for i, block in enumerate(blocks) if not block.title]
        self._cache.clear()
        for block in blocks:
            self._lay_out(block)
        self._place()

    # --- layout ------------------------------------------------------------------------------

    def _text_width(self, block: Block) -> int:
        digits = self._hunk_text(block).digits
        if self._split:
            return max(1, (self._width - 2) // 2 - gutter_width(1, digits))
        return max(1, self._width - 1 - gutter_width(2, digits))

    def _hunk_text(self, block: Block) -> HunkText:
        if block.text is None:
            hunk = block.hunk
            assert hunk is not None
            block.text = HunkText(block.lines(), hunk.header, hunk.source_start, hunk.target_start)
        return block.text

    def _lay_out(self, block: Block) -> None:
        """Row ends of each line (unified) or pair (split) at the current width; no painting."""
        if block.title:
            return
        if block.hunk is None:
            block.bottoms = [1]
            return
        text = self._hunk_text(block)
        width = self._text_width(block)
        short = width + 1  # a line this long or shorter, printable ASCII, takes one row

        def rows(index: int | None) -> int:
            if index is None:
                return 1
            line = text.lines[index]
            if len(line) <= short and line.isascii() and line.isprintable():
                return 1
            return height(line[1:], text.fold(index), width)

        if self._split:
            heights = [max(rows(left), rows(right)) for left, right in text.rows]
        else:
            heights = [rows(index) for index in range(len(text))]
        block.bottoms = list(accumulate(heights)) or [1]

    def _place(self) -> None:
        starts = [0]
        for block in self._blocks:
            starts.append(starts[-1] + block.rows)
        self._starts = starts
        self.virtual_size = Size(self._width, starts[-1])
        self.refresh()

    def _room(self) -> int:
        """Columns for rows: the width less the scrollbar's gutter (kept whether shown or not)."""
        return max(0, self.size.width - self.scrollbar_gutter.width)

    def on_resize(self) -> None:
        if self._room() != self._width:
            self._width = self._room()
            self._cache.clear()
            for block in self._blocks:
                self._lay_out(block)
            self._place()

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        if self.has_class("-inline") and width != self._width:
            self._width = width
            for block in self._blocks:
                self._lay_out(block)
            self._place()
        return self._starts[-1]

    # --- positions the screen asks about ---------------------------------------------------

    @property
    def split_view(self) -> bool:
        return self._split

    def labels(self) -> list[str | None]:
        """The verdict shown on each hunk, in order."""
        return [self._blocks[at].label for at in self._hunks]

    def row_text(self, row: int) -> str:
        """The text of one row of the whole view (scrolled or not), as painted."""
        return self._row(row, self._width or self._room()).text

    def hunk_rows(self, index: int) -> tuple[int, int]:
        """First row of a hunk's header and the row after its last line."""
        at = self._hunks[index]
        return self._starts[at], self._starts[at + 1] - 1

    def top_hunk(self) -> int:
        """The hunk whose rows are at the top of the view."""
        block = bisect_right(self._starts, int(self.scroll_y)) - 1
        for index, at in enumerate(self._hunks):
            if at >= block:
                return index
        return max(0, len(self._hunks) - 1)

    def is_visible(self, index: int) -> bool:
        top, bottom = self.hunk_rows(index)
        return bottom > self.scroll_y and top < self.scroll_y + self.size.height

    def reveal(self, index: int, end: bool = False) -> None:
        """Scroll a hunk's header to the top (or, with `end`, its last line to the bottom)."""
        if not self._hunks or index >= len(self._hunks):
            return
        top, bottom = self.hunk_rows(index)
        y = max(top, bottom - self.size.height) if end else top
        self.scroll_to(y=y, animate=False, immediate=True)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if round(old_value) != round(new_value):
            self.post_message(self.Scrolled())

    # --- painting -----------------------------------------------------------------------------

    def _refresh_block(self, at: int) -> None:
        top = self._starts[at]
        self.refresh_lines(top, self._starts[at + 1] - top)

    def render_line(self, y: int) -> Strip:
        return self._row(int(self.scroll_y) + y, self._width or self._room())

    def _row(self, row: int, width: int) -> Strip:
        if row >= self._starts[-1] or not self._blocks:
            return Strip.blank(width, self.rich_style)
        at = bisect_right(self._starts, row) - 1
        block = self._blocks[at]
        inner = row - self._starts[at]
        if block.title:
            return self._title_row(block, width)
        if inner == 0:
            return self._header_row(block, width)
        if inner < block.heads:
            return self._edge(block) + text_row(Text(f"note: {block.note}", "italic"), width - 1)
        inner -= block.heads
        if inner >= block.bottoms[-1]:
            return Strip.blank(width)
        item = bisect_right(block.bottoms, inner)
        first = block.bottoms[item - 1] if item else 0
        key = (id(block), id(block.text), item, width, self._split)
        rows = self._cache.get(key)
        if rows is None:
            rows = self._paint_item(block, item, width - 1)
            self._cache.set(key, rows)
        row = rows[inner - first]
        if block.label == "rejected" and not block.current:
            row = row.apply_style(_DIM)
        return self._edge(block) + row

    def _edge(self, block: Block) -> Strip:
        if block.label is None:
            return Strip([Segment(" ")])
        style = Style(color=_EDGE[block.label], bold=block.current)
        return Strip([Segment("┃" if block.current else "│", style)])

    def _title_row(self, block: Block, width: int) -> Strip:
        file = block.file
        text = Text(f" {file.path}  +{file.added} −{file.removed} ", _FILE_TITLE)
        return text_row(text, width)

    def _header_row(self, block: Block, width: int) -> Strip:
        if block.hunk is not None:
            header = block.hunk.header
        else:
            header = f"{block.file.status} {block.file.path} (whole file)"
        text = Text()
        if block.label is not None:
            badge, style = BADGES[block.label]
            text.append(badge, style)
            text.append("  ")
        text.append(header, "bold" if block.current else "cyan")
        if block.current:
            text.stylize(_CURRENT)
        return self._edge(block) + text_row(text, width - 1, _CURRENT if block.current else None)

    def _paint_item(self, block: Block, item: int, width: int) -> list[Strip]:
        """The rows of one line (unified) or one old/new pair (split), without the left edge."""
        if block.hunk is None:
            file = block.file
            message = "binary file: decided whole" if file.binary else (file.text or f"{file.status} {file.path}")
            return [text_row(Text(message.splitlines()[0] if message else "", "italic"), width)]
        text = self._hunk_text(block)
        text_width = self._text_width(block)
        if not self._split:
            return self._side(text, item, (text.old_number(item), text.new_number(item)), text_width)
        left, right = text.rows[item]
        half = (width - 1) // 2
        old = self._side(text, left, (None if left is None else text.old_number(left),), text_width)
        new = self._side(text, right, (None if right is None else text.new_number(right),), text_width)
        count = max(len(old), len(new))
        old += [Strip.blank(half)] * (count - len(old))
        new += [Strip.blank(width - 1 - half)] * (count - len(new))
        bar = Strip([Segment("│", _DIM)])
        return [a.crop_extend(0, half, None) + bar + b.crop_extend(0, width - 1 - half, None) for a, b in zip(old, new)]

    def _side(self, text: HunkText, index: int | None, numbers: tuple[int | None, ...], width: int) -> list[Strip]:
        if index is None:
            return []
        line = text.lines[index]
        mark = line[:1]
        painted = self._painter.paint(line[1:], mark, text.spans(index), text.fold(index), width)
        first = Strip(gutter(numbers, text.digits, mark))
        rest = Strip(blank_gutter(len(numbers), text.digits))
        return [(first if n == 0 else rest) + row for n, row in enumerate(painted)]


def file_line(state: ReviewState, index: int, current: bool) -> Text:
    """One file of a review: marker, path, +/− counts and its verdict summary."""
    file = state.files[index]
    added, removed = state.counts(index)
    line = Text("▶ " if current else "  ", style="bold" if current else "")
    line.append(file.path, style="bold" if current else "")
    line.append(f"  +{added}", style="green")
    line.append(f" −{removed}", style="red")
    line.append(f"  {state.file_summary(index)}", style="dim")
    return line
